// The stored rollback plan behind a permalink (/rollback-plans/:id), as every part sees it: the bot
// creates it when it is asked (pending), the reporter fills in the agent's answer, the web page and
// Slack read it. Pure data, below every part; the plan itself is src/model/rollback.ts.
import type { CheckOutcome } from './checks.js';
import type { RollbackPlan, RollbackRequest } from './rollback.js';

export interface RollbackPlanRecord {
  id: string;
  createdAt: number;
  expiresAt: number;
  /** What was asked; the plan repeats it once it is there. */
  request: RollbackRequest;
  /** The cluster whose agent plans it. */
  cluster: string;
  /** Absent while the agent is planning. */
  plan?: RollbackPlan;
  /** How the request ended: ok with a plan, or why there is none (no agent, timeout, error, unavailable). */
  answer?: { outcome: CheckOutcome; message?: string; completedAt: number };
  /** The triage whose "Plan a rollback" button asked for it. */
  triageId?: string;
  slack?: { channel: string; ts?: string };
}
