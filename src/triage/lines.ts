// Line access over one big string without splitting it: a 1 MiB log of short lines would otherwise cost
// an array of half a million strings. Matchers find candidate offsets with indexOf, then test one line.
import { MATCH_LINE_CAP } from './normalize.js';

export interface LineIndex {
  readonly text: string;
  /** Lowercased text when lowercasing kept every offset, else undefined (then callers scan every line). */
  readonly lower: string | undefined;
  /** Offset where each line starts (a plain array: a typed one costs a backing store per paste). */
  readonly starts: readonly number[];
  readonly count: number;
  /** Line `i` (0-based), cut to MATCH_LINE_CAP characters. */
  line(i: number): string;
  /** 0-based line holding `offset`. */
  lineOf(offset: number): number;
}

const CASED = /[A-Z\u0080-\uffff]/;
const LINE_JUMP = 2;

export function indexLines(text: string): LineIndex {
  // One pass, pushing the offsets (a second counting pass costs as much as the first).
  const starts: number[] = [0];
  // indexOf is fast across long lines but costs a call per line; a 1 MiB paste of 2-character lines is
  // faster read character by character. So read by hand, and jump with indexOf from a line's second character
  // (measured: a jump after 32 characters cost a 2 KiB paste twice as much, a 1 MiB log five times).
  let count = 1;
  const n = text.length;
  let run = 0;
  for (let i = 0; i < n; i++) {
    if (text.charCodeAt(i) !== 10) {
      if (++run < LINE_JUMP) continue;
      const at = text.indexOf('\n', i + 1);
      if (at < 0) break;
      i = at;
    }
    run = 0;
    starts.push(i + 1);
    count++;
  }
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
  const candidates = candidateLines(scanned, literals);
  if (candidates !== undefined) return testLines(index, candidates, test, limit);
  const hits: number[] = [];
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

/** testLines with a regex (no closure per call). */
export function regexLines(index: LineIndex, candidates: readonly number[], regex: RegExp, limit: number): number[] {
  const hits: number[] = [];
  for (const idx of candidates) {
    if (regex.test(index.line(idx))) {
      hits.push(idx);
      if (hits.length >= limit) break;
    }
  }
  return hits;
}

/** The candidate lines where `test` passes, in order, at most `limit`. */
export function testLines(index: LineIndex, candidates: readonly number[], test: (line: string) => boolean, limit: number): number[] {
  const hits: number[] = [];
  for (const idx of candidates) {
    if (test(index.line(idx))) {
      hits.push(idx);
      if (hits.length >= limit) break;
    }
  }
  return hits;
}

/**
 * Lines holding each literal, found in one pass; 'many' when a literal is too common to list; undefined
 * for a literal the scan did not look for (the caller then searches itself).
 */
export interface LiteralHits {
  get(literal: string): readonly number[] | 'many' | undefined;
  /**
   * candidateLines(this, literals), found by the array's identity: a signal's literals are looked up in the
   * scan once per playbook set, not once per paste (hundreds of string-keyed lookups for a short paste).
   */
  candidates(literals: readonly string[]): readonly number[] | undefined;
  /** False only when the scan looked for every one of `literals` (cached by the array's identity) and found none. */
  anyOf(literals: readonly string[]): boolean;
  /**
   * narrowedLines(this, …) of each pattern of a list, by index: `plan` (cached by the list's identity) holds
   * their literal ids, so a playbook's signals cost one lookup, not one per literal array.
   */
  plan(patterns: readonly Prefiltered[]): ScanPlan;
  planned(plan: ScanPlan, i: number): readonly number[] | undefined;
}

/** A pattern's literal prefilter: required literals (one of them) and conjunct sets (one of each). */
export interface Prefiltered {
  readonly literals: readonly string[] | undefined;
  readonly conjuncts?: ReadonlyArray<readonly string[]> | undefined;
}

/** Per pattern: its literals' ids (null: one is not scanned for, or none), and its conjunct sets' ids. */
export type ScanPlan = ReadonlyArray<{ readonly literals: Int32Array | null; readonly conjuncts: ReadonlyArray<Int32Array | null> }>;

const NO_LINES: readonly number[] = Object.freeze([]);
const NO_IDS = new Int32Array(0);

/** The union of two ascending, duplicate-free lists, ascending and duplicate-free. */
function mergeLines(a: readonly number[], b: readonly number[]): number[] {
  const out: number[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const x = a[i]!;
    const y = b[j]!;
    if (x === y) { out.push(x); i++; j++; } else if (x < y) { out.push(x); i++; } else { out.push(y); j++; }
  }
  while (i < a.length) out.push(a[i++]!);
  while (j < b.length) out.push(b[j++]!);
  return out;
}

/**
 * The intersection of two ascending, duplicate-free lists, ascending and duplicate-free. Kept apart from
 * mergeLines rather than one walk with a mode: the two differ on every unequal step and in the tail.
 */
function intersectLines(a: readonly number[], b: readonly number[]): number[] {
  const out: number[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const x = a[i]!;
    const y = b[j]!;
    if (x === y) { out.push(x); i++; j++; } else if (x < y) i++; else j++;
  }
  return out;
}

/** Only literals that occur get a list: a short paste hits a handful of the hundreds scanned for. */
class ScanResult implements LiteralHits {
  /** By literal id; undefined when the literal does not occur. */
  readonly lists: Array<number[] | 'many' | undefined>;
  constructor(private readonly scanner: LiteralScanner, size: number) {
    this.lists = new Array<number[] | 'many' | undefined>(size);
  }
  get(literal: string): readonly number[] | 'many' | undefined {
    const id = this.scanner.idOf(literal);
    if (id === undefined) return undefined;
    return this.lists[id] ?? NO_LINES;
  }
  anyOf(literals: readonly string[]): boolean {
    const ids = this.scanner.idsOf(literals);
    if (ids === undefined) return true;
    const lists = this.lists;
    for (let k = 0; k < ids.length; k++) if (lists[ids[k]!] !== undefined) return true;
    return false;
  }
  plan(patterns: readonly Prefiltered[]): ScanPlan {
    return this.scanner.planOf(patterns);
  }
  planned(plan: ScanPlan, i: number): readonly number[] | undefined {
    const entry = plan[i];
    if (entry === undefined || entry.literals === null) return undefined;
    const lines = this.byIds(entry.literals);
    if (lines === undefined || lines.length === 0) return lines;
    let out = lines;
    for (const ids of entry.conjuncts) {
      if (ids === null) continue;
      const allowed = this.byIds(ids);
      if (allowed === undefined) continue;
      out = intersectLines(out, allowed);
      if (out.length === 0) break;
    }
    return out;
  }
  candidates(literals: readonly string[]): readonly number[] | undefined {
    const ids = this.scanner.idsOf(literals);
    return ids === undefined ? undefined : this.byIds(ids);
  }
  private byIds(ids: Int32Array): readonly number[] | undefined {
    const lists = this.lists;
    if (ids.length === 1) {
      const list = lists[ids[0]!];
      return list === undefined ? NO_LINES : list === 'many' ? undefined : list;
    }
    let only: number[] | undefined;
    let nonEmpty = 0;
    for (let k = 0; k < ids.length; k++) {
      const list = lists[ids[k]!];
      if (list === 'many') return undefined;
      if (list !== undefined) { nonEmpty++; only = list; }
    }
    if (nonEmpty === 0) return NO_LINES;
    // One list is already ascending and duplicate-free.
    if (nonEmpty === 1) return only;
    // Merged pairwise: each list is ascending and duplicate-free, and so is each merge.
    let out: readonly number[] = NO_LINES;
    for (let k = 0; k < ids.length; k++) {
      const list = lists[ids[k]!];
      if (list !== undefined && list !== 'many') out = out.length === 0 ? list : mergeLines(out, list);
    }
    return out;
  }
}

const MAX_LINES_PER_LITERAL = 4096;

function addLine(lists: Array<number[] | 'many' | undefined>, id: number, line: number): void {
  const list = lists[id];
  if (list === undefined) {
    lists[id] = [line];
    return;
  }
  if (list === 'many') return;
  if (list[list.length - 1] === line) return;
  if (list.length >= MAX_LINES_PER_LITERAL) lists[id] = 'many';
  else list.push(line);
}
/** Buckets of the first-three-characters table (a power of two): few enough to stay in cache, enough that
 * ordinary text rarely lands in an occupied one. */
const TABLE_SIZE = 1 << 14;

function trigram(c0: number, c1: number, c2: number): number {
  return (c0 * 961 + c1 * 31 + c2) & (TABLE_SIZE - 1);
}

/**
 * Finds many literals in one pass instead of one indexOf per literal (hundreds of passes over a 1 MiB log).
 * Each position is looked up by its first three characters in a table of the literals' first three, so
 * most positions cost one table read; a hit tests only the few literals in that bucket, longest first.
 * Linear: the work per position is bounded by the literals sharing one bucket. Literals contained in a
 * longer one are credited when the longer one matches.
 */
export class LiteralScanner {
  /** Used only when some literal is shorter than three characters. */
  private readonly regex: RegExp | undefined;
  private readonly ids = new Map<string, number>();
  /** By literal id: ids of the other literals it contains. */
  private readonly implied: Array<Int32Array | undefined>;
  private readonly shortIds: readonly number[];
  /**
   * Bucket b holds literal ids bucketItems[buckets[2b] .. buckets[2b + 1]), longest first (empty: both 0);
   * side by side, so a lookup reads one cache line.
   */
  private readonly buckets: Int32Array;
  private readonly bucketItems: Int32Array;
  /**
   * Per bucket slot k (same order as bucketItems), its literal's first four characters, so a slot is ruled out
   * with integer compares: head = c0 << 16 | c1, third = c2, fourth = c3 (-1 for a three-character literal).
   * Most table hits are a common trigram ("out", "not") whose literals differ by the fourth character.
   */
  private readonly slotHead: Int32Array;
  private readonly slotThird: Int32Array;
  private readonly slotFourth: Int32Array;
  /** Every literal's characters, back to back: literal id's are chars[charStart[id] .. charStart[id + 1]). */
  private readonly chars: Uint16Array;
  private readonly charStart: Int32Array;
  readonly literals: readonly string[];
  /** By literal array (a signal's), its literals' ids; null when one of them is not scanned for. */
  private readonly idCache = new WeakMap<readonly string[], Int32Array | null>();

  constructor(literals: Iterable<string>) {
    const unique = [...new Set([...literals].filter((l) => l.length > 0))].sort((a, b) => b.length - a.length || (a < b ? -1 : a > b ? 1 : 0));
    this.literals = unique;
    unique.forEach((lit, id) => this.ids.set(lit, id));
    const short = unique.some((l) => l.length < 3);
    this.regex = short ? new RegExp(unique.map(escapeRegex).join('|'), 'g') : undefined;
    const keys = unique.map((l) => (l.length < 3 ? -1 : trigram(l.charCodeAt(0), l.charCodeAt(1), l.charCodeAt(2))));
    // Only the occupied buckets are written (a loop over every bucket cost ~1 ms of a cold start). Ids ascend
    // with descending length, so sorting by bucket, then id, lists each bucket's literals longest first.
    const keyed = keys.flatMap((k, id) => (k >= 0 ? [id] : [])).sort((x, y) => keys[x]! - keys[y]! || x - y);
    this.bucketItems = Int32Array.from(keyed);
    this.buckets = new Int32Array(2 * TABLE_SIZE);
    for (let k = 0; k < keyed.length; k++) {
      const b = keys[keyed[k]!]!;
      if (k === 0 || keys[keyed[k - 1]!] !== b) this.buckets[2 * b] = k;
      this.buckets[2 * b + 1] = k + 1;
    }
    const slots = this.bucketItems.length;
    this.slotHead = new Int32Array(slots);
    this.slotThird = new Int32Array(slots);
    this.slotFourth = new Int32Array(slots);
    for (let k = 0; k < slots; k++) {
      const lit = unique[this.bucketItems[k]!] ?? '';
      this.slotHead[k] = (lit.charCodeAt(0) << 16) | lit.charCodeAt(1);
      this.slotThird[k] = lit.charCodeAt(2);
      this.slotFourth[k] = lit.length > 3 ? lit.charCodeAt(3) : -1;
    }
    this.charStart = new Int32Array(unique.length + 1);
    unique.forEach((lit, id) => { this.charStart[id + 1] = this.charStart[id]! + lit.length; });
    this.chars = new Uint16Array(this.charStart[unique.length]!);
    unique.forEach((lit, id) => {
      for (let j = 0; j < lit.length; j++) this.chars[this.charStart[id]! + j] = lit.charCodeAt(j);
    });
    // The literals of fewer than three characters (no table key), listed once: checking every literal for
    // being one, per literal, made building a scanner of ~700 literals cost milliseconds at start-up.
    this.shortIds = keys.flatMap((k, id) => (k < 0 ? [id] : []));
    // Filled on a literal's first hit: a paste holds few of the literals, and start-up pays for those only.
    this.implied = new Array<Int32Array | undefined>(unique.length);
  }

  /** Ids of the other literals inside `lit`, found through the table (one bucket per position, not every literal). */
  private containedIn(lit: string, id: number, shortIds: readonly number[]): Int32Array {
    const inner = new Set<number>();
    for (let p = 0; p + 3 <= lit.length; p++) {
      const b = trigram(lit.charCodeAt(p), lit.charCodeAt(p + 1), lit.charCodeAt(p + 2));
      for (let j = this.buckets[2 * b]!; j < this.buckets[2 * b + 1]!; j++) {
        const other = this.bucketItems[j]!;
        if (other !== id && lit.startsWith(this.literals[other] ?? '', p)) inner.add(other);
      }
    }
    for (const other of shortIds) if (other !== id && lit.includes(this.literals[other] ?? '')) inner.add(other);
    if (inner.size === 0) return NO_IDS;
    return Int32Array.from([...inner].sort((a, b) => a - b));
  }

  idOf(literal: string): number | undefined {
    return this.ids.get(literal);
  }

  private readonly plans = new WeakMap<readonly Prefiltered[], ScanPlan>();

  /** The ids of each pattern's literals and conjunct sets (see LiteralHits.plan), cached by the list's identity. */
  planOf(patterns: readonly Prefiltered[]): ScanPlan {
    let plan = this.plans.get(patterns);
    if (plan === undefined) {
      plan = patterns.map((p) => ({
        literals: p.literals === undefined || p.literals.length === 0 ? null : (this.idsOf(p.literals) ?? null),
        conjuncts: (p.conjuncts ?? []).map((set) => (set.length === 0 ? null : (this.idsOf(set) ?? null))),
      }));
      this.plans.set(patterns, plan);
    }
    return plan;
  }

  /** The ids of `literals` (cached by the array's identity), or undefined when one is not scanned for. */
  idsOf(literals: readonly string[]): Int32Array | undefined {
    let ids = this.idCache.get(literals);
    if (ids === undefined) {
      const found = literals.map((l) => this.ids.get(l));
      ids = found.every((id) => id !== undefined) ? Int32Array.from(found as number[]) : null;
      this.idCache.set(literals, ids);
    }
    return ids ?? undefined;
  }

  scan(index: LineIndex): LiteralHits | undefined {
    if (this.literals.length === 0 || index.lower === undefined) return undefined;
    const result = new ScanResult(this, this.literals.length);
    const lists = result.lists;
    if (this.regex !== undefined) this.scanRegex(this.regex, index, lists);
    else this.scanTable(index, lists);
    return result;
  }

  /** Records literal `id` on `line`, and the literals inside it. Methods, not closures: no allocation per scan. */
  private credit(lists: Array<number[] | 'many' | undefined>, id: number, line: number): void {
    addLine(lists, id, line);
    const inside = this.implied[id] ?? (this.implied[id] = this.containedIn(this.literals[id] ?? '', id, this.shortIds));
    for (let k = 0; k < inside.length; k++) addLine(lists, inside[k]!, line);
  }

  private scanTable(index: LineIndex, lists: Array<number[] | 'many' | undefined>): void {
    const text = index.lower ?? '';
    const starts = index.starts;
    const last = text.length - 2; // a literal's first three characters start before this
    const buckets = this.buckets;
    const bucketItems = this.bucketItems;
    const slotHead = this.slotHead;
    const slotThird = this.slotThird;
    const slotFourth = this.slotFourth;
    const chars = this.chars;
    const charStart = this.charStart;
    const count = index.count;
    const cap = MATCH_LINE_CAP; // read once: under a CommonJS loader an imported name is a getter call
    // Line by line, so the position loop does nothing but roll the first-three-characters key. Matchers only
    // read the first MATCH_LINE_CAP characters of a line: the rest of a long line is not read at all.
    for (let line = 0; line < count; line++) {
      const lineStart = starts[line]!;
      const nextStart = line + 1 < count ? starts[line + 1]! : text.length + 1;
      const stop = Math.min(nextStart, lineStart + cap, last);
      if (lineStart >= stop) continue;
      let c0 = text.charCodeAt(lineStart);
      let c1 = text.charCodeAt(lineStart + 1);
      for (let i = lineStart; i < stop; i++) {
        const c2 = text.charCodeAt(i + 2);
        const b = trigram(c0, c1, c2);
        c0 = c1;
        c1 = c2;
        const from = buckets[2 * b]!;
        const to = buckets[2 * b + 1]!;
        if (from === to) continue;
        // The longest literal starting here; the shorter ones starting here are inside it (implied).
        // Compared by hand: startsWith costs a builtin call per candidate, and most candidates differ early.
        // The first four characters by the slot's integers (c3 is NaN past the end: nothing equals it).
        const first = (text.charCodeAt(i) << 16) | c0; // c0 and c1 have rolled on: text[i + 1], text[i + 2]
        const c3 = text.charCodeAt(i + 3);
        for (let k = from; k < to; k++) {
          if (slotHead[k] !== first || slotThird[k] !== c1) continue;
          const fourth = slotFourth[k]!;
          if (fourth >= 0 && fourth !== c3) continue;
          const id = bucketItems[k]!;
          const end = charStart[id + 1]!;
          let p = charStart[id]! + 4;
          let q = i + 4;
          while (p < end && text.charCodeAt(q) === chars[p]) { p++; q++; }
          if (p >= end) {
            this.credit(lists, id, line);
            break;
          }
        }
      }
    }
  }

  private scanRegex(re: RegExp, index: LineIndex, lists: Array<number[] | 'many' | undefined>): void {
    re.lastIndex = 0; // synchronous use only: lastIndex is reset here
    const text = index.lower ?? '';
    let m: RegExpExecArray | null;
    while ((m = re.exec(text)) !== null) {
      const line = index.lineOf(m.index);
      if (m.index - (index.starts[line] ?? 0) >= MATCH_LINE_CAP) {
        const next = index.starts[line + 1];
        if (next === undefined) break;
        re.lastIndex = next;
        continue;
      }
      const id = this.ids.get(m[0]);
      if (id !== undefined) this.credit(lists, id, line);
      // Step one character, not past the match: another literal may start inside this one.
      re.lastIndex = m.index + 1;
    }
  }
}

function escapeRegex(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

/**
 * The lines a scan says a pattern may match on: those holding one of `literals` and one of each of the
 * `conjuncts` sets (a set too common to list narrows nothing). undefined when the scan cannot say.
 */
export function narrowedLines(
  scanned: LiteralHits | undefined,
  literals: readonly string[] | undefined,
  conjuncts: ReadonlyArray<readonly string[]> | undefined,
): readonly number[] | undefined {
  const lines = candidateLines(scanned, literals);
  if (lines === undefined || lines.length === 0 || conjuncts === undefined) return lines;
  let out = lines;
  for (const set of conjuncts) {
    const allowed = candidateLines(scanned, set);
    if (allowed === undefined) continue;
    out = intersectLines(out, allowed);
    if (out.length === 0) break;
  }
  return out;
}

/** Candidate lines for a set of literals from a scan, or undefined when the scan cannot answer. */
export function candidateLines(hits: LiteralHits | undefined, literals: readonly string[] | undefined): readonly number[] | undefined {
  if (hits === undefined || literals === undefined || literals.length === 0) return undefined;
  return hits.candidates(literals);
}
