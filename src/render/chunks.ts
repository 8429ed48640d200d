/**
 * Long outputs as a sequence of text pieces (a month of a million customers is more text
 * than one JavaScript string may hold): renderers yield lines, `batched` groups them into
 * pieces of about 64 KiB for the writer, and `joined` gives the whole text back for callers
 * that want one string (small outputs, tests).
 */
export type Chunks = Iterable<string>;

const PIECE = 64 * 1024;

export function* batched(lines: Iterable<string>): Generator<string> {
  let parts: string[] = [];
  let size = 0;
  for (const l of lines) {
    parts.push(l);
    size += l.length;
    if (size >= PIECE) {
      yield parts.join('');
      parts = [];
      size = 0;
    }
  }
  if (parts.length > 0) yield parts.join('');
}

export function joined(chunks: Chunks): string {
  let out = '';
  for (const c of chunks) out += c;
  return out;
}
