import { el, inner, legend, num, scale, svg, text, xAxis, yAxis } from './svg-core';
import type { Frame } from './svg-core';

export interface LinePoint {
  label: string;
  /** Percent, for drawing only (the figures themselves are in the tables); null: nothing to measure. */
  value: number | null;
}

/**
 * The voice service level of each day (0–100 %) against the target: the target a
 * dashed line, each day a point joined to the next (a day without voice contacts
 * breaks the line), a day below the target a filled square instead of an open circle
 * — shapes, not colours, so that a printed page tells them apart.
 */
export function serviceLevelChart(points: readonly LinePoint[], target: number | null, o: { title: string; xTitle: string; labelEvery?: number; width?: number }): string {
  const f: Frame = { width: o.width ?? 760, height: 250, left: 52, right: 16, top: 26, bottom: 44 };
  const { x0, x1, y0, y1 } = inner(f);
  const y = scale(0, 100, y0, y1);
  const slot = (x1 - x0) / Math.max(1, points.length);
  const cx = (i: number) => x0 + slot * (i + 0.5);
  const body: string[] = [yAxis(f, [0, 20, 40, 60, 80, 100], y, 'Service level (%)', (v) => `${v}%`)];
  const every = o.labelEvery ?? 1;
  body.push(xAxis(f, points.flatMap((p, i) => (i % every === 0 ? [{ x: cx(i), text: p.label }] : [])), o.xTitle));
  if (target !== null) {
    body.push(el('line', { x1: x0, x2: x1, y1: y(target), y2: y(target), stroke: '#000', 'stroke-width': 1.5, 'stroke-dasharray': '8 4', class: 'target' }));
    body.push(text({ x: x1 - 4, y: y(target) - 5, 'text-anchor': 'end', class: 'marker-label' }, `target ${target}%`));
  }
  // runs of consecutive measured days, each a polyline
  let run: string[] = [];
  const flush = () => {
    if (run.length > 1) body.push(el('polyline', { points: run.join(' '), fill: 'none', stroke: '#000', 'stroke-width': 1.5 }));
    run = [];
  };
  points.forEach((p, i) => {
    if (p.value === null) return flush();
    run.push(`${num(cx(i))},${num(y(p.value))}`);
  });
  flush();
  points.forEach((p, i) => {
    if (p.value === null) return;
    const below = target !== null && p.value < target;
    const tip = el('title', {}, `${p.label}: ${p.value}%${below ? ' (below target)' : ''}`);
    body.push(below ? el('rect', { x: cx(i) - 4, y: y(p.value) - 4, width: 8, height: 8, fill: '#000', class: 'below' }, tip) : el('circle', { cx: cx(i), cy: y(p.value), r: 3.5, fill: '#fff', stroke: '#000', 'stroke-width': 1.5 }, tip));
  });
  body.push(
    legend(f, [
      { swatch: el('circle', { cx: 7, cy: 5, r: 3.5, fill: '#fff', stroke: '#000', 'stroke-width': 1.5 }), label: 'day at or above target' },
      { swatch: el('rect', { x: 3, y: 1, width: 8, height: 8, fill: '#000' }), label: 'day below target' },
      ...(target !== null ? [{ swatch: el('line', { x1: 0, x2: 14, y1: 5, y2: 5, stroke: '#000', 'stroke-width': 1.5, 'stroke-dasharray': '5 2' }), label: 'target' }] : []),
    ]),
  );
  return svg(f, o.title, ...body);
}
