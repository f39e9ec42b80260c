// diagnoseWithChecks end to end through the local Kubernetes API server (opens a port) and client-node.
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { diagnoseWithChecks } from '../../src/checks/triage-with-checks.js';
import { loadPlaybooks } from '../../src/playbooks/load.js';
import { kubeFor, startKubeApiServer, type KubeApiServer } from '../support/kube-api-server.js';
import { loadScenario, type Scenario } from '../support/scenario.js';

const SCENARIOS = join(import.meta.dirname, '..', 'scenarios');
const playbooks = loadPlaybooks();
let server: KubeApiServer | undefined;

afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function triage(scenario: Scenario, text: string, extra: { perCheckTimeoutMs?: number } = {}) {
  server = await startKubeApiServer(scenario);
  return diagnoseWithChecks({ text, playbooks, kube: kubeFor(server, { timeoutMs: 2_000 }), signal: AbortSignal.timeout(20_000), ...extra });
}

describe('diagnoseWithChecks against the local API server (opens a port)', () => {
  it('reads the error from the release record when the text has none', async () => {
    const text = '$ helm rollback web 1 -n storefront --force\nError: release web failed, and has been rolled back due to atomic being set';
    const r = await triage(loadScenario(join(SCENARIOS, 'lbc-class-confirmed.yaml')), text);
    expect(r.source).toMatchObject({ kind: 'release-record', release: 'web', namespace: 'storefront', revision: 3, status: 'failed' });
    expect(r.diagnosis.playbook).toBe('immutable-load-balancer-class');
    expect(r.diagnosis.notes[0]).toBe('error text read from release web revision 3 (failed)');
    expect(r.verdict.status).toBe('confirmed');
    expect(r.verdict.summary).toContain('aws-load-balancer-controller image v2.7.1 (< v2.8.0)');
    expect(server?.writeAttempts).toHaveLength(0);
  });

  it('keeps the text diagnosis when the release has no failure recorded', async () => {
    const r = await triage(loadScenario(join(SCENARIOS, 'pending-release-refuted.yaml')), '$ helm upgrade api ./chart -n backend\nError: UPGRADE FAILED: an error occurred');
    expect(r.source).toEqual({ kind: 'text' });
    expect(r.diagnosis.playbook).toBeNull();
    expect(r.findings).toEqual([]);
    expect(r.verdict.status).toBe('text-only');
  });

  it('points past cleanup noise to the real error recorded in the release', async () => {
    const s = loadScenario(join(SCENARIOS, 'cleanup-noise-confirmed.yaml'));
    const text = [
      '$ helm rollback ledger 1 -n payments --cleanup-on-fail',
      'client.go:490: [debug] Ignoring delete failure for "ledger-canary" /v1, Kind=Service: services "ledger-canary" not found',
      'uninstall.go:148: [debug] object not found, skipping delete',
      'Error: an error occurred while cleaning up resources. original rollback error: release ledger failed',
    ].join('\n');
    const r = await triage(s, text);
    expect(r.diagnosis.playbook).toBe('rollback-cleanup-noise');
    expect(r.verdict.status).toBe('confirmed');
    expect(r.diagnosis.notes.join('\n')).toContain('the real error, error text read from release ledger revision 3 (failed)');
    expect(r.verdict.summary).toContain('configMapKeyRef.name');
  });

  it('reports a forbidden list as inconclusive with the missing permission, keeping the other findings', async () => {
    const s = loadScenario(join(SCENARIOS, 'lbc-class-confirmed.yaml'));
    s.forbidden.push({ verb: 'list', resource: 'mutatingwebhookconfigurations.admissionregistration.k8s.io' });
    const text = '$ helm rollback web 1 -n storefront --force\nError: cannot patch "web" with kind Service: Service "web" is invalid: spec.loadBalancerClass: Invalid value: "null": may not change once set';
    const r = await triage(s, text);
    const byCheck = Object.fromEntries(r.findings.map((f) => [f.check, f]));
    expect(byCheck['aws-lbc-webhook-operations']).toMatchObject({ status: 'inconclusive', missingPermission: expect.stringContaining('list mutatingwebhookconfigurations.admissionregistration.k8s.io') });
    expect(byCheck['aws-lbc-version']?.status).toBe('confirmed');
    expect(byCheck['service-load-balancer-class']?.status).toBe('confirmed');
    expect(r.verdict.status).toBe('confirmed');
  });

  it('times out a check whose API call hangs, keeping the others', async () => {
    const s = loadScenario(join(SCENARIOS, 'lbc-class-confirmed.yaml'));
    s.fail.push({ path: '/apis/admissionregistration.k8s.io/v1/mutatingwebhookconfigurations', hang: true });
    const text = '$ helm rollback web 1 -n storefront --force\nError: cannot patch "web" with kind Service: Service "web" is invalid: spec.loadBalancerClass: Invalid value: "null": may not change once set';
    const r = await triage(s, text, { perCheckTimeoutMs: 500 });
    const hung = r.findings.find((f) => f.check === 'aws-lbc-webhook-operations');
    expect(hung?.status).toBe('inconclusive');
    expect(hung?.summary).toContain('timed out after 0.5 s');
    expect(r.findings.filter((f) => f.status === 'confirmed').map((f) => f.check).sort()).toEqual(['aws-lbc-version', 'service-load-balancer-class']);
  });
});
