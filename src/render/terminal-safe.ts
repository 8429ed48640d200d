/**
 * Text from the user's files shown on a terminal must not carry control sequences
 * (an ESC in a customer name could rewrite the screen): C0 and C1 controls, DEL, the
 * bidirectional overrides and isolates, the bidi marks (ALM, LRM, RLM) and the Unicode
 * line and paragraph separators are replaced by a visible escape ("Trojan Source",
 * CVE-2021-42574: reordered text must not pass for other text).
 */
import { quoteValue } from '../errors';

// eslint-disable-next-line no-control-regex
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

export function terminalSafe(s: string): string {
  return s.replace(UNSAFE, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** A cell value quoted for a message: JSON-escaped, terminal-safe, cut at about 80 characters (with the full length). */
export function shownValue(s: string): string {
  return terminalSafe(quoteValue(s));
}
