// The rollback-plan job's wrapper around the planner: the deadline, the agent's stop, and failures.
// The planner is injected (as the check runner is in process-job.test.ts); the real one runs in
// rollback-job.redis.test.ts and the Slack end-to-end test.
import { describe, expect, it } from 'vitest';
import type { PlanRollback } from '../../src/rollback/plan.js';
import { processRollbackJob } from '../../src/queue/process-rollback-job.js';
import type { RollbackJob } from '../../src/queue/types.js';
import { safePlan } from '../render/rollback-fixtures.js';
import { unusedKube } from './support.js';

function job(deadlineMs: number): RollbackJob {
  const createdAt = Date.now();
  return {
    v: 1, kind: 'rollback-plan', request: { release: 'web', namespace: 'prod', revision: 3 }, planId: 'p',
    cluster: 'prod-eu', requester: { kind: 'cli', correlationId: 'c' }, deadline: createdAt + deadlineMs, createdAt,
  };
}

const hangs: PlanRollback = (_kube, _request, { signal }) => new Promise((_, reject) => {
  signal.addEventListener('abort', () => reject(signal.reason), { once: true });
});

describe('processRollbackJob', () => {
  it('carries the plan, asking for the job\'s request with the cluster as its context', async () => {
    let asked: unknown;
    const planner: PlanRollback = async (_kube, request) => {
      asked = request;
      return safePlan();
    };
    const result = await processRollbackJob('rbk-1', job(5000), { kube: unusedKube, planRollback: planner, agent: 'a1' });
    expect(asked).toEqual({ release: 'web', namespace: 'prod', revision: 3, context: 'prod-eu' });
    expect(result).toMatchObject({ v: 1, jobId: 'rbk-1', cluster: 'prod-eu', outcome: 'ok', findings: [], verdict: null, agent: 'a1', plan: safePlan() });
  });

  it('answers "timeout" before the deadline when the planner is still running, and aborts it', async () => {
    const started = Date.now();
    const result = await processRollbackJob('rbk-2', job(600), { kube: unusedKube, planRollback: hangs, agent: 'a1' });
    expect(Date.now() - started).toBeLessThan(600);
    expect(result).toMatchObject({ outcome: 'timeout', message: 'the rollback plan for web on cluster prod-eu did not finish within 1 s' });
    expect(result.plan).toBeUndefined();
  });

  it('a planner that ignores its signal still cannot hold the answer past the deadline', async () => {
    const deaf: PlanRollback = () => new Promise(() => undefined);
    const result = await processRollbackJob('rbk-3', job(300), { kube: unusedKube, planRollback: deaf, agent: 'a1' });
    expect(result.outcome).toBe('timeout');
  });

  it('hands back nothing but a "cut short" answer when the agent stops, so the agent can requeue it', async () => {
    const stop = new AbortController();
    setTimeout(() => stop.abort(new Error('agent stopping')), 50);
    const result = await processRollbackJob('rbk-4', job(5000), { kube: unusedKube, planRollback: hangs, agent: 'a1' }, stop.signal);
    expect(result).toMatchObject({ outcome: 'timeout', message: 'planning was cut short: the agent stopped' });
  });

  it('throws what the planner throws (the caller retries what is transient and answers the rest)', async () => {
    const broken: PlanRollback = async () => {
      throw new Error('403 on secrets');
    };
    await expect(processRollbackJob('rbk-5', job(5000), { kube: unusedKube, planRollback: broken, agent: 'a1' })).rejects.toThrow('403 on secrets');
  });
});
