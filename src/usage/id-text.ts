/**
 * Ids (record_id, customer_id, the price list's customer keys) are compared code unit
 * by code unit and echoed into invoice numbers, file names, CSV cells and terminals. An
 * id holding a control character is a damaged export; one holding a character that is
 * drawn as nothing (a zero-width space, a soft hyphen, a tag character, a bidi control:
 * Unicode's Default_Ignorable_Code_Point) displays as another id — `AC\u200bME` looks
 * like `ACME` and would get an invoice of its own. Both are refused; nothing is
 * normalised silently.
 */

// eslint-disable-next-line no-control-regex
// C0, C1, DEL and the bidi controls and separators that reorder or break a line of text
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;
const INVISIBLE = /[\u2028\u2029\p{Default_Ignorable_Code_Point}\p{Bidi_Control}]/u;

const NAMES: Record<number, string> = {
  0x00ad: 'SOFT HYPHEN',
  0x034f: 'COMBINING GRAPHEME JOINER',
  0x061c: 'ARABIC LETTER MARK',
  0x115f: 'HANGUL CHOSEONG FILLER',
  0x1160: 'HANGUL JUNGSEONG FILLER',
  0x17b4: 'KHMER VOWEL INHERENT AQ',
  0x17b5: 'KHMER VOWEL INHERENT AA',
  0x180e: 'MONGOLIAN VOWEL SEPARATOR',
  0x200b: 'ZERO WIDTH SPACE',
  0x200c: 'ZERO WIDTH NON-JOINER',
  0x200d: 'ZERO WIDTH JOINER',
  0x200e: 'LEFT-TO-RIGHT MARK',
  0x200f: 'RIGHT-TO-LEFT MARK',
  0x2028: 'LINE SEPARATOR',
  0x2029: 'PARAGRAPH SEPARATOR',
  0x202a: 'LEFT-TO-RIGHT EMBEDDING',
  0x202b: 'RIGHT-TO-LEFT EMBEDDING',
  0x202c: 'POP DIRECTIONAL FORMATTING',
  0x202d: 'LEFT-TO-RIGHT OVERRIDE',
  0x202e: 'RIGHT-TO-LEFT OVERRIDE',
  0x2060: 'WORD JOINER',
  0x2061: 'FUNCTION APPLICATION',
  0x2062: 'INVISIBLE TIMES',
  0x2063: 'INVISIBLE SEPARATOR',
  0x2064: 'INVISIBLE PLUS',
  0x2066: 'LEFT-TO-RIGHT ISOLATE',
  0x2067: 'RIGHT-TO-LEFT ISOLATE',
  0x2068: 'FIRST STRONG ISOLATE',
  0x2069: 'POP DIRECTIONAL ISOLATE',
  0x3164: 'HANGUL FILLER',
  0xfeff: 'ZERO WIDTH NO-BREAK SPACE',
  0xffa0: 'HALFWIDTH HANGUL FILLER',
  0xe0001: 'LANGUAGE TAG',
  0xe0020: 'TAG SPACE',
  0xe007f: 'CANCEL TAG',
};

/** `U+200B ZERO WIDTH SPACE`, `U+E0041 TAG LATIN CAPITAL LETTER A`, or `U+2065` with a description when unnamed here. */
function describeCodePoint(cp: number): string {
  const hex = `U+${cp.toString(16).toUpperCase().padStart(4, '0')}`;
  const name = NAMES[cp];
  if (name) return `${hex} ${name}`;
  if (cp >= 0xfe00 && cp <= 0xfe0f) return `${hex} VARIATION SELECTOR-${cp - 0xfe00 + 1}`;
  if (cp >= 0xe0100 && cp <= 0xe01ef) return `${hex} VARIATION SELECTOR-${cp - 0xe0100 + 17}`;
  if (cp >= 0x180b && cp <= 0x180f) return `${hex} MONGOLIAN FREE VARIATION SELECTOR`;
  if (cp >= 0xe0021 && cp <= 0xe007e) return `${hex} TAG ${JSON.stringify(String.fromCharCode(cp - 0xe0000))}`;
  if (cp >= 0xe0000 && cp <= 0xe0fff) return `${hex} (a tag character)`;
  return `${hex} (a character drawn as nothing)`;
}

/** `\u200b`, `\u{e0001}`: how the character is written in JSON or JavaScript. */
function escaped(cp: number): string {
  return cp > 0xffff ? `\\u{${cp.toString(16)}}` : `\\u${cp.toString(16).padStart(4, '0')}`;
}

/**
 * What is wrong with an id, or null when nothing is: a control character ("a damaged
 * export?") or an invisible one, named and escaped.
 */
export function idProblem(id: string): string | null {
  const c = CONTROL.exec(id);
  if (c) return `contains the control character U+${c[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')} (a damaged export?)`;
  const m = INVISIBLE.exec(id);
  if (m) {
    const cp = m[0].codePointAt(0)!;
    return `contains the invisible character ${describeCodePoint(cp)} (${escaped(cp)}) at position ${Array.from(id.slice(0, m.index)).length + 1}: it would look like another id; remove it from the source`;
  }
  return null;
}

/** Fast test for the common id of printable ASCII (no check needed). */
export function isPlainAscii(id: string): boolean {
  for (let i = 0; i < id.length; i++) {
    const c = id.charCodeAt(i);
    if (c < 0x20 || c > 0x7e) return false;
  }
  return true;
}
