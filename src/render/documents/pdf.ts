/**
 * An invoice document as a PDF (docs/reference.md §9): A4, the font embedded and subset,
 * text extractable, the lines table broken across pages with its header repeated. pdfkit
 * is loaded only here, when documents are asked for. The same model and the same issue
 * date give the same bytes: the dates inside the file, and the file ID pdfkit derives from
 * them, come from the issue date, never from the clock.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError } from '../../errors';
import type { DocumentModel, Row } from './model';

type PDFDoc = PDFKit.PDFDocument;

/**
 * The folder of the font shipped with callbill, src/render/documents/fonts in the package
 * (package.json's "files" ships it): beside this file when it runs from the source (tests),
 * ../src/render/documents/fonts from the bundle in dist/.
 */
function shippedFontDir(): string {
  const dirs = [join(__dirname, 'fonts'), join(__dirname, '..', 'src', 'render', 'documents', 'fonts')];
  return dirs.find((d) => existsSync(join(d, 'DejaVuSans.ttf'))) ?? dirs[0]!;
}

function shippedFonts(): { regular: string; bold: string } {
  const dir = shippedFontDir();
  return { regular: join(dir, 'DejaVuSans.ttf'), bold: join(dir, 'DejaVuSans-Bold.ttf') };
}

/** A font as pdfkit's font engine (fontkit) parsed it: opaque here, handed back to pdfkit. */
type ParsedFont = { layout(text: string): unknown };

/**
 * The fonts of a run's documents, read once for all of them and parsed once: the first
 * document parses each face, every later one reuses the parsed font (parsing DejaVu
 * Sans per document was most of the time of a thousand documents). What a document
 * embeds (its own subset) does not depend on what earlier documents used.
 */
export interface DocumentFonts {
  regular: Buffer;
  bold: Buffer;
  /** How the font is named in a message: the user's file, or "DejaVu Sans (shipped)". */
  label: string;
  parsed?: { regular: ParsedFont; bold: ParsedFont };
}

/** The shipped DejaVu Sans, or the user's font (one file for every text, bold included). */
export function loadFonts(userFont: string | null, read: (path: string) => Buffer = readFileSync): DocumentFonts {
  if (userFont !== null) {
    const b = read(userFont);
    return { regular: b, bold: b, label: userFont };
  }
  const shipped = shippedFonts();
  return { regular: read(shipped.regular), bold: read(shipped.bold), label: 'DejaVu Sans (the font shipped with callbill)' };
}

const A4 = { w: 595.28, h: 841.89 };
const M = { left: 48, right: 48, top: 48, bottom: 56 };
const W = A4.w - M.left - M.right;
const BLUE = '#1f4e79';
const GREY = '#5b6470';
const RULE = '#d7dbe0';
/** Column widths of the lines table: description, quantity, unit, unit price, amount. */
const COLS = [W - 60 - 52 - 66 - 82, 60, 52, 66, 82];
const ALIGN: Array<'left' | 'right'> = ['left', 'right', 'left', 'right', 'right'];

function allTexts(m: DocumentModel): string[] {
  const rows = (rs: readonly Row[]): string[] => rs.flatMap((r) => [r.label, r.value]);
  return [
    m.title,
    m.number,
    m.reverses ?? '',
    ...(m.seller ? [m.seller.name, ...m.seller.lines] : []),
    m.customer.name,
    ...m.customer.lines,
    ...rows(m.meta),
    ...m.lineHeadings,
    ...m.lines.flat(),
    ...rows(m.totals),
    m.taxNote ?? '',
    ...rows(m.payment),
    ...rows(m.diversion),
    ...rows(m.sla),
    m.footer ?? '',
    ' · Page 1 of 1',
  ];
}

/** A character the font has no glyph for is an error that names it (78), never a blank box. */
function checkGlyphs(doc: PDFDoc, m: DocumentModel, fonts: DocumentFonts): void {
  for (const face of ['regular', 'bold'] as const) {
    doc.font(face);
    const font = (doc as unknown as { _font: { font: { hasGlyphForCodePoint(cp: number): boolean } } })._font.font;
    for (const t of allTexts(m)) {
      for (const ch of t) {
        const cp = ch.codePointAt(0)!;
        if (cp === 0x20 || font.hasGlyphForCodePoint(cp)) continue;
        const u = `U+${cp.toString(16).toUpperCase().padStart(4, '0')}`;
        throw new ConfigError([
          {
            file: fonts.label,
            line: 0,
            column: 0,
            message: `the font has no ${face === 'bold' ? 'bold ' : ''}glyph for ${u} ${JSON.stringify(ch)} (in ${JSON.stringify(t.length > 60 ? `${t.slice(0, 57)}...` : t)} on document ${m.number}); name a font that has it with --font or documents.font (docs/reference.md §9)`,
          },
        ]);
      }
    }
  }
}

export function renderDocumentPdf(m: DocumentModel, fonts: DocumentFonts, issueDate: string): Promise<Buffer> {
  // loaded here, not at start-up: only a run that writes documents pays for pdfkit
  const PDFDocument = require('pdfkit') as typeof import('pdfkit');
  const date = new Date(`${issueDate}T00:00:00Z`);
  const doc = new PDFDocument({
    size: 'A4',
    margins: M,
    bufferPages: true,
    autoFirstPage: false,
    info: { Title: `${m.title} ${m.number}`, Author: m.seller?.name ?? 'callbill', Creator: 'callbill', Producer: 'callbill (pdfkit)', CreationDate: date, ModDate: date },
    lang: 'en',
    displayTitle: true,
  });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  // pdfkit takes a parsed font in place of the file's bytes (its PDFFontFactory.open)
  const register = doc.registerFont.bind(doc) as (name: string, src: Buffer | ParsedFont) => void;
  register('regular', fonts.parsed?.regular ?? fonts.regular);
  register('bold', fonts.parsed?.bold ?? fonts.bold);
  if (!fonts.parsed) fonts.parsed = { regular: parsedFont(doc, 'regular'), bold: parsedFont(doc, 'bold') };
  checkGlyphs(doc, m, fonts);
  layout(doc, m);
  doc.end();
  return done;
}

/** The font pdfkit parsed for a face of this document (selecting it parses it). */
function parsedFont(doc: PDFDoc, face: 'regular' | 'bold'): ParsedFont {
  doc.font(face);
  return (doc as unknown as { _font: { font: ParsedFont } })._font.font;
}

function layout(doc: PDFDoc, m: DocumentModel): void {
  const bottom = A4.h - M.bottom;
  doc.addPage();
  let y = M.top;
  const ensure = (h: number): void => {
    if (y + h > bottom) {
      doc.addPage();
      y = M.top;
    }
  };

  // header: the kind and number on the left, the seller on the right
  const half = W / 2 - 8;
  doc.save().roundedRect(M.left, y, 26, 26, 4).fill(BLUE).restore();
  doc.save().lineWidth(2.2).strokeColor('#ffffff').lineCap('round');
  for (const [dy, len] of [[8, 14], [13, 14], [18, 9]] as const) doc.moveTo(M.left + 6, y + dy).lineTo(M.left + 6 + len, y + dy).stroke();
  doc.restore();
  doc.font('bold').fontSize(20).fillColor(BLUE).text(m.title, M.left + 34, y + 1, { width: half - 34 });
  let ly = doc.y;
  doc.font('bold').fontSize(11).fillColor('#1b1f24').text(m.number, M.left + 34, ly, { width: half - 34 });
  ly = doc.y;
  if (m.reverses) {
    doc.font('bold').fontSize(10).fillColor('#9a3412').text(m.reverses, M.left + 34, ly, { width: half - 34 });
    ly = doc.y;
  }
  let ry = y;
  if (m.seller) {
    doc.font('bold').fontSize(10).fillColor('#1b1f24').text(m.seller.name, M.left + W - half, ry, { width: half, align: 'right' });
    ry = doc.y;
    doc.font('regular').fontSize(9).fillColor(GREY);
    for (const l of m.seller.lines) {
      doc.text(l, M.left + W - half, ry, { width: half, align: 'right' });
      ry = doc.y;
    }
  }
  y = Math.max(ly, ry) + 8;
  doc.moveTo(M.left, y).lineTo(M.left + W, y).lineWidth(1.5).strokeColor(BLUE).stroke();
  y += 12;

  // bill to on the left, the dates on the right
  doc.font('regular').fontSize(8).fillColor(GREY).text('BILL TO', M.left, y, { width: half, characterSpacing: 0.5 });
  let by = doc.y + 1;
  doc.font('bold').fontSize(10).fillColor('#1b1f24').text(m.customer.name, M.left, by, { width: half });
  by = doc.y;
  doc.font('regular').fontSize(9).fillColor('#1b1f24');
  for (const l of m.customer.lines) {
    doc.text(l, M.left, by, { width: half });
    by = doc.y;
  }
  let my = y;
  const labelW = 100;
  for (const r of m.meta) {
    doc.font('regular').fontSize(9).fillColor(GREY).text(r.label, M.left + W - half, my, { width: labelW });
    doc.font('regular').fontSize(9).fillColor('#1b1f24').text(r.value, M.left + W - half + labelW, my, { width: half - labelW });
    my = Math.max(doc.y, my + 12);
  }
  y = Math.max(by, my) + 16;

  // the lines, the header repeated on every page
  const pad = 3.2;
  const header = (): void => {
    doc.font('bold').fontSize(8.5);
    const h = Math.max(...m.lineHeadings.map((t, i) => doc.heightOfString(t, { width: COLS[i]! - 2 * pad }))) + 2 * pad;
    doc.save().rect(M.left, y, W, h).fill(BLUE).restore();
    let x = M.left;
    m.lineHeadings.forEach((t, i) => {
      doc.fillColor('#ffffff').text(t, x + pad, y + pad, { width: COLS[i]! - 2 * pad, align: ALIGN[i] });
      x += COLS[i]!;
    });
    y += h;
  };
  ensure(60);
  header();
  doc.font('regular').fontSize(9);
  for (const line of m.lines) {
    doc.font('regular').fontSize(9);
    const h = Math.max(...line.map((t, i) => doc.heightOfString(t, { width: COLS[i]! - 2 * pad }))) + 2 * pad;
    if (y + h > bottom) {
      doc.addPage();
      y = M.top;
      header();
      doc.font('regular').fontSize(9);
    }
    let x = M.left;
    line.forEach((t, i) => {
      doc.fillColor('#1b1f24').text(t, x + pad, y + pad, { width: COLS[i]! - 2 * pad, align: ALIGN[i] });
      x += COLS[i]!;
    });
    y += h;
    doc.moveTo(M.left, y).lineTo(M.left + W, y).lineWidth(0.5).strokeColor(RULE).stroke();
  }

  const rowHeights = (rs: readonly Row[], w: number, lw: number): number[] => {
    doc.font('regular').fontSize(9);
    return rs.map((r) => Math.max(doc.heightOfString(r.label, { width: lw - 8 }), doc.heightOfString(r.value, { width: w - lw })) + 2);
  };
  const section = (title: string, rs: readonly Row[], x: number, w: number, lw: number, top: number): number => {
    let sy = top + 14;
    doc.font('bold').fontSize(9.5).fillColor(BLUE).text(title.toUpperCase(), x, sy, { width: w, characterSpacing: 0.5 });
    sy = doc.y + 1;
    doc.moveTo(x, sy).lineTo(x + w, sy).lineWidth(0.5).strokeColor(RULE).stroke();
    sy += 4;
    const hs = rowHeights(rs, w, lw);
    rs.forEach((r, i) => {
      doc.font('regular').fontSize(9).fillColor(GREY).text(r.label, x, sy, { width: lw - 8 });
      doc.fillColor('#1b1f24').text(r.value, x + lw, sy, { width: w - lw });
      sy += hs[i]!;
    });
    return sy;
  };
  const sum = (hs: number[]): number => hs.reduce((a, b) => a + b, 0);
  // totals, right-aligned under the amounts
  y += 8;
  const tw = 250;
  // payment details on the left of the totals
  const payW = W - tw - 24;
  ensure(Math.max(24 + sum(rowHeights(m.payment, payW, 62)), 70));
  const totalsTop = y;
  const payEnd = section('Payment', m.payment, M.left, payW, 62, y - 14);
  y = totalsTop;
  const tx = M.left + W - tw;
  m.totals.forEach((r, i) => {
    const last = i === m.totals.length - 1;
    const size = last ? 12 : 9.5;
    doc.font(last ? 'bold' : 'regular').fontSize(size);
    const h = Math.max(doc.heightOfString(r.label, { width: tw - 130 }), doc.heightOfString(r.value, { width: 130 - pad })) + 5;
    ensure(h + 6);
    if (last) {
      doc.moveTo(tx, y).lineTo(M.left + W, y).lineWidth(1.5).strokeColor(BLUE).stroke();
      y += 4;
    }
    doc.fillColor('#1b1f24').text(r.label, tx, y, { width: tw - 130, align: 'right' });
    doc.text(r.value, tx + tw - 130, y, { width: 130 - pad, align: 'right' });
    y += h;
  });
  y = Math.max(y, payEnd);
  if (m.taxNote) {
    doc.font('regular').fontSize(8.5);
    const h = doc.heightOfString(m.taxNote, { width: W - pad });
    ensure(h + 4);
    doc.fillColor(GREY).text(m.taxNote, M.left, y + 2, { width: W - pad, align: 'right' });
    y = doc.y;
  }

  // the statements: diversion and service level side by side
  const colW = W / 2 - 10;
  const colLw = 112;
  ensure(24 + Math.max(sum(rowHeights(m.diversion, colW, colLw)), sum(rowHeights(m.sla, colW, colLw))));
  const top = y;
  y = Math.max(section('Diversion statement', m.diversion, M.left, colW, colLw, top), section('Service level statement', m.sla, M.left + W - colW, colW, colLw, top));

  // the footer and the page numbers on every page
  const pages = doc.bufferedPageRange();
  for (let i = 0; i < pages.count; i++) {
    doc.switchToPage(pages.start + i);
    // below the bottom margin pdfkit would start a new page: the footer lives in the margin
    doc.page.margins.bottom = 0;
    const fy = A4.h - M.bottom + 14;
    doc.moveTo(M.left, fy - 4).lineTo(M.left + W, fy - 4).lineWidth(0.5).strokeColor(RULE).stroke();
    doc.font('regular').fontSize(7.5).fillColor(GREY);
    const pageText = `${m.number} · Page ${i + 1} of ${pages.count}`;
    if (m.footer) doc.text(m.footer, M.left, fy, { width: W - 150, height: 30, ellipsis: true, lineBreak: true });
    doc.text(pageText, M.left + W - 150, fy, { width: 150, align: 'right', height: 30, ellipsis: true, lineBreak: false });
  }
}
