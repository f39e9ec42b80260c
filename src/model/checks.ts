// The shared shapes of cluster checks, below every part that uses them (checks, triage's verdict,
// queue, store, render, slack, web, cli): what a check found, the verdict drawn from the findings, and
// how a request for checks ended. Pure data: no import of kube, queue or anything with I/O.
import type { RenderedCommand } from '../triage/types.js';
import type { RollbackPlan } from './rollback.js';

export type FindingStatus = 'confirmed' | 'refuted' | 'inconclusive' | 'error';

export interface Finding {
  check: string;
  status: FindingStatus;
  /** One line a human reads first. */
  summary: string;
  evidence: string[];
  /** When inconclusive for lack of access: what RBAC would let the check answer, e.g. `list validatingwebhookconfigurations`. */
  missingPermission?: string;
  /** Facts the check learned from the cluster (e.g. the live image); the verdict may quote them. */
  learned?: Record<string, string>;
  /** Set by decisive checks: their answer alone can confirm or refute the playbook (src/triage/verdict.ts). */
  decisive?: boolean;
  /** The way out the check chose for this case, filled with live names and revisions: shown, never run. */
  commands?: RenderedCommand[];
}

export type VerdictStatus = 'confirmed' | 'refuted' | 'inconclusive' | 'text-only';

export interface Verdict {
  playbook: string | null;
  status: VerdictStatus;
  confidence: number;
  /** One line, quoting live facts where the checks found them. */
  summary: string;
  rootCause: string | null;
  /**
   * Set when the cluster decided a different playbook than the text diagnosis (a promotion): what the
   * first, text-only answer said (playbook null: it abstained). That answer was a guess.
   */
  firstGuess?: { playbook: string | null; confidence: number };
  /** Every playbook whose checks ran, with what its findings said (src/triage/candidates.ts). */
  candidates?: Array<{ playbook: string; score: number; status: VerdictStatus }>;
}

export const CHECK_OUTCOMES = ['ok', 'timeout', 'no-agent', 'unavailable', 'error'] as const;
export type CheckOutcome = (typeof CHECK_OUTCOMES)[number];

export interface CheckResult {
  v: 1;
  jobId: string;
  cluster: string;
  outcome: CheckOutcome;
  findings: Finding[];
  verdict: Verdict | null;
  /** Human sentence for the non-ok outcomes, e.g. "no agent answered for cluster prod within 30 s". */
  message?: string;
  agent?: string;
  completedAt: number;
  /** The answer to a rollback-plan job (findings empty, verdict null); absent for check jobs. */
  plan?: RollbackPlan;
}

/** Where the checks' diagnosis came from: the pasted text, or the error stored in the release record. */
export type TriageSource =
  | { kind: 'text' }
  | { kind: 'release-record'; release: string; namespace: string; revision: number; status: string; note: string };

/** Checks answered through the queue (`diagnose --check --via-queue`): who answered, or why nobody did. */
export interface QueueSource {
  kind: 'queue';
  cluster: string;
  outcome: CheckOutcome;
  agent?: string;
  /** Why the outcome is not `ok` ("no agent answered for cluster prod within 30 s"). */
  message?: string;
}
