// Compile a playbook's signals once at load. Each pattern is vetted so matching stays linear:
// safe-regex2 rejects nested repetition; backreferences and lookbehind are refused outright.
import { createRequire } from 'node:module';
import type { FactPattern, Playbook, Signal } from './schema.js';

type SafeRegex = (re: RegExp, opts?: { limit?: number }) => boolean;
let safeRegexFn: SafeRegex | undefined;
/** safe-regex2 is loaded on the first vetting only: a set rebuilt from the build-time snapshot was vetted already. */
function safeRegex(re: RegExp, opts: { limit: number }): boolean {
  safeRegexFn ??= createRequire(import.meta.url)('safe-regex2') as SafeRegex;
  return safeRegexFn(re, opts);
}

export interface CompiledSignal {
  id: string;
  source: string;
  weight: number;
  regex: RegExp;
  /** Lowercase literals, one of which every match contains; lets the matcher visit only candidate lines. */
  literals: string[] | undefined;
  /**
   * More literal sets every match needs one of each of (besides `literals`), on the same line: a candidate line
   * missing one cannot match, so the regex is not run there. For `\b(still|keeps?) … (every|each) … (upgrade|deploy)`
   * the literals are one of those groups and these the others.
   */
  conjuncts: string[][] | undefined;
}

/** A playbook's own fact pattern: fills `fact` from the first capture group when the extractor found none. */
export interface CompiledFactPattern {
  fact: FactPattern['fact'];
  regex: RegExp;
  literals: string[] | undefined;
}

export interface CompiledPlaybook {
  playbook: Playbook;
  signals: CompiledSignal[];
  factPatterns: CompiledFactPattern[];
}

/** Why a pattern is refused, or undefined when it is fine. */
export function vetPattern(source: string): string | undefined {
  if (/\\[1-9]|\\k</.test(source)) return 'backreferences are not allowed (they make matching non-linear)';
  if (/\(\?<[=!]/.test(source)) return 'lookbehind is not allowed (keep patterns linear)';
  if (/^\^?\.\*/.test(source)) return 'a leading .* is useless (patterns are unanchored) and slow; remove it';
  let regex: RegExp;
  try {
    regex = new RegExp(source, 'i');
  } catch (err) {
    return `not a valid JavaScript regex: ${err instanceof Error ? err.message : String(err)}`;
  }
  if (!safeRegex(regex, { limit: 25 })) return 'pattern may backtrack exponentially (nested or overlapping repetition); simplify it';
  if (regex.test('')) return 'pattern matches the empty string';
  return undefined;
}

/** vetPattern, and the value to take: a fact pattern needs a capture group. */
export function vetFactPattern(source: string): string | undefined {
  const problem = vetPattern(source);
  if (problem !== undefined) return problem;
  if (new RegExp(`${source}|`).exec('')?.length === 1) return 'needs a capture group ( … ) around the value';
  return undefined;
}

/** Unbounded repetition is capped at this many characters so a hit-rich line costs O(hits × cap), not O(line²). */
export const REPEAT_CAP = 512;

/** Rewrites unescaped `*` and `+` (outside character classes) to `{0,REPEAT_CAP}` / `{1,REPEAT_CAP}`. */
export function boundRepetition(source: string): string {
  let out = '';
  let inClass = false;
  for (let i = 0; i < source.length; i++) {
    const c = source[i] ?? '';
    if (c === '\\') { out += c + (source[i + 1] ?? ''); i++; continue; }
    if (inClass) { if (c === ']') inClass = false; out += c; continue; }
    if (c === '[') { inClass = true; out += c; continue; }
    if (c === '*') { out += `{0,${REPEAT_CAP}}`; continue; }
    if (c === '+' && i > 0) { out += `{1,${REPEAT_CAP}}`; continue; }
    if (c === '{') {
      const m = /^\{(\d+),\}/.exec(source.slice(i, i + 12));
      if (m) { out += `{${m[1]},${Math.max(REPEAT_CAP, Number(m[1]))}}`; i += m[0].length - 1; continue; }
    }
    out += c;
  }
  return out;
}

type Node = { kind: 'lit'; ch: string; breakAfter: boolean } | { kind: 'other' } | { kind: 'group'; alts: Node[][] };

const PLAIN_ESCAPES = new Set([...'.-/"\'\\:=@#%&,;<>!~`{}[]()|*+?^$ '.split('')]);

/** A tiny regex reader: just enough structure to find literals every match must contain. */
function parseSequence(src: string, pos: { i: number }, depth: number): Node[][] {
  const alts: Node[][] = [[]];
  const cur = (): Node[] => alts[alts.length - 1] ?? [];
  while (pos.i < src.length) {
    const c = src[pos.i] ?? '';
    if (c === ')' && depth > 0) { pos.i++; break; }
    if (c === '|') { alts.push([]); pos.i++; continue; }
    let node: Node;
    if (c === '\\') {
      const n = src[pos.i + 1] ?? '';
      pos.i += 2;
      node = PLAIN_ESCAPES.has(n) ? { kind: 'lit', ch: n, breakAfter: false } : { kind: 'other' };
      if (n === 'u') pos.i += 4;
      else if (n === 'x') pos.i += 2;
    } else if (c === '[') {
      pos.i++;
      while (pos.i < src.length && src[pos.i] !== ']') pos.i += src[pos.i] === '\\' ? 2 : 1;
      pos.i++;
      node = { kind: 'other' };
    } else if (c === '(') {
      pos.i++;
      let look = false;
      if (src[pos.i] === '?') {
        const kind = src[pos.i + 1];
        if (kind === ':') pos.i += 2;
        else if (kind === '=' || kind === '!') { pos.i += 2; look = true; }
        else if (kind === '<') { const close = src.indexOf('>', pos.i); pos.i = close < 0 ? src.length : close + 1; }
      }
      const inner = parseSequence(src, pos, depth + 1);
      node = look ? { kind: 'other' } : { kind: 'group', alts: inner };
    } else if (c === '.' || c === '^' || c === '$') {
      pos.i++;
      node = { kind: 'other' };
    } else {
      pos.i++;
      node = { kind: 'lit', ch: c, breakAfter: false };
    }
    // Quantifier?
    const q = src[pos.i];
    if (q === '*' || q === '?' || q === '+' || q === '{') {
      let optional = q === '*' || q === '?';
      if (q === '{') {
        const m = /^\{(\d*)(,\d*)?\}/.exec(src.slice(pos.i, pos.i + 16));
        if (m) { optional = (m[1] ?? '') === '' || Number(m[1]) === 0; pos.i += m[0].length; } else pos.i++;
      } else pos.i++;
      if (src[pos.i] === '?') pos.i++; // lazy
      if (optional) node = { kind: 'other' };
      else if (node.kind === 'lit') node = { kind: 'lit', ch: node.ch, breakAfter: true };
    }
    cur().push(node);
  }
  return alts;
}

/** Every literal set the sequence requires: each set holds literals one of which every match contains. */
function requiredSetsOfSequence(seq: Node[]): string[][] {
  const candidates: string[][] = [];
  let run = '';
  const flush = (): void => { if (run.length >= 3) candidates.push([run]); run = ''; };
  for (const node of seq) {
    if (node.kind === 'lit') {
      run += node.ch;
      if (node.breakAfter) flush();
    } else {
      flush();
      if (node.kind === 'group') {
        const set = requiredOfAlternatives(node.alts);
        if (set !== undefined) candidates.push(set);
      }
    }
  }
  flush();
  return candidates;
}

function requiredOfSequence(seq: Node[]): string[] | undefined {
  let best: string[] | undefined;
  let bestScore = -Infinity;
  for (const set of requiredSetsOfSequence(seq)) {
    const score = Math.min(...set.map((s) => s.length)) * 10 - set.length;
    if (score > bestScore) { best = set; bestScore = score; }
  }
  return best;
}

function requiredOfAlternatives(alts: Node[][]): string[] | undefined {
  const out: string[] = [];
  for (const alt of alts) {
    const set = requiredOfSequence(alt);
    if (set === undefined) return undefined;
    for (const s of set) if (!out.includes(s)) out.push(s);
  }
  return out;
}

/**
 * Lowercase literals such that every match contains at least one of them (undefined when none is certain).
 * Lets the matcher find candidate lines with indexOf instead of running the regex on every line.
 */
export function requiredLiterals(source: string): string[] | undefined {
  try {
    const set = requiredOfAlternatives(parseSequence(source, { i: 0 }, 0));
    return set?.map((s) => s.toLowerCase());
  } catch {
    return undefined;
  }
}

const CONJUNCT_MIN_LENGTH = 4;
const CONJUNCTS_KEPT = 2;

/**
 * The literal sets besides `primary` (requiredLiterals' choice) that every match needs one of each of, lowercase;
 * undefined when there are none. Only a pattern without a top-level | has them (its parts are all required).
 */
function conjunctsOf(alts: Node[][], primary: readonly string[] | undefined): string[][] | undefined {
  if (alts.length !== 1 || primary === undefined) return undefined;
  const key = (set: readonly string[]): string => JSON.stringify([...set].sort());
  const seen = new Set([key(primary)]);
  const out: string[][] = [];
  for (const set of requiredSetsOfSequence(alts[0] ?? [])) {
    const lower = set.map((l) => l.toLowerCase());
    if (seen.has(key(lower))) continue;
    seen.add(key(lower));
    out.push(lower);
  }
  // Every literal costs the one scan of each paste, and a short one ("\": ", "eof") is on many lines and rules
  // out few: keep the CONJUNCTS_KEPT sets of longest literals whose shortest has at least CONJUNCT_MIN_LENGTH.
  const score = (set: readonly string[]): number => Math.min(...set.map((l) => l.length)) * 10 - set.length;
  const kept = out
    .filter((set) => Math.min(...set.map((l) => l.length)) >= CONJUNCT_MIN_LENGTH)
    .map((set, i) => ({ set, i, score: score(set) }))
    .sort((a, b) => b.score - a.score || a.i - b.i)
    .slice(0, CONJUNCTS_KEPT)
    .sort((a, b) => a.i - b.i)
    .map((k) => k.set);
  return kept.length > 0 ? kept : undefined;
}

/** requiredLiterals and conjunctLiterals of one pattern, from one reading of it. */
export function literalPrefilter(source: string): { literals: string[] | undefined; conjuncts: string[][] | undefined } {
  try {
    const alts = parseSequence(source, { i: 0 }, 0);
    const literals = requiredOfAlternatives(alts)?.map((l) => l.toLowerCase());
    return { literals, conjuncts: conjunctsOf(alts, literals) };
  } catch {
    return { literals: undefined, conjuncts: undefined };
  }
}

export function compileSignal(signal: Signal): CompiledSignal {
  const { literals, conjuncts } = literalPrefilter(signal.pattern);
  return withLiterals(signal, literals, conjuncts);
}

function withLiterals(signal: Signal, literals: string[] | undefined, conjuncts: string[][] | undefined): CompiledSignal {
  return {
    id: signal.id ?? signal.pattern,
    source: signal.pattern,
    weight: signal.weight,
    regex: new RegExp(boundRepetition(signal.pattern), 'i'),
    literals,
    conjuncts,
  };
}

/** Per signal, its required literals (null: none certain), as computed at compile time and snapshotted. */
export type SignalLiterals = ReadonlyArray<readonly string[] | null>;
/** Per signal, its conjunct literal sets (null: none), as computed at compile time and snapshotted. */
export type SignalConjuncts = ReadonlyArray<ReadonlyArray<readonly string[]> | null>;

export function signalLiterals(compiled: { signals: readonly CompiledSignal[] }): SignalLiterals {
  return compiled.signals.map((s) => s.literals ?? null);
}

export function signalConjuncts(compiled: { signals: readonly CompiledSignal[] }): SignalConjuncts {
  return compiled.signals.map((s) => s.conjuncts ?? null);
}

/** What an earlier compile derived from a list of signals (the build-time snapshot); used only when both parts fit. */
export interface SignalsCompiled {
  literals?: SignalLiterals | undefined;
  conjuncts?: SignalConjuncts | undefined;
}

/** The signals compiled, with what an earlier compile derived (the snapshot) when it fits them. */
export function compileSignals(signals: readonly Signal[], earlier: SignalsCompiled = {}): CompiledSignal[] {
  const { literals, conjuncts } = earlier;
  if (literals?.length !== signals.length || conjuncts?.length !== signals.length) return signals.map(compileSignal);
  return signals.map((s, i) => {
    const lits = literals[i] ? [...(literals[i] ?? [])] : undefined;
    const more = conjuncts[i];
    return withLiterals(s, lits, more ? more.map((set) => [...set]) : undefined);
  });
}

export function compileFactPattern(pattern: FactPattern): CompiledFactPattern {
  return { fact: pattern.fact, regex: new RegExp(boundRepetition(pattern.pattern), 'i'), literals: requiredLiterals(pattern.pattern) };
}

/** `earlier`, when given, is what an earlier compile derived from the playbook's signals (the build-time snapshot). */
export function compilePlaybook(playbook: Playbook, earlier?: SignalsCompiled): CompiledPlaybook {
  const factPatterns = playbook.factPatterns.map(compileFactPattern);
  return { playbook, signals: compileSignals(playbook.signals, earlier), factPatterns };
}
