// The rollback advisor's entry: plan `helm rollback RELEASE [REVISION]` from the release records and
// the live objects, read-only, and never run it. Callers: the CLI (`rollback-plan`) and the agent
// (queue jobs of kind rollback-plan, asked from Slack). The planner's pieces (gather → diff →
// predict → verdict) live next to this file; this signature is what both callers depend on.
import type { ReadOnlyKube } from '../kube/types.js';
import type { RollbackPlan, RollbackRequest } from '../model/rollback.js';

export interface PlanOptions {
  signal: AbortSignal;
  now?: () => number;
}

export type PlanRollback = (kube: ReadOnlyKube, request: RollbackRequest, options: PlanOptions) => Promise<RollbackPlan>;

export const planRollback: PlanRollback = async (_kube, request, options) => ({
  v: 1,
  request,
  current: null,
  target: null,
  verdict: { kind: 'cannot-plan', summary: 'the rollback planner is not built yet' },
  predictions: [],
  diff: null,
  command: null,
  requests: 0,
  notes: [],
  createdAt: (options.now ?? Date.now)(),
});
