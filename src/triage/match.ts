// Pure: score every playbook against the lines of normalized, redacted text.
// Score = noisy-OR of the distinct positive signals that matched (1 - Π(1 - w)), then each matched veto
// (negative weight w) multiplies it by (1 + w). Explainable: every contribution is an evidence line.
import type { CompiledPlaybook, CompiledSignal } from '../playbooks/compile.js';
import type { Evidence, Match } from './types.js';
import { EVIDENCE_PER_MATCH, EVIDENCE_PER_SIGNAL, EVIDENCE_TEXT_CAP } from './limits.js';
import { findLines, narrowedLines, regexLines, type LineIndex, type LiteralHits } from './lines.js';

/** Text prepared once for every playbook (and the fact extractor): line offsets plus a lowercase copy. */
export type PreparedText = LineIndex;

/** 0-based indexes of lines where the signal matches, at most `limit`. */
export function signalLines(signal: CompiledSignal, prepared: PreparedText, limit: number, scanned?: LiteralHits): number[] {
  const lines = signalCandidates(signal, scanned);
  if (lines !== undefined) return regexLines(prepared, lines, signal.regex, limit);
  return findLines(prepared, signal.literals, (line) => signal.regex.test(line), limit, scanned);
}

/** The lines a scan says the signal may match on (narrowedLines of its literals and conjuncts). */
export function signalCandidates(signal: CompiledSignal, scanned?: LiteralHits): readonly number[] | undefined {
  return narrowedLines(scanned, signal.literals, signal.conjuncts);
}

// Per signal list, the primary literals of its positive signals; null when one of them has none (then any
// line may match it). A scan holding none of them rules the whole playbook out in one look.
// scorePlaybook counts weight-0 signals as positive (they can make a match), signalScore does not.
const positiveLiteralsOf = { withZero: new WeakMap<readonly CompiledSignal[], string[] | null>(), aboveZero: new WeakMap<readonly CompiledSignal[], string[] | null>() };
function positiveLiterals(signals: readonly CompiledSignal[], zero: boolean): string[] | null {
  const cache = zero ? positiveLiteralsOf.withZero : positiveLiteralsOf.aboveZero;
  let lits = cache.get(signals);
  if (lits === undefined) {
    const positive = signals.filter((s) => (zero ? s.weight >= 0 : s.weight > 0));
    lits = positive.every((s) => s.literals !== undefined && s.literals.length > 0) ? [...new Set(positive.flatMap((s) => s.literals ?? []))] : null;
    cache.set(signals, lits);
  }
  return lits;
}

/** False when the scan shows that no positive signal of the list (weight-0 ones too when `zero`) matches anywhere. */
function mayScore(signals: readonly CompiledSignal[], scanned: LiteralHits | undefined, zero: boolean): boolean {
  if (scanned === undefined) return true;
  const lits = positiveLiterals(signals, zero);
  return lits === null || scanned.anyOf(lits);
}


function clip(text: string): string {
  const t = text.trim();
  return t.length > EVIDENCE_TEXT_CAP ? `${t.slice(0, EVIDENCE_TEXT_CAP - 1)}…` : t;
}

export interface ScoredMatch extends Match {
  /** Ids of positive signals that matched. */
  matchedSignals: string[];
  vetoed: string[];
  noise: boolean;
  /** Noisy-OR of the positive rule signals, before vetoes. */
  positive: number;
  /** Product of the matched vetoes' factors (1 when none matched). */
  veto: number;
}

/** The factor the playbook's matched vetoes multiply a score by, and their ids (for candidates with no rule hit). */
export function vetoFactor(compiled: CompiledPlaybook, prepared: PreparedText, scanned?: LiteralHits): { veto: number; vetoed: string[]; evidence: Evidence[] } {
  let veto = 1;
  const vetoed: string[] = [];
  const evidence: Evidence[] = [];
  for (const signal of compiled.signals) {
    if (signal.weight >= 0) continue;
    const hits = signalLines(signal, prepared, 1, scanned);
    if (hits.length === 0) continue;
    veto *= 1 + signal.weight;
    vetoed.push(signal.id);
    for (const idx of hits) evidence.push({ line: idx + 1, text: clip(prepared.line(idx)), signal: signal.id, weight: signal.weight });
  }
  return { veto, vetoed, evidence };
}

/** Noisy-OR of the signals (all positive) that match somewhere in the text; 0 when none does. */
export function signalScore(signals: readonly CompiledSignal[], prepared: PreparedText, scanned?: LiteralHits): { score: number; matched: string[] } {
  let miss = 1;
  const matched: string[] = [];
  if (!mayScore(signals, scanned, false)) return { score: 0, matched };
  for (const signal of signals) {
    if (signal.weight <= 0) continue;
    if (signalLines(signal, prepared, 1, scanned).length === 0) continue;
    miss *= 1 - signal.weight;
    matched.push(signal.id);
  }
  return { score: 1 - miss, matched };
}

export function scorePlaybook(compiled: CompiledPlaybook, prepared: PreparedText, scanned?: LiteralHits): ScoredMatch | undefined {
  let miss = 1;
  let veto = 1;
  const evidence: Evidence[] = [];
  const matchedSignals: string[] = [];
  const vetoed: string[] = [];
  // A short paste holds the literals of few signals: skip the playbook when no positive signal can match
  // (its score would be undefined anyway), and test only the lines the scan found for the rest.
  const signals = compiled.signals;
  if (!mayScore(signals, scanned, true)) return undefined;
  const candidates = new Array<readonly number[] | undefined>(signals.length);
  const plan = scanned?.plan(signals);
  let possible = false;
  for (let i = 0; i < signals.length; i++) {
    const signal = signals[i]!;
    const lines = plan === undefined ? undefined : scanned?.planned(plan, i);
    candidates[i] = lines;
    if (signal.weight >= 0 && lines?.length !== 0) possible = true;
  }
  if (!possible) return undefined;
  for (let i = 0; i < signals.length; i++) {
    const signal = signals[i]!;
    const lines = candidates[i];
    if (lines !== undefined && lines.length === 0) continue;
    const hits =
      lines === undefined
        ? signalLines(signal, prepared, EVIDENCE_PER_SIGNAL, scanned)
        : regexLines(prepared, lines, signal.regex, EVIDENCE_PER_SIGNAL);
    if (hits.length === 0) continue;
    if (signal.weight >= 0) {
      miss *= 1 - signal.weight;
      matchedSignals.push(signal.id);
    } else {
      veto *= 1 + signal.weight;
      vetoed.push(signal.id);
    }
    for (const idx of hits) {
      evidence.push({ line: idx + 1, text: clip(prepared.line(idx)), signal: signal.id, weight: signal.weight });
    }
  }
  if (matchedSignals.length === 0) return undefined;
  const score = Math.max(0, Math.min(1, (1 - miss) * veto));
  // Strongest positive evidence first, then by line; vetoes last so readers see why the score dropped.
  evidence.sort((a, b) => (b.weight > 0 ? 1 : 0) - (a.weight > 0 ? 1 : 0) || b.weight - a.weight || a.line - b.line);
  const seen = new Set<number>();
  const kept = evidence.filter((e) => (seen.has(e.line) && e.weight > 0 ? false : (seen.add(e.line), true))).slice(0, EVIDENCE_PER_MATCH);
  return {
    playbook: compiled.playbook.id,
    title: compiled.playbook.title,
    score: round(score),
    evidence: kept,
    matchedSignals,
    vetoed,
    noise: compiled.playbook.noise,
    positive: 1 - miss,
    veto,
  };
}

export function round(n: number): number {
  return Math.round(n * 1000) / 1000;
}

/** Every playbook with at least one positive signal, best first (ties: more signals, then id for stability). */
export function matchPlaybooks(compiled: readonly CompiledPlaybook[], prepared: PreparedText, scanned?: LiteralHits): ScoredMatch[] {
  const out: ScoredMatch[] = [];
  for (const c of compiled) {
    const m = scorePlaybook(c, prepared, scanned);
    if (m) out.push(m);
  }
  return out.sort((a, b) => b.score - a.score || b.matchedSignals.length - a.matchedSignals.length || a.playbook.localeCompare(b.playbook));
}
