import { describe, expect, it } from 'vitest';
import type { Finding } from '../../src/checks/types.js';
import { decideVerdict, findingsStatus } from '../../src/triage/verdict.js';
import type { Match } from '../../src/triage/types.js';

const f = (check: string, status: Finding['status'], summary: string, decisive = false): Finding => ({ check, status, summary, evidence: [], ...(decisive ? { decisive } : {}) });
const match = (playbook: string, score: number, noise = false): Match => ({ playbook, title: `${playbook} title`, score, evidence: [], ...(noise ? { noise } : {}) });
const dx = (playbook: string | null, matches: Match[] = [], confidence = 0.8) => ({ playbook, confidence, rootCause: playbook ? `${playbook} cause` : null, matches, facts: {} });

describe('findingsStatus', () => {
  it.each<[string, Finding[], string]>([
    ['all confirm', [f('a', 'confirmed', 'x'), f('b', 'confirmed', 'y')], 'confirmed'],
    ['all refute', [f('a', 'refuted', 'x')], 'refuted'],
    ['mixed, none decisive', [f('a', 'confirmed', 'x'), f('b', 'refuted', 'y')], 'inconclusive'],
    ['decisive confirm beats a supporting refute', [f('a', 'confirmed', 'x', true), f('b', 'refuted', 'y')], 'confirmed'],
    ['decisive refute beats supporting confirms', [f('a', 'refuted', 'x', true), f('b', 'confirmed', 'y'), f('c', 'confirmed', 'z')], 'refuted'],
    ['inconclusive decisive falls back to the rest', [f('a', 'inconclusive', 'x', true), f('b', 'confirmed', 'y')], 'confirmed'],
    ['only errors', [f('a', 'error', 'x'), f('b', 'inconclusive', 'y')], 'inconclusive'],
    ['two decisive checks are alternative proofs: one confirming confirms', [f('a', 'refuted', 'no orphans', true), f('b', 'confirmed', 'held by a finalizer', true)], 'confirmed'],
    ['two decisive checks both refuting refute', [f('a', 'refuted', 'no orphans', true), f('b', 'refuted', 'nothing held', true)], 'refuted'],
  ])('%s → %s', (_n, findings, status) => {
    expect(findingsStatus(findings)).toBe(status);
  });
});

describe('decideVerdict', () => {
  it('is text-only without findings', () => {
    const v = decideVerdict(dx('immutable-cluster-ip'), []);
    expect(v).toMatchObject({ playbook: 'immutable-cluster-ip', status: 'text-only', confidence: 0.8 });
  });

  it('confirms, raises confidence and quotes the live facts', () => {
    const v = decideVerdict(dx('immutable-load-balancer-class'), [
      f('aws-lbc-version', 'confirmed', 'aws-load-balancer-controller image v2.7.1 (< v2.8.0)'),
      f('aws-lbc-webhook-operations', 'confirmed', 'webhook mservice.elbv2.k8s.aws handles CREATE only'),
      f('service-load-balancer-class', 'confirmed', "Service web has loadBalancerClass service.k8s.aws/nlb, revision 3's manifest has none", true),
    ]);
    expect(v.status).toBe('confirmed');
    expect(v.summary).toBe("confirmed: aws-load-balancer-controller image v2.7.1 (< v2.8.0); webhook mservice.elbv2.k8s.aws handles CREATE only; Service web has loadBalancerClass service.k8s.aws/nlb, revision 3's manifest has none");
    expect(v.confidence).toBeGreaterThan(0.9);
    expect(v.rootCause).toBe('immutable-load-balancer-class cause');
  });

  it('keeps the dissent visible when a decisive finding confirms', () => {
    const v = decideVerdict(dx('immutable-load-balancer-class'), [f('svc', 'confirmed', 'class differs', true), f('ver', 'refuted', 'controller v2.9.0')]);
    expect(v.status).toBe('confirmed');
    expect(v.summary).toBe('confirmed: class differs (but controller v2.9.0)');
  });

  it('demotes on refutation and lowers confidence when nothing else is plausible', () => {
    const v = decideVerdict(dx('orphaned-pods-webhook', [match('orphaned-pods-webhook', 0.8), match('wait-timeout', 0.3)]), [f('orphaned-workloads', 'refuted', 'no orphans', true)]);
    expect(v).toMatchObject({ playbook: 'orphaned-pods-webhook', status: 'refuted', summary: 'refuted: no orphans' });
    expect(v.confidence).toBeLessThan(0.3);
  });

  it('promotes the next plausible match when the text match is refuted', () => {
    const v = decideVerdict(
      dx('rollback-cleanup-noise', [match('rollback-cleanup-noise', 0.8), match('noise-ish', 0.9, true), match('immutable-field', 0.7)]),
      [f('cleanup-targets', 'refuted', 'objects exist', true)],
      { get: (id: string) => (id === 'immutable-field' ? { rootCause: '{{release}}: a field cannot change' } : undefined) },
    );
    expect(v.playbook).toBe('immutable-field');
    expect(v.status).toBe('inconclusive');
    expect(v.summary).toBe('refuted rollback-cleanup-noise: objects exist; next most likely: immutable-field title (not checked)');
    expect(v.rootCause).toBe('<release>: a field cannot change');
  });

  it('stays inconclusive when findings disagree, and says which', () => {
    const v = decideVerdict(dx('immutable-cluster-ip'), [f('server-version', 'confirmed', 'server v1.21.5'), f('x', 'refuted', 'no fields'), f('y', 'inconclusive', 'needs list secrets')]);
    expect(v.status).toBe('inconclusive');
    expect(v.confidence).toBe(0.8);
    expect(v.summary).toBe('inconclusive: confirmed server v1.21.5; refuted no fields; y inconclusive: needs list secrets');
  });
});
