// One rollback-plan job → one result carrying the plan. Shared by the BullMQ agent and the embedded
// dispatcher, with the deadline honoured like a check job's: the planner gets the time left minus a
// margin (so the answer, not the watchdog, reaches the requester), and a planner still running then is
// cut off with a "timeout" answer. A failing planner (a bug, a dead cluster) throws: the caller
// retries what is transient and answers with the error otherwise.
import type { ReadOnlyKube } from '../kube/types.js';
import { planRollback as defaultPlanner, type PlanRollback } from '../rollback/plan.js';
import { answerMarginMs, deadlineSeconds, processCheckJob, type ProcessJobDeps } from './process-job.js';
import { isRollbackJob, type AgentJob, type CheckResult, type RollbackJob } from './types.js';

export interface ProcessRollbackDeps {
  kube: ReadOnlyKube;
  /** Defaults to src/rollback/plan.ts; tests and benchmarks may inject their own. */
  planRollback?: PlanRollback;
  agent: string;
  now?: () => number;
}

export async function processRollbackJob(jobId: string, job: RollbackJob, deps: ProcessRollbackDeps, outer?: AbortSignal): Promise<CheckResult> {
  const now = deps.now ?? Date.now;
  const plan = deps.planRollback ?? defaultPlanner;
  const remaining = job.deadline - now();
  const budget = Math.max(0, remaining - answerMarginMs(remaining));
  const timer = new AbortController();
  const timeout = setTimeout(() => timer.abort(new DOMException('rollback plan deadline reached', 'TimeoutError')), budget);
  const signal = outer ? AbortSignal.any([outer, timer.signal]) : timer.signal;
  const base = { v: 1 as const, jobId, cluster: job.cluster, findings: [], verdict: null, agent: deps.agent };
  try {
    // A planner that ignores its signal still cannot hold the answer past the deadline.
    const cut = new Promise<null>((resolve) => {
      if (timer.signal.aborted) resolve(null);
      else timer.signal.addEventListener('abort', () => resolve(null), { once: true });
    });
    const planned = await Promise.race([plan(deps.kube, { ...job.request, context: job.request.context ?? job.cluster }, { signal, now }), cut]);
    if (planned === null) {
      return {
        ...base, outcome: 'timeout', completedAt: now(),
        message: `the rollback plan for ${job.request.release} on cluster ${job.cluster} did not finish within ${deadlineSeconds(job)} s`,
      };
    }
    return { ...base, outcome: 'ok', plan: planned, completedAt: now() };
  } catch (err) {
    // Cut short by the caller (the agent is stopping): no answer, which the caller hands back.
    if (outer?.aborted === true) return { ...base, outcome: 'timeout', completedAt: now(), message: 'planning was cut short: the agent stopped' };
    throw err;
  } finally {
    clearTimeout(timeout);
  }
}

/** Either kind of job an agent takes, to its one result: what the BullMQ agent and the embedded dispatcher both run. */
export function processAgentJob(jobId: string, job: AgentJob, deps: ProcessJobDeps & Pick<ProcessRollbackDeps, 'planRollback'>, outer?: AbortSignal): Promise<CheckResult> {
  if (!isRollbackJob(job)) return processCheckJob(jobId, job, deps, outer);
  const { kube, planRollback, agent, now } = deps;
  return processRollbackJob(jobId, job, { kube, planRollback, agent, now }, outer);
}
