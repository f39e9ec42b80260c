// Pure: score every playbook against the lines of normalized, redacted text.
// Score = noisy-OR of the distinct positive signals that matched (1 - Π(1 - w)), then each matched veto
// (negative weight w) multiplies it by (1 + w). Explainable: every contribution is an evidence line.
import type { CompiledPlaybook, CompiledSignal } from '../playbooks/compile.js';
import type { Evidence, Match } from './types.js';
import { EVIDENCE_PER_MATCH, EVIDENCE_PER_SIGNAL, EVIDENCE_TEXT_CAP, MATCH_LINE_CAP } from './limits.js';

/** Text prepared once for every playbook: capped lines plus a lowercase copy for literal prefilters. */
export interface PreparedText {
  lines: string[];
  /** Lowercased full text, or undefined when lowercasing changed offsets (then every line is tested). */
  lower: string | undefined;
  lineStarts: number[];
}

export function prepareText(text: string): PreparedText {
  const raw = text.split('\n');
  const lines = raw.map((l) => (l.length > MATCH_LINE_CAP ? l.slice(0, MATCH_LINE_CAP) : l));
  const lower = text.toLowerCase();
  const lineStarts: number[] = new Array<number>(raw.length);
  let at = 0;
  for (let i = 0; i < raw.length; i++) {
    lineStarts[i] = at;
    at += (raw[i]?.length ?? 0) + 1;
  }
  return { lines, lower: lower.length === text.length ? lower : undefined, lineStarts };
}

function lineOf(starts: readonly number[], offset: number): number {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if ((starts[mid] ?? 0) <= offset) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** 0-based indexes of lines where the signal matches, at most `limit`. */
export function signalLines(signal: CompiledSignal, prepared: PreparedText, limit: number): number[] {
  const hits: number[] = [];
  const { lines, lower, lineStarts } = prepared;
  if (signal.literal !== undefined && lower !== undefined) {
    let from = 0;
    let last = -1;
    while (hits.length < limit) {
      const at = lower.indexOf(signal.literal, from);
      if (at < 0) break;
      const idx = lineOf(lineStarts, at);
      if (idx !== last) {
        last = idx;
        if (signal.regex.test(lines[idx] ?? '')) hits.push(idx);
      }
      // Skip to the next line: one test per line is enough.
      const next = lineStarts[idx + 1];
      if (next === undefined) break;
      from = next;
    }
    return hits;
  }
  for (let i = 0; i < lines.length && hits.length < limit; i++) {
    const line = lines[i] ?? '';
    if (line.length < 3) continue;
    if (signal.regex.test(line)) hits.push(i);
  }
  return hits;
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
}

export function scorePlaybook(compiled: CompiledPlaybook, prepared: PreparedText): ScoredMatch | undefined {
  let miss = 1;
  let veto = 1;
  const evidence: Evidence[] = [];
  const matchedSignals: string[] = [];
  const vetoed: string[] = [];
  for (const signal of compiled.signals) {
    const hits = signalLines(signal, prepared, EVIDENCE_PER_SIGNAL);
    if (hits.length === 0) continue;
    if (signal.weight >= 0) {
      miss *= 1 - signal.weight;
      matchedSignals.push(signal.id);
    } else {
      veto *= 1 + signal.weight;
      vetoed.push(signal.id);
    }
    for (const idx of hits) {
      evidence.push({ line: idx + 1, text: clip(prepared.lines[idx] ?? ''), signal: signal.id, weight: signal.weight });
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
  };
}

export function round(n: number): number {
  return Math.round(n * 1000) / 1000;
}

/** Every playbook with at least one positive signal, best first (ties: more signals, then id for stability). */
export function matchPlaybooks(compiled: readonly CompiledPlaybook[], prepared: PreparedText): ScoredMatch[] {
  const out: ScoredMatch[] = [];
  for (const c of compiled) {
    const m = scorePlaybook(c, prepared);
    if (m) out.push(m);
  }
  return out.sort((a, b) => b.score - a.score || b.matchedSignals.length - a.matchedSignals.length || a.playbook.localeCompare(b.playbook));
}
