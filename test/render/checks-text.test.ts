import { describe, expect, it } from 'vitest';
import type { CheckResult, Verdict } from '../../src/model/checks.js';
import { queueSource, renderChecksText, renderQueueResultText } from '../../src/render/checks-text.js';

describe('renderChecksText', () => {
  it('marks each status and names missing permissions', () => {
    const text = renderChecksText(
      { playbook: 'orphaned-pods-webhook', status: 'inconclusive', confidence: 0.7, summary: 'inconclusive: …', rootCause: null },
      [
        { check: 'orphaned-workloads', status: 'confirmed', summary: '2 Pod(s) whose owner is gone', evidence: ['a', 'b', 'c', 'd', 'e'] },
        { check: 'failing-webhooks', status: 'inconclusive', summary: 'no access', evidence: [], missingPermission: 'list validatingwebhookconfigurations.admissionregistration.k8s.io (cluster-wide)' },
        { check: 'x', status: 'refuted', summary: 'no', evidence: [] },
        { check: 'y', status: 'error', summary: 'boom', evidence: [] },
      ],
      { kind: 'text' },
    );
    expect(text).toContain('Cluster verdict: INCONCLUSIVE 70% [orphaned-pods-webhook]');
    expect(text).toContain('[✓] orphaned-workloads');
    expect(text).toContain('grant: list validatingwebhookconfigurations.admissionregistration.k8s.io (cluster-wide)');
    expect(text).toContain('… 1 more (see --json)');
    expect(text).toContain('[✗] x: no');
    expect(text).toContain('[!] y: boom');
  });
});

const textOnly: Verdict = { playbook: 'immutable-load-balancer-class', status: 'text-only', confidence: 0.8, summary: 'not checked against the cluster', rootCause: null };
const result = (over: Partial<CheckResult>): CheckResult => ({ v: 1, jobId: 'chk-1', cluster: 'prod', outcome: 'ok', findings: [], verdict: null, completedAt: 1, ...over });

describe('queueSource', () => {
  it('keeps who answered and why nobody did, and only what is set', () => {
    expect(queueSource(result({ agent: 'agent-a' }))).toEqual({ kind: 'queue', cluster: 'prod', outcome: 'ok', agent: 'agent-a' });
    expect(queueSource(result({ outcome: 'no-agent', message: 'no agent answered for cluster prod within 2 s' })))
      .toEqual({ kind: 'queue', cluster: 'prod', outcome: 'no-agent', message: 'no agent answered for cluster prod within 2 s' });
  });
});

describe('renderQueueResultText', () => {
  it('names the agent that answered, with its findings', () => {
    const text = renderQueueResultText(
      { ...textOnly, status: 'confirmed', confidence: 0.95 },
      result({ agent: 'agent-a', findings: [{ check: 'svc', status: 'confirmed', summary: 'class set', evidence: [] }] }),
    );
    expect(text).toContain('(checks for cluster prod through the queue, answered by agent agent-a)');
    expect(text).toContain('Cluster verdict: CONFIRMED 95% [immutable-load-balancer-class]');
    expect(text).toContain('[✓] svc: class set');
  });

  it('says why nobody answered instead of reading like an answer', () => {
    const text = renderQueueResultText(textOnly, result({ outcome: 'unavailable', message: 'cluster checks unavailable (queue unreachable)' }));
    expect(text).toContain('(checks for cluster prod through the queue)');
    expect(text).toContain('cluster checks unavailable (queue unreachable)');
    expect(text).toContain('Cluster verdict: TEXT-ONLY');
    expect(text).not.toContain('Findings');
    expect(renderQueueResultText(textOnly, result({ outcome: 'timeout' }))).toContain('cluster checks: timeout');
  });
});
