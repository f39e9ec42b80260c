// Line access over one big string without splitting it: a 1 MiB log of short lines would otherwise cost
// an array of half a million strings. Matchers find candidate offsets with indexOf, then test one line.
import { MATCH_LINE_CAP } from './normalize.js';

export interface LineIndex {
  readonly text: string;
  /** Lowercased text when lowercasing kept every offset, else undefined (then callers scan every line). */
  readonly lower: string | undefined;
  /** Offset where each line starts. */
  readonly starts: Int32Array;
  readonly count: number;
  /** Line `i` (0-based), cut to MATCH_LINE_CAP characters. */
  line(i: number): string;
  /** 0-based line holding `offset`. */
  lineOf(offset: number): number;
}

const CASED = /[A-Z\u0080-\uffff]/;

export function indexLines(text: string): LineIndex {
  // One pass, growing the offsets by doubling (a second counting pass costs as much as the first).
  let buf = new Int32Array(Math.max(16, Math.min(text.length >> 5, 1 << 16)));
  // indexOf is fast across long lines but costs a call per line; a 1 MiB paste of 2-character lines is
  // faster read character by character. So read by hand, and jump with indexOf once a line runs long.
  let count = 1;
  const n = text.length;
  let run = 0;
  for (let i = 0; i < n; i++) {
    if (text.charCodeAt(i) !== 10) {
      if (++run < 32) continue;
      const at = text.indexOf('\n', i + 1);
      if (at < 0) break;
      i = at;
    }
    run = 0;
    if (count === buf.length) {
      const grown = new Int32Array(buf.length * 2);
      grown.set(buf);
      buf = grown;
    }
    buf[count++] = i + 1;
  }
  const starts = buf.subarray(0, count);
  // Only A-Z and non-ASCII change case: without them the text is its own lowercase copy.
  const lowered = CASED.test(text) ? text.toLowerCase() : text;
  const lower = lowered.length === text.length ? lowered : undefined;
  const cache = new Map<number, string>();
  return {
    text,
    lower,
    starts,
    count,
    line(i: number): string {
      const hit = cache.get(i);
      if (hit !== undefined) return hit;
      const start = starts[i] ?? text.length;
      const next = i + 1 < count ? (starts[i + 1] ?? text.length) - 1 : text.length;
      const end = Math.min(next, start + MATCH_LINE_CAP);
      const value = text.slice(start, end);
      if (cache.size < 4096) cache.set(i, value);
      return value;
    },
    lineOf(offset: number): number {
      let lo = 0;
      let hi = count - 1;
      while (lo < hi) {
        const mid = (lo + hi + 1) >> 1;
        if ((starts[mid] ?? 0) <= offset) lo = mid;
        else hi = mid - 1;
      }
      return lo;
    },
  };
}

/**
 * 0-based lines where `test` passes, visiting only lines that contain one of `literals` (lowercase) when given.
 * At most `limit` lines; each line is tested once.
 */
export function findLines(
  index: LineIndex,
  literals: readonly string[] | undefined,
  test: (line: string) => boolean,
  limit: number,
  scanned?: LiteralHits,
): number[] {
  const hits: number[] = [];
  const candidates = candidateLines(scanned, literals);
  if (candidates !== undefined) {
    for (const idx of candidates) {
      if (test(index.line(idx))) {
        hits.push(idx);
        if (hits.length >= limit) break;
      }
    }
    return hits;
  }
  if (literals !== undefined && literals.length === 1 && index.lower !== undefined) {
    // One literal: occurrences come in line order, so test as we go and stop at the limit.
    const lit = literals[0] ?? '';
    const lower = index.lower;
    let from = 0;
    while (hits.length < limit) {
      const at = lower.indexOf(lit, from);
      if (at < 0) break;
      const idx = index.lineOf(at);
      if (test(index.line(idx))) hits.push(idx);
      const next = index.starts[idx + 1];
      if (next === undefined) break;
      from = next;
    }
    return hits;
  }
  if (literals !== undefined && literals.length > 0 && index.lower !== undefined) {
    const lower = index.lower;
    // Candidate lines from every literal, in line order, each once.
    const candidates = new Set<number>();
    for (const lit of literals) {
      let from = 0;
      while (candidates.size < 100_000) {
        const at = lower.indexOf(lit, from);
        if (at < 0) break;
        const idx = index.lineOf(at);
        candidates.add(idx);
        const next = index.starts[idx + 1];
        if (next === undefined) break;
        from = next;
      }
    }
    const sorted = [...candidates].sort((a, b) => a - b);
    for (const idx of sorted) {
      if (test(index.line(idx))) {
        hits.push(idx);
        if (hits.length >= limit) break;
      }
    }
    return hits;
  }
  for (let i = 0; i < index.count && hits.length < limit; i++) {
    const line = index.line(i);
    if (line.length >= 3 && test(line)) hits.push(i);
  }
  return hits;
}

/**
 * Lines holding each literal, found in one pass; 'many' when a literal is too common to list; undefined
 * for a literal the scan did not look for (the caller then searches itself).
 */
export interface LiteralHits {
  get(literal: string): readonly number[] | 'many' | undefined;
}

const NO_LINES: readonly number[] = Object.freeze([]);

/** Only literals that occur get a list: a short paste hits a handful of the hundreds scanned for. */
class ScanResult implements LiteralHits {
  readonly found = new Map<string, number[] | 'many'>();
  constructor(private readonly known: ReadonlySet<string>) {}
  get(literal: string): readonly number[] | 'many' | undefined {
    return this.found.get(literal) ?? (this.known.has(literal) ? NO_LINES : undefined);
  }
}

const MAX_LINES_PER_LITERAL = 4096;

/**
 * Finds many literals in one regex pass instead of one indexOf per literal (hundreds of passes over a
 * 1 MiB log). Literals contained in a longer one are credited when the longer one matches.
 */
export class LiteralScanner {
  private readonly regex: RegExp | undefined;
  private readonly implied = new Map<string, string[]>();
  private readonly known: ReadonlySet<string>;
  readonly literals: readonly string[];

  constructor(literals: Iterable<string>) {
    const unique = [...new Set([...literals].filter((l) => l.length > 0))].sort((a, b) => b.length - a.length || a.localeCompare(b));
    this.literals = unique;
    this.known = new Set(unique);
    for (const lit of unique) this.implied.set(lit, unique.filter((other) => other !== lit && lit.includes(other)));
    this.regex = unique.length > 0 ? new RegExp(unique.map(escapeRegex).join('|'), 'g') : undefined;
  }

  scan(index: LineIndex): LiteralHits | undefined {
    if (this.regex === undefined || index.lower === undefined) return undefined;
    const result = new ScanResult(this.known);
    const lists = result.found;
    const add = (lit: string, line: number): void => {
      const list = lists.get(lit);
      if (list === undefined) {
        lists.set(lit, [line]);
        return;
      }
      if (list === 'many') return;
      if (list[list.length - 1] === line) return;
      if (list.length >= MAX_LINES_PER_LITERAL) lists.set(lit, 'many');
      else list.push(line);
    };
    const re = this.regex; // synchronous use only: lastIndex is reset here
    re.lastIndex = 0;
    const text = index.lower;
    let m: RegExpExecArray | null;
    while ((m = re.exec(text)) !== null) {
      const line = index.lineOf(m.index);
      // Matchers only read the first MATCH_LINE_CAP characters of a line: skip the rest of a long line.
      if (m.index - (index.starts[line] ?? 0) >= MATCH_LINE_CAP) {
        const next = index.starts[line + 1];
        if (next === undefined) break;
        re.lastIndex = next;
        continue;
      }
      add(m[0], line);
      for (const inner of this.implied.get(m[0]) ?? []) add(inner, line);
      // Step one character, not past the match: another literal may start inside this one.
      re.lastIndex = m.index + 1;
    }
    return result;
  }
}

function escapeRegex(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

/** Candidate lines for a set of literals from a scan, or undefined when the scan cannot answer. */
export function candidateLines(hits: LiteralHits | undefined, literals: readonly string[] | undefined): readonly number[] | undefined {
  if (hits === undefined || literals === undefined || literals.length === 0) return undefined;
  if (literals.length === 1) {
    const list = hits.get(literals[0] ?? '');
    return list === undefined || list === 'many' ? undefined : list;
  }
  const out: number[] = [];
  let nonEmpty = 0;
  for (const lit of literals) {
    const list = hits.get(lit);
    if (list === undefined || list === 'many') return undefined;
    if (list.length > 0) nonEmpty++;
    for (const n of list) out.push(n);
  }
  // One list is already ascending and duplicate-free.
  if (nonEmpty <= 1) return out;
  return [...new Set(out)].sort((a, b) => a - b);
}
