import type { Facts, RenderedCommand } from '../triage/types.js';
import type { ReadOnlyKube } from '../kube/types.js';

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

export interface CheckContext {
  kube: ReadOnlyKube;
  facts: Facts;
  signal: AbortSignal;
  now: Date;
}

export interface Check {
  id: string;
  /** What the check looks at, for runbook pages. */
  description: string;
  /** The read permissions it needs, e.g. `get services`, for RBAC docs. */
  permissions: string[];
  /** Its answer alone can confirm or refute the playbook (its findings carry `decisive`). */
  decisive?: boolean;
  run(ctx: CheckContext): Promise<Finding>;
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
