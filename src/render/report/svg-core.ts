/**
 * The few pieces of SVG the report's charts are drawn with: escaping, elements, a
 * linear scale with round ticks, and the black-and-white fills (patterns, dashes) that
 * keep a printed chart readable without colour. Hand-written: four small charts do not
 * need a charting library, and these functions are pure and tested one by one.
 */

/** Text and attribute values of HTML and SVG: every name from the user's files goes through it. */
export function esc(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

export type Attrs = Record<string, string | number | undefined>;

/** An element; attribute values are escaped, children are SVG text already. */
export function el(tag: string, attrs: Attrs, ...children: string[]): string {
  const a = Object.entries(attrs)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => ` ${k}="${esc(typeof v === 'number' ? num(v) : v!)}"`)
    .join('');
  return children.length === 0 ? `<${tag}${a}/>` : `<${tag}${a}>${children.join('')}</${tag}>`;
}

/** A text node (escaped). */
export function text(attrs: Attrs, s: string): string {
  return el('text', attrs, esc(s));
}

/** Coordinates to 2 decimals, without trailing zeros: stable text for the same chart. */
export function num(n: number): string {
  return String(Math.round(n * 100) / 100);
}

/** Round tick values from 0 to at least `max` (1, 2 or 5 × a power of ten apart), about `count` of them. */
export function niceTicks(max: number, count = 5): number[] {
  if (!(max > 0)) return [0, 1];
  const raw = max / count;
  const p = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * p).find((s) => s >= raw) ?? 10 * p;
  const stepInt = step < 1 ? 1 : step; // counts are whole: no tick at 0.5 contact
  const top = Math.ceil(max / stepInt) * stepInt;
  const ticks: number[] = [];
  for (let v = 0; v <= top + stepInt / 2; v += stepInt) ticks.push(Math.round(v * 1e6) / 1e6);
  return ticks;
}

/** A linear map from [d0, d1] to [r0, r1]. */
export function scale(d0: number, d1: number, r0: number, r1: number): (v: number) => number {
  const k = d1 === d0 ? 0 : (r1 - r0) / (d1 - d0);
  return (v) => r0 + (v - d0) * k;
}

/** The plot area inside a chart's margins. */
export interface Frame {
  width: number;
  height: number;
  left: number;
  right: number;
  top: number;
  bottom: number;
}

export function inner(f: Frame): { x0: number; x1: number; y0: number; y1: number } {
  return { x0: f.left, x1: f.width - f.right, y0: f.height - f.bottom, y1: f.top };
}

/**
 * Fills that survive a black-and-white printer: voice solid dark grey, chat white
 * with black diagonal hatching. `id` makes the pattern's name unique on the page.
 */
export function patterns(id: string): string {
  return el(
    'defs',
    {},
    el('pattern', { id: `${id}-hatch`, width: 5, height: 5, patternUnits: 'userSpaceOnUse', patternTransform: 'rotate(45)' }, el('rect', { width: 5, height: 5, fill: '#fff' }), el('line', { x1: 0, y1: 0, x2: 0, y2: 5, stroke: '#000', 'stroke-width': 2 })),
  );
}

export function fillOf(id: string, series: 'voice' | 'chat'): Attrs {
  return series === 'voice' ? { fill: '#444', stroke: '#000', 'stroke-width': 0.5 } : { fill: `url(#${id}-hatch)`, stroke: '#000', 'stroke-width': 0.8 };
}

/** The y axis with its grid lines, tick labels and title (rotated). */
export function yAxis(f: Frame, ticks: readonly number[], y: (v: number) => number, title: string, label: (v: number) => string = String): string {
  const { x0, x1 } = inner(f);
  const parts = ticks.map((t) => el('line', { x1: x0, x2: x1, y1: y(t), y2: y(t), stroke: '#bbb', 'stroke-width': 0.5 }) + text({ x: x0 - 6, y: y(t) + 4, 'text-anchor': 'end' }, label(t)));
  const mid = (f.top + f.height - f.bottom) / 2;
  parts.push(text({ x: 14, y: mid, 'text-anchor': 'middle', transform: `rotate(-90 14 ${num(mid)})`, class: 'axis-title' }, title));
  parts.push(el('line', { x1: x0, x2: x0, y1: f.top, y2: f.height - f.bottom, stroke: '#000' }));
  return parts.join('');
}

/** The x axis line, tick labels at the given centres, and its title. */
export function xAxis(f: Frame, labels: ReadonlyArray<{ x: number; text: string }>, title: string): string {
  const { x0, x1, y0 } = inner(f);
  const parts = [el('line', { x1: x0, x2: x1, y1: y0, y2: y0, stroke: '#000' })];
  for (const l of labels) parts.push(text({ x: l.x, y: y0 + 14, 'text-anchor': 'middle' }, l.text));
  parts.push(text({ x: (x0 + x1) / 2, y: f.height - 6, 'text-anchor': 'middle', class: 'axis-title' }, title));
  return parts.join('');
}

/** A legend row at the top right: each entry a small swatch (any SVG at 0,0 of 14×10) and its words. */
export function legend(f: Frame, entries: ReadonlyArray<{ swatch: string; label: string }>): string {
  let x = f.left;
  const y = 12;
  const parts: string[] = [];
  for (const e of entries) {
    parts.push(el('g', { transform: `translate(${num(x)} ${y - 9})` }, e.swatch));
    parts.push(text({ x: x + 18, y }, e.label));
    x += 28 + e.label.length * 6.2;
  }
  return el('g', { class: 'legend' }, ...parts);
}

/** A whole chart: an <svg> with a title for screen readers, sized by its viewBox (scales with the page). */
export function svg(f: Frame, title: string, ...body: string[]): string {
  return el('svg', { viewBox: `0 0 ${f.width} ${f.height}`, width: f.width, height: f.height, role: 'img', 'aria-label': title, class: 'chart' }, el('title', {}, esc(title)), ...body);
}
