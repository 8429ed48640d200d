import { el, num, svg, text } from './svg-core';
import type { Frame } from './svg-core';

/** Grey from white (0) to near black (the largest count), in 5 steps a printer keeps apart. */
export function shade(v: number, max: number): string {
  if (v <= 0 || max <= 0) return '#ffffff';
  const step = Math.min(4, Math.floor(((v / max) * 5) - 1e-9));
  return ['#e6e6e6', '#bdbdbd', '#8c8c8c', '#595959', '#262626'][step]!;
}

/**
 * Contacts by weekday (rows) and local hour (columns). Each cell carries its count as
 * text too, so the picture reads in black and white and for people who do not tell
 * greys apart; the legend gives the count range of each shade.
 */
export function heatmap(grid: readonly (readonly number[])[], rows: readonly string[], o: { title: string; width?: number }): string {
  const f: Frame = { width: o.width ?? 760, height: 250, left: 52, right: 16, top: 30, bottom: 44 };
  const cols = 24;
  const cw = (f.width - f.left - f.right) / cols;
  const ch = (f.height - f.top - f.bottom) / rows.length;
  const max = Math.max(0, ...grid.flat());
  const body: string[] = [];
  rows.forEach((r, i) => {
    body.push(text({ x: f.left - 6, y: f.top + ch * (i + 0.5) + 4, 'text-anchor': 'end' }, r));
    for (let h = 0; h < cols; h++) {
      const v = grid[i]?.[h] ?? 0;
      const fill = shade(v, max);
      const x = f.left + cw * h;
      const y = f.top + ch * i;
      body.push(el('rect', { x, y, width: cw, height: ch, fill, stroke: '#999', 'stroke-width': 0.5 }, el('title', {}, `${r} ${String(h).padStart(2, '0')}:00: ${v}`)));
      if (v > 0) body.push(text({ x: x + cw / 2, y: y + ch / 2 + 4, 'text-anchor': 'middle', fill: ['#595959', '#262626'].includes(fill) ? '#fff' : '#000', class: 'cell' }, String(v)));
    }
  });
  for (let h = 0; h < cols; h += 2) body.push(text({ x: f.left + cw * (h + 0.5), y: f.height - f.bottom + 14, 'text-anchor': 'middle' }, String(h).padStart(2, '0')));
  body.push(text({ x: (f.left + f.width - f.right) / 2, y: f.height - 6, 'text-anchor': 'middle', class: 'axis-title' }, 'Local hour of the day (contacts started from hh:00 to hh:59)'));
  // legend: the shades and the counts they stand for
  const steps = max > 0 ? [1, 2, 3, 4, 5].map((k) => ({ from: Math.floor((max * (k - 1)) / 5) + 1, to: Math.floor((max * k) / 5) })) : [];
  let lx = f.left;
  body.push(text({ x: lx, y: 14 }, 'Contacts:'));
  lx += 62;
  for (const s of steps) {
    if (s.to < s.from) continue;
    body.push(el('rect', { x: lx, y: 5, width: 14, height: 10, fill: shade(s.to, max), stroke: '#999', 'stroke-width': 0.5 }));
    const label = s.from === s.to ? String(s.from) : `${s.from}–${s.to}`;
    body.push(text({ x: lx + 18, y: 14 }, label));
    lx += 30 + label.length * 6.5;
  }
  return svg(f, o.title, ...body, el('desc', {}, `largest count ${num(max)}`));
}
