import { isAlias, isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, Scalar } from 'yaml';
import type { Alias, Document, Node as YNode, Pair, Scalar as YScalar } from 'yaml';
import type { Diagnostic } from '../errors';
import { quoteValue } from '../errors';
import { parseDecimalText } from '../money/decimal';
import type { Dec } from '../money/decimal';

/**
 * A located walk over a YAML document that never builds plain JS values from it:
 * scalars are read from their source text (so `0.1` and `"0.1"` are the same exact
 * price), aliases and merge keys are followed under a node budget (an alias bomb is
 * an error, not a hang), and every problem is collected as file:line:column.
 * Shared by the price list and the import profiles.
 */

/** The node tests of the one copy of yaml, for readers that look at node kinds themselves. */
export { isAlias, isMap, isPair, isScalar, isSeq } from 'yaml';

export interface WalkerOptions {
  /**
   * Anchors, aliases and merge keys are refused, each at its place, as
   * "YAML anchors are not allowed in <this>": a document with no use for them (an
   * import profile). Default: they are followed (the price list).
   */
  refuseAnchorsIn?: string;
}

/** Nodes that aliases may add to a document (by expansion) before we call it an attack. */
const NODE_BUDGET = 200_000;

/** Merge keys may merge maps that merge maps… this deep, no deeper (the walk recurses on them). */
const MAX_MERGE_DEPTH = 64;

export type Value = YNode | null;

export class YamlWalker {
  readonly diagnostics: Diagnostic[] = [];
  private readonly lc = new LineCounter();
  private budget = NODE_BUDGET;
  /** Each alias's anchored node, found by scan() in one pass over the document. */
  private readonly targets = new Map<Alias, YNode>();
  private exhausted = false;
  readonly doc: Document | null;
  private mergeDepth = 0;

  private readonly refuseAnchorsIn: string | undefined;

  constructor(readonly file: string, text: string, opts: WalkerOptions = {}) {
    this.refuseAnchorsIn = opts.refuseAnchorsIn;
    let doc: Document | null = null;
    try {
      // uniqueKeys is checked by scan() below: yaml's own check compares every key with
      // every other (quadratic: 40,000 customers took over a minute)
      doc = parseDocument(text, { lineCounter: this.lc, uniqueKeys: false, merge: false, prettyErrors: true, strict: true });
    } catch (e) {
      // yaml recurses on deeply nested collections; a stack overflow is a bad document, not a bug
      this.diagnostics.push({ file, line: 1, column: 1, message: `cannot parse YAML: ${(e as Error).message}` });
    }
    this.doc = doc;
    if (doc) this.checkCharacters(text);
    if (doc) {
      for (const err of [...doc.errors, ...doc.warnings]) {
        const p = err.linePos?.[0];
        const first = err.message.split('\n')[0] ?? err.message;
        const msg = first.replace(/ at line \d+, column \d+:?$/, '');
        this.diagnostics.push({ file, line: p?.line ?? 1, column: p?.col ?? 1, message: `YAML: ${msg}` });
      }
      if (doc.errors.length === 0) this.scan(doc);
    }
  }

  /**
   * YAML allows only printable characters in a stream (YAML 1.2 §5.1): a raw NUL, ESC or
   * other control character is a damaged file, and would be echoed into invoices. The
   * yaml library lets them through, so they are refused here, each at its place
   * (escapes like "\e" in a double-quoted string are text the outputs make safe).
   */
  private checkCharacters(text: string): void {
    const re = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u0084\u0086-\u009f\ufffe\uffff]/g;
    let found = 0;
    for (const m of text.matchAll(re)) {
      if (++found > 20) break;
      const p = this.lc.linePos(m.index);
      const code = m[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0');
      this.diagnostics.push({ file: this.file, line: p.line, column: p.col, message: `YAML: the control character U+${code} is not allowed in a YAML file (a damaged file?)` });
    }
  }

  /**
   * One pass over the whole document, in document order, without recursion (a deeply
   * nested document must not overflow the stack): resolves every alias to the latest
   * anchor before it, finds duplicate keys in every mapping (SPEC §3), refuses an alias
   * to a node that contains it (a recursive structure) and measures how many nodes
   * the aliases add when expanded — an alias bomb is reported at the alias where the
   * expansion passes NODE_BUDGET, even under a key the price list never reads.
   * The walk's own budget is then set from the document's real size.
   */
  private scan(doc: Document): void {
    const anchors = new Map<string, { node: YNode; size: number; open: boolean }>();
    interface Frame {
      node: YNode;
      kids: Array<YNode | null>;
      i: number;
      size: number;
      anchor: string | undefined;
    }
    const stack: Frame[] = [];
    let plainNodes = 0;
    let expansion = 0;
    let bombReported = false;
    const add = (size: number): void => {
      const top = stack[stack.length - 1];
      if (top) top.size += size;
    };
    const enter = (node: YNode | null): void => {
      if (node === null || node === undefined) return;
      plainNodes++;
      if (isAlias(node) && this.refuseAnchorsIn !== undefined) {
        this.error(node, `YAML aliases are not allowed in ${this.refuseAnchorsIn}`);
        add(1);
        return;
      }
      if (isAlias(node)) {
        const a = anchors.get(node.source);
        if (!a) {
          this.error(node, `alias *${node.source} does not refer to an anchor (&${node.source}) before it`);
          add(1);
          return;
        }
        if (a.open) {
          this.error(node, `alias *${node.source} refers to the node that contains it: a recursive structure cannot be a price list`);
          add(1);
          return;
        }
        this.targets.set(node as Alias, a.node);
        expansion += a.size;
        if (expansion > NODE_BUDGET && !bombReported) {
          bombReported = true;
          this.error(node, `YAML aliases expand this document beyond ${NODE_BUDGET} nodes: refusing it (an alias bomb?)`);
        }
        add(Math.min(a.size, Number.MAX_SAFE_INTEGER));
        return;
      }
      const anchor = (node as { anchor?: string }).anchor || undefined;
      if (anchor !== undefined && this.refuseAnchorsIn !== undefined) this.error(node, `YAML anchors are not allowed in ${this.refuseAnchorsIn}`);
      const kids: Array<YNode | null> = [];
      if (isMap(node)) {
        this.checkUniqueKeys(node.items as Pair<YNode, YNode>[]);
        for (const p of node.items as Pair<YNode, YNode>[]) kids.push(p.key ?? null, p.value ?? null);
      } else if (isSeq(node)) {
        for (const it of node.items as unknown[]) {
          if (isPair(it)) kids.push((it.key as YNode) ?? null, (it.value as YNode) ?? null);
          else kids.push((it as YNode) ?? null);
        }
      }
      if (anchor !== undefined) anchors.set(anchor, { node, size: 0, open: true });
      stack.push({ node, kids, i: 0, size: 1, anchor });
    };
    enter((doc.contents as YNode | null) ?? null);
    while (stack.length > 0) {
      const top = stack[stack.length - 1]!;
      if (top.i < top.kids.length) {
        enter(top.kids[top.i++]!);
        continue;
      }
      stack.pop();
      if (top.anchor !== undefined) {
        const a = anchors.get(top.anchor);
        // a later anchor of the same name replaces this one only from where it stands
        if (a && a.node === top.node) {
          a.size = top.size;
          a.open = false;
        }
      }
      add(top.size);
    }
    // the walk visits each node of the expanded document a few times at most
    this.budget = 8 * (plainNodes + Math.min(expansion, NODE_BUDGET)) + 1000;
  }

  /** SPEC §3: a duplicate key is an error, reported at the second key (keys compared as the walk reads them). */
  private checkUniqueKeys(items: Pair<YNode, YNode>[]): void {
    const first = new Map<string, YNode>();
    for (const p of items) {
      const k = p.key;
      if (!isScalar(k)) continue;
      const key = this.text(k);
      if (key === '<<' && k.type === Scalar.PLAIN && this.refuseAnchorsIn === undefined) continue;
      const prev = first.get(key);
      if (prev) {
        this.error(k, `YAML: Map keys must be unique: ${quoteValue(key)} appears twice (first at line ${this.pos(prev).line})`);
        continue;
      }
      first.set(key, k);
    }
  }

  get root(): Value {
    return this.doc && this.doc.errors.length === 0 ? ((this.doc.contents as YNode | null) ?? null) : null;
  }

  pos(node: Value | undefined): { line: number; column: number } {
    const off = node?.range?.[0];
    if (off === undefined) return { line: 1, column: 1 };
    const p = this.lc.linePos(off);
    return { line: p.line, column: p.col };
  }

  error(node: Value | undefined, message: string): void {
    const p = this.pos(node);
    this.diagnostics.push({ file: this.file, line: p.line, column: p.column, message });
  }

  /** Follows aliases, counting every node visited against the budget. */
  resolve(node: Value | undefined): Value {
    if (!node) return null;
    if (!this.spend(node)) return null;
    let n: unknown = node;
    let hops = 0;
    // refused where it stands (scan)
    if (isAlias(n) && this.refuseAnchorsIn !== undefined) return null;
    while (isAlias(n)) {
      const alias = n as Alias;
      // scan() resolved every alias in one pass (yaml's Alias.resolve searches the whole document each time)
      const target = this.targets.get(alias);
      if (!target || ++hops > 100) {
        this.error(node, `alias *${(n as Alias).source} does not resolve`);
        return null;
      }
      n = target;
      if (!this.spend(n as YNode)) return null;
    }
    return n as YNode;
  }

  private spend(node: Value): boolean {
    if (this.exhausted) return false;
    if (--this.budget < 0) {
      this.exhausted = true;
      this.error(node, `YAML aliases expand this document beyond ${NODE_BUDGET} nodes: refusing it (an alias bomb?)`);
      return false;
    }
    return true;
  }

  /** Whether the node (aliases followed) is a mapping: a key that takes a mapping or a word (`tax: none`). */
  isMapping(node: Value): boolean {
    return isMap(this.resolve(node));
  }

  isNull(node: Value): boolean {
    const n = this.resolve(node);
    return n === null || (isScalar(n) && n.value === null);
  }

  /**
   * The entries of a mapping with merge keys (`<<: *base`) applied: explicit keys win
   * over merged ones, earlier merged maps over later ones, as YAML 1.1 says.
   */
  entries(node: Value, what: string): Array<{ key: string; keyNode: YNode; value: Value }> | null {
    const n = this.resolve(node);
    if (!isMap(n)) {
      this.error(node, `${what}: expected a mapping, found ${this.describe(n)}`);
      return null;
    }
    const out: Array<{ key: string; keyNode: YNode; value: Value }> = [];
    // duplicate explicit keys were reported by scan(); the first one is used
    const seen = new Set<string>();
    const merged: Array<{ key: string; keyNode: YNode; value: Value }> = [];
    for (const pair of n.items as Pair<YNode, YNode>[]) {
      const keyNode = this.resolve(pair.key);
      if (!isScalar(keyNode)) {
        this.error(pair.key ?? n, `${what}: a key must be a plain text, found ${this.describe(keyNode)}`);
        continue;
      }
      const key = this.text(keyNode);
      if (key === '<<' && keyNode.type === Scalar.PLAIN && this.refuseAnchorsIn === undefined) {
        if (this.mergeDepth >= MAX_MERGE_DEPTH) {
          this.error(pair.key, `${what}: merge keys (<<) nested more than ${MAX_MERGE_DEPTH} deep`);
          continue;
        }
        const src = this.resolve(pair.value);
        const sources = isSeq(src) ? (src.items as YNode[]) : [pair.value as YNode];
        this.mergeDepth++;
        try {
          for (const s of sources) {
            const sub = this.entries(s, `${what} (merge key <<)`);
            if (sub) for (const e of sub) merged.push(e);
          }
        } finally {
          this.mergeDepth--;
        }
        continue;
      }
      if (seen.has(key)) continue;
      seen.add(key);
      out.push({ key, keyNode, value: (pair.value as YNode | null) ?? null });
    }
    for (const e of merged) {
      if (seen.has(e.key)) continue;
      seen.add(e.key);
      out.push(e);
    }
    return out;
  }

  /** A mapping with the allowed and required keys checked; returns a key → entry map. */
  fields(node: Value, what: string, allowed: readonly string[], required: readonly string[] = []): Map<string, { keyNode: YNode; value: Value }> | null {
    const es = this.entries(node, what);
    if (!es) return null;
    const m = new Map<string, { keyNode: YNode; value: Value }>();
    for (const e of es) {
      if (!allowed.includes(e.key)) {
        this.error(e.keyNode, `${what}: unknown key ${quoteValue(e.key)} (expected one of: ${allowed.join(', ')})`);
        continue;
      }
      m.set(e.key, { keyNode: e.keyNode, value: e.value });
    }
    for (const r of required) {
      if (!m.has(r)) this.error(node, `${what}: missing key ${quoteValue(r)}`);
    }
    return m;
  }

  seq(node: Value, what: string): Value[] | null {
    const n = this.resolve(node);
    if (!isSeq(n)) {
      this.error(node, `${what}: expected a list, found ${this.describe(n)}`);
      return null;
    }
    return n.items as YNode[];
  }

  /** Source text of a scalar: a plain scalar as written, a quoted one as its value. */
  text(n: YScalar): string {
    if (n.type === Scalar.PLAIN) return n.source ?? String(n.value);
    return typeof n.value === 'string' ? n.value : String(n.value);
  }

  scalarText(node: Value, what: string): string | undefined {
    const n = this.resolve(node);
    if (!isScalar(n) || n.value === null) {
      this.error(node, `${what}: expected a value, found ${this.describe(n)}`);
      return undefined;
    }
    return this.text(n);
  }

  string(node: Value, what: string): string | undefined {
    const t = this.scalarText(node, what);
    if (t === undefined) return undefined;
    if (t.length === 0) {
      this.error(node, `${what}: must not be empty`);
      return undefined;
    }
    return t;
  }

  decimal(node: Value, what: string, opts: { positive?: boolean } = {}): Dec | undefined {
    const t = this.scalarText(node, what);
    if (t === undefined) return undefined;
    const r = parseDecimalText(t);
    if (!r.ok) {
      this.error(node, `${what}: ${r.reason}`);
      return undefined;
    }
    if (r.value.isNegative() && !r.value.isZero()) {
      this.error(node, `${what}: must not be negative (found ${t})`);
      return undefined;
    }
    if (opts.positive && r.value.isZero()) {
      this.error(node, `${what}: must be greater than 0 (found ${t})`);
      return undefined;
    }
    return r.value.abs();
  }

  integer(node: Value, what: string, min: number, max = 1_000_000_000): number | undefined {
    const t = this.scalarText(node, what);
    if (t === undefined) return undefined;
    if (!/^(0|[1-9][0-9]{0,9})$/.test(t.trim())) {
      this.error(node, `${what}: expected a whole number, found ${quoteValue(t)}`);
      return undefined;
    }
    const v = Number(t.trim());
    if (v < min || v > max) {
      this.error(node, `${what}: must be between ${min} and ${max} (found ${t})`);
      return undefined;
    }
    return v;
  }

  boolean(node: Value, what: string): boolean | undefined {
    const t = this.scalarText(node, what);
    if (t === undefined) return undefined;
    if (t === 'true') return true;
    if (t === 'false') return false;
    this.error(node, `${what}: expected true or false, found ${quoteValue(t)}`);
    return undefined;
  }

  oneOf<T extends string>(node: Value, what: string, options: readonly T[]): T | undefined {
    const t = this.scalarText(node, what);
    if (t === undefined) return undefined;
    if ((options as readonly string[]).includes(t)) return t as T;
    this.error(node, `${what}: expected one of ${options.join(', ')}, found ${quoteValue(t)}`);
    return undefined;
  }

  describe(n: Value): string {
    if (n === null) return 'nothing';
    if (isMap(n)) return 'a mapping';
    if (isSeq(n)) return 'a list';
    if (isScalar(n)) return n.value === null ? 'nothing' : quoteValue(this.text(n));
    return 'something else';
  }
}
