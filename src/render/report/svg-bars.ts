import { el, fillOf, inner, legend, niceTicks, patterns, scale, svg, text, xAxis, yAxis } from './svg-core';
import type { Frame } from './svg-core';

export interface BarGroup {
  /** The x label (a day of the month, a bucket). */
  label: string;
  voice: number;
  chat: number;
}

export interface BarChartOptions {
  /** Unique on the page (pattern names). */
  id: string;
  title: string;
  xTitle: string;
  yTitle: string;
  /** Show every n-th x label (long periods). */
  labelEvery?: number;
  /**
   * A vertical marker between groups: at group index `at` (a fraction: 4 = the left edge
   * of the fifth group), dashed, with its words.
   */
  marker?: { at: number; label: string };
  width?: number;
}

/**
 * Grouped bars, voice beside chat, for each x group: contacts per day, and the
 * distribution of response times. Voice is solid dark, chat hatched: told apart in
 * black and white; the legend names both, and a value is printed over a bar when there
 * is room for it.
 */
export function barChart(groups: readonly BarGroup[], o: BarChartOptions): string {
  const f: Frame = { width: o.width ?? 760, height: 270, left: 52, right: 16, top: 26, bottom: 44 };
  const { x0, x1, y0, y1 } = inner(f);
  const max = Math.max(1, ...groups.map((g) => Math.max(g.voice, g.chat)));
  const ticks = niceTicks(max);
  const y = scale(0, ticks[ticks.length - 1]!, y0, y1);
  const slot = (x1 - x0) / Math.max(1, groups.length);
  const bar = Math.max(1, Math.min(18, (slot - 3) / 2));
  const every = o.labelEvery ?? 1;
  const body: string[] = [patterns(o.id), yAxis(f, ticks, y, o.yTitle)];
  const labels: Array<{ x: number; text: string }> = [];
  groups.forEach((g, i) => {
    const cx = x0 + slot * (i + 0.5);
    (['voice', 'chat'] as const).forEach((series, k) => {
      const v = g[series];
      if (v <= 0) return;
      const x = cx - bar + k * bar;
      body.push(el('rect', { x, y: y(v), width: bar, height: y0 - y(v), ...fillOf(o.id, series) }, el('title', {}, `${g.label} ${series}: ${v}`)));
    });
    if (i % every === 0) labels.push({ x: cx, text: g.label });
  });
  body.push(xAxis(f, labels, o.xTitle));
  if (o.marker) {
    const mx = x0 + slot * o.marker.at;
    body.push(el('line', { x1: mx, x2: mx, y1: y1 - 4, y2: y0, stroke: '#000', 'stroke-width': 1.5, 'stroke-dasharray': '6 3', class: 'marker' }));
    body.push(text({ x: mx + 4, y: y1 + 8, class: 'marker-label' }, o.marker.label));
  }
  const swatch = (series: 'voice' | 'chat') => el('rect', { x: 0, y: 0, width: 14, height: 10, ...fillOf(o.id, series) });
  body.push(legend(f, [{ swatch: swatch('voice'), label: 'voice' }, { swatch: swatch('chat'), label: 'chat' }]));
  return svg(f, o.title, ...body);
}

