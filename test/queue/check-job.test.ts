import { describe, expect, it } from 'vitest';
import { checkJobFor, checkPlanFor, type JobDiagnosis } from '../../src/queue/check-job.js';
import { checkJobSchema } from '../../src/queue/types.js';

const playbooks = new Map([
  ['immutable-field', { checks: ['alpha', 'beta'], noise: false }],
  ['no-checks', { checks: [], noise: false }],
]);

const diagnosis = (over: Partial<JobDiagnosis> = {}): JobDiagnosis => ({
  text: 'Error: UPGRADE FAILED: field is immutable',
  facts: { release: 'web', namespace: 'shop' },
  playbook: 'immutable-field',
  checks: ['alpha', 'beta'],
  confidence: 0.9,
  rootCause: 'a field that cannot change was changed',
  matches: [{ playbook: 'immutable-field', title: 'Immutable field', score: 0.9, evidence: [] }],
  ...over,
});

describe('checkJobFor (the one check-job builder)', () => {
  it('builds a valid job for the requester, with the deadline counted from now and explicit facts winning', () => {
    const d = diagnosis();
    const plan = checkPlanFor(d, playbooks);
    expect(plan).not.toBeNull();
    if (plan === null) return;
    const job = checkJobFor(d, plan, {
      cluster: 'prod', requester: { kind: 'cli', correlationId: 'c-1' }, now: 1_000, deadlineSeconds: 30, overrides: { namespace: 'other' },
    });
    expect(checkJobSchema.parse(job)).toEqual(job);
    expect(job).toMatchObject({
      cluster: 'prod', requester: { kind: 'cli', correlationId: 'c-1' }, createdAt: 1_000, deadline: 31_000,
      facts: { release: 'web', namespace: 'other' }, playbook: 'immutable-field', checks: ['alpha', 'beta'],
      candidates: [{ playbook: 'immutable-field', checks: ['alpha', 'beta'], primary: true }],
    });
  });

  it('has nothing to build when no candidate has checks', () => {
    expect(checkPlanFor(diagnosis({ playbook: 'no-checks', checks: [], matches: [{ playbook: 'no-checks', title: 'x', score: 0.9, evidence: [] }] }), playbooks)).toBeNull();
  });
});
