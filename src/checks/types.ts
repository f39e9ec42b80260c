import type { Facts } from '../triage/types.js';
import type { ReadOnlyKube } from '../kube/types.js';
import type { Finding } from '../model/checks.js';

// Finding and Verdict live in src/model/checks.ts (shared by every part); re-exported for the checks.
export type { Finding, FindingStatus, Verdict, VerdictStatus } from '../model/checks.js';

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
