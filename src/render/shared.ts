// Small pure helpers every renderer (text, Slack, HTML) shares, so the three never disagree.
import type { CheckOutcome } from '../model/checks.js';
import type { Diagnosis } from '../triage/types.js';

/** The verdict summary without a leading "<status>: " that a badge or label beside it already shows. */
export function summaryAfterBadge(status: string, summary: string): string {
  const prefix = `${status}: `;
  return summary.toLowerCase().startsWith(prefix) ? summary.slice(prefix.length) : summary;
}

/** The matched playbook plus alternatives that scored anything: a "0%" row only confuses. */
export function shownMatches(d: Pick<Diagnosis, 'playbook' | 'matches'>): Diagnosis['matches'] {
  return d.matches.filter((m) => m.playbook === d.playbook || m.score >= 0.005);
}

/** A 0..1 score as a whole percentage ("91%"), clamped so a stray value never shows "104%". */
export function formatPercent(score: number): string {
  return `${Math.round(Math.max(0, Math.min(1, score)) * 100)}%`;
}

/** How a run of checks (or a rollback plan) ended, completing "Cluster checks … " / "planning …". */
export const OUTCOME_WORDS: Record<CheckOutcome, string> = {
  ok: 'finished',
  timeout: 'ran out of time',
  'no-agent': 'got no answer from an agent',
  unavailable: 'could not be queued',
  error: 'failed',
};
