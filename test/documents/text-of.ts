import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

/** Helpers of the document tests: the text a reader gets out of a PDF or an HTML file, and the JSON's figures as a reader sees them. */

/**
 * Text of a PDF as a PDF reader extracts it (pdf-parse, Mozilla's pdf.js underneath), in a
 * child Node process: pdf.js loads its worker with a dynamic import, which jest's module VM refuses.
 */
export interface PdfText {
  text: string;
  pages: number;
}

export function pdfText(bytes: Buffer): PdfText {
  return pdfTexts([bytes])[0]!;
}

/** pdfText of several PDFs, in one child process (its start and pdf.js's load cost more than a small PDF's reading). */
export function pdfTexts(pdfs: readonly Buffer[]): PdfText[] {
  const script = `const { PDFParse } = require('pdf-parse');
let data = [];
process.stdin.on('data', (c) => data.push(c)).on('end', async () => {
  const out = [];
  for (const b64 of JSON.parse(Buffer.concat(data).toString('utf8'))) {
    const p = new PDFParse({ data: new Uint8Array(Buffer.from(b64, 'base64')) });
    const r = await p.getText();
    await p.destroy();
    out.push({ text: r.text, pages: r.total });
  }
  process.stdout.write(JSON.stringify(out));
});`;
  const input = JSON.stringify(pdfs.map((b) => b.toString('base64')));
  const r = spawnSync(process.execPath, ['-e', script], { cwd: join(__dirname, '..', '..'), input, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (r.status !== 0) throw new Error(`pdf-parse failed: ${r.stderr}`);
  const texts = JSON.parse(r.stdout) as PdfText[];
  if (texts.length !== pdfs.length) throw new Error(`pdf-parse read ${texts.length} of ${pdfs.length} PDFs`);
  return texts;
}

/** The visible text of an HTML document: tags dropped, the five escapes and numeric references decoded. */
export function htmlText(html: string): string {
  const body = html.replace(/<head>[\s\S]*?<\/head>/, '').replace(/<svg[\s\S]*?<\/svg>/g, '');
  return body
    .replace(/<[^>]*>/g, ' ')
    .replace(/&#(\d+);/g, (_m, d: string) => String.fromCodePoint(Number(d)))
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&');
}

/** Whitespace collapsed: a PDF wraps long cells onto several lines. */
export const flat = (s: string): string => s.replace(/\s+/g, ' ');
/** Whitespace removed: a word longer than its cell is broken inside. */
export const squeezed = (s: string): string => s.replace(/\s+/g, '');

/** "1322.97" as a reader sees it, "1,322.97": grouped with BigInt's own locale formatting, not the code under test. */
export function grouped(decimal: string): string {
  const m = /^(-?)(\d+)(\.\d+)?$/.exec(decimal);
  if (!m) throw new Error(`not a decimal: ${decimal}`);
  return `${m[1]}${BigInt(m[2]!).toLocaleString('en-US')}${m[3] ?? ''}`;
}
