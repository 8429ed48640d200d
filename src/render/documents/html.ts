/**
 * An invoice document as one self-contained HTML file (docs/reference.md §9): inline CSS
 * and SVG, no script, no external URL, laid out for A4 print and readable on a phone.
 */
import type { DocumentModel, Row } from './model';

/** Every text of the model goes through here: `<script>` in a name is text. */
function esc(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

const CSS = `
*{box-sizing:border-box}
html{-webkit-text-size-adjust:100%}
body{margin:0;background:#eef0f3;color:#1b1f24;font:14px/1.45 "DejaVu Sans",Verdana,"Segoe UI",Arial,sans-serif}
.page{max-width:210mm;margin:16px auto;background:#fff;padding:18mm 16mm;box-shadow:0 1px 4px rgba(0,0,0,.15)}
header{display:flex;justify-content:space-between;gap:24px;align-items:flex-start;border-bottom:2px solid #1f4e79;padding-bottom:12px}
.brand{display:flex;gap:10px;align-items:flex-start;min-width:0}
.brand svg{flex:none}
h1{margin:0;font-size:26px;color:#1f4e79;letter-spacing:.02em}
.num{font-size:15px;font-weight:bold;overflow-wrap:anywhere}
.rev{color:#9a3412;font-weight:bold}
.who{display:flex;gap:24px;margin:16px 0}
.who>div{flex:1;min-width:0}
.lbl{font-size:11px;text-transform:uppercase;letter-spacing:.06em;color:#5b6470;margin:0 0 2px}
.name{font-weight:bold}
.who p,.seller p{margin:0;overflow-wrap:anywhere}
.seller{text-align:right;min-width:0;max-width:50%}
table{border-collapse:collapse;width:100%}
.meta td{padding:2px 12px 2px 0;vertical-align:top;overflow-wrap:anywhere}
.meta td:first-child{color:#5b6470;white-space:nowrap}
.lines{margin-top:16px;table-layout:fixed}
.lines th{background:#1f4e79;color:#fff;font-size:12px;font-weight:bold;padding:6px;text-align:left}
.lines td{padding:5px 6px;border-bottom:1px solid #d7dbe0;vertical-align:top}
.lines td:first-child{overflow-wrap:anywhere}
.lines .n{text-align:right;white-space:nowrap;font-variant-numeric:tabular-nums}
.lines col.d{width:50%}.lines col.q{width:12%}.lines col.u{width:10%}.lines col.p{width:13%}.lines col.a{width:15%}
.sum{display:flex;gap:24px;align-items:flex-start;margin-top:12px}
.sum>section{flex:1;min-width:0;margin-top:0}
.sum>.tot{flex:1;min-width:0}
.totals{width:100%}
.totals td{padding:3px 6px;text-align:right;white-space:nowrap}
.totals tr.total td{font-weight:bold;font-size:16px;border-top:2px solid #1f4e79;padding-top:6px}
.note{text-align:right;font-size:12px;color:#5b6470;margin:4px 0 0;overflow-wrap:anywhere}
section{margin-top:18px;break-inside:avoid;page-break-inside:avoid}
h2{font-size:13px;text-transform:uppercase;letter-spacing:.06em;color:#1f4e79;border-bottom:1px solid #d7dbe0;margin:0 0 6px;padding-bottom:3px}
.rows td{padding:2px 12px 2px 0;vertical-align:top;overflow-wrap:anywhere}
.rows td:first-child{color:#5b6470;width:42%}
.cols{display:flex;gap:24px}.cols>section{flex:1;min-width:0}
footer{margin-top:24px;border-top:1px solid #d7dbe0;padding-top:6px;font-size:11px;color:#5b6470;overflow-wrap:anywhere}
@media (max-width:640px){
 body{font-size:13px}
 .page{margin:0;padding:16px 12px;box-shadow:none}
 header,.who,.cols,.sum{flex-direction:column;gap:10px}
 .sum>.tot{order:-1;width:100%}
 .seller{text-align:left;max-width:none}
 .lines col.d{width:40%}
 .lines th,.lines td{padding:4px 3px;font-size:12px}
 .lines th.n{white-space:normal}
 .totals{width:100%}
}
@page{size:A4;margin:14mm 12mm}
@media print{
 body{background:#fff;font-size:8.5pt;line-height:1.3}
 .page{margin:0;padding:0;box-shadow:none;max-width:none}
 h1{font-size:18pt}
 .lines th{font-size:8pt;padding:4px 5px}
 .lines td{padding:2.5px 5px}
 .totals tr.total td{font-size:11pt}
 .who{margin:10px 0}
 section{margin-top:10px}
 h2{font-size:9pt}
 .lines thead{display:table-header-group}
 .lines tr{break-inside:avoid;page-break-inside:avoid}
}
`;

/** A small mark drawn inline, so that the file fetches nothing. */
const MARK =
  '<svg width="34" height="34" viewBox="0 0 34 34" aria-hidden="true"><rect x="1" y="1" width="32" height="32" rx="6" fill="#1f4e79"/>' +
  '<path d="M9 10h16M9 16h16M9 22h10" stroke="#fff" stroke-width="3" stroke-linecap="round"/></svg>';

function rows(rs: readonly Row[], cls = 'rows'): string {
  return `<table class="${cls}">${rs.map((r) => `<tr><td>${esc(r.label)}</td><td>${esc(r.value)}</td></tr>`).join('')}</table>`;
}

export function renderDocumentHtml(m: DocumentModel): string {
  const p = (s: string): string => `<p>${esc(s)}</p>`;
  const head = m.lineHeadings.map((h, i) => `<th${i === 0 || i === 2 ? '' : ' class="n"'}>${esc(h)}</th>`).join('');
  const body = m.lines
    .map((l) => `<tr><td>${esc(l[0])}</td><td class="n">${esc(l[1])}</td><td>${esc(l[2])}</td><td class="n">${esc(l[3])}</td><td class="n">${esc(l[4])}</td></tr>`)
    .join('\n');
  const totals = m.totals.map((r, i) => `<tr${i === m.totals.length - 1 ? ' class="total"' : ''}><td>${esc(r.label)}</td><td>${esc(r.value)}</td></tr>`).join('');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<title>${esc(`${m.title} ${m.number}`)}</title>
<style>${CSS}</style>
</head>
<body>
<main class="page">
<header>
<div class="brand">${MARK}<div><h1>${esc(m.title)}</h1><div class="num">${esc(m.number)}</div>${m.reverses ? `<div class="rev">${esc(m.reverses)}</div>` : ''}</div></div>
${m.seller ? `<div class="seller"><p class="name">${esc(m.seller.name)}</p>${m.seller.lines.map(p).join('')}</div>` : ''}
</header>
<div class="who">
<div><p class="lbl">Bill to</p><p class="name">${esc(m.customer.name)}</p>${m.customer.lines.map(p).join('')}</div>
<div>${rows(m.meta, 'meta')}</div>
</div>
<table class="lines">
<colgroup><col class="d"><col class="q"><col class="u"><col class="p"><col class="a"></colgroup>
<thead><tr>${head}</tr></thead>
<tbody>
${body}
</tbody>
</table>
<div class="sum">
<section><h2>Payment</h2>${rows(m.payment)}</section>
<div class="tot"><table class="totals">${totals}</table>
${m.taxNote ? `<p class="note">${esc(m.taxNote)}</p>` : ''}</div>
</div>
<div class="cols">
<section><h2>Diversion statement</h2>${rows(m.diversion)}</section>
<section><h2>Service level statement</h2>${rows(m.sla)}</section>
</div>
${m.footer ? `<footer>${esc(m.footer)}</footer>` : ''}
</main>
</body>
</html>
`;
}
