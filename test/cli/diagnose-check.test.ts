// End to end: the real CLI process (`diagnose --check`) against the local Kubernetes API server
// (opens a port), through KUBECONFIG pointing at a generated kubeconfig and the real client-node.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { startKubeApiServer, writeKubeconfig, type KubeApiServer } from '../support/kube-api-server.js';
import { loadScenario } from '../support/scenario.js';
import { runAsProcess, runInProcess } from './support.js';

const ROOT = join(import.meta.dirname, '..', '..');
const SCENARIOS = join(ROOT, 'test', 'scenarios');

const cli = runAsProcess;

/** Founding-playbook scenarios that carry a paste. */
function pasteScenarios(): Array<{ file: string; playbook: string; verdict: string; text: string }> {
  return readdirSync(SCENARIOS).filter((f) => f.endsWith('.yaml')).sort().flatMap((file) => {
    const doc = parseYaml(readFileSync(join(SCENARIOS, file), 'utf8')) as { triage?: { playbook: string; verdict: string; text?: string } };
    const t = doc.triage;
    return t?.text ? [{ file, playbook: t.playbook, verdict: t.verdict, text: t.text }] : [];
  });
}

let server: KubeApiServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('helm-triage diagnose --check, spawned against the local API server (opens a port)', () => {
  it('covers each founding playbook confirmed and refuted', () => {
    const cases = pasteScenarios();
    for (const id of ['immutable-load-balancer-class', 'immutable-cluster-ip', 'rollback-cleanup-noise', 'persisted-values-revert', 'orphaned-pods-webhook']) {
      expect([...new Set(cases.filter((c) => c.playbook === id).map((c) => c.verdict))].sort(), id).toEqual(['confirmed', 'refuted']);
    }
  });

  it.each(pasteScenarios())('$file → $playbook $verdict (JSON)', async ({ file, playbook, verdict, text }) => {
    server = await startKubeApiServer(loadScenario(join(SCENARIOS, file)));
    const run = await cli(['diagnose', '--check', '--json', '-'], text, { KUBECONFIG: writeKubeconfig(server) });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const out = JSON.parse(run.stdout) as { playbook: string; verdict: { status: string; playbook: string; summary: string }; findings: Array<{ check: string; status: string }> };
    expect(out.playbook).toBe(playbook);
    expect(out.verdict.playbook).toBe(playbook);
    expect(out.verdict.status, out.verdict.summary).toBe(verdict);
    expect(out.findings.length).toBeGreaterThan(0);
    expect(server.writeAttempts).toHaveLength(0);
  });

});

// The same command in process: quicker, for output details and errors.
const inProcess = runInProcess;

describe('helm-triage diagnose --check in process, against the local API server (opens a port)', () => {
  it('prints the verdict and a findings checklist for humans, with --kubeconfig and --context', async () => {
    server = await startKubeApiServer(loadScenario(join(SCENARIOS, 'lbc-class-confirmed.yaml')));
    const kubeconfig = writeKubeconfig(server, { context: 'staging' });
    const text = '$ helm rollback web 1 -n storefront --force\nError: cannot patch "web" with kind Service: Service "web" is invalid: spec.loadBalancerClass: Invalid value: "null": may not change once set';
    const run = await inProcess(['diagnose', '--check', '--kubeconfig', kubeconfig, '--context', 'staging', '-'], text, {});
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('Cluster verdict: CONFIRMED');
    expect(run.stdout).toContain('[✓] aws-lbc-version: aws-load-balancer-controller image v2.7.1 (< v2.8.0)');
    expect(run.stdout).toContain("[✓] service-load-balancer-class: Service web has loadBalancerClass service.k8s.aws/nlb, revision 1's manifest has none");
  });

  it("checks in the kubeconfig context's namespace when neither the paste nor -n names one", async () => {
    server = await startKubeApiServer(loadScenario(join(SCENARIOS, 'lbc-class-confirmed.yaml')));
    const text = '$ helm rollback web 1 --force\nError: cannot patch "web" with kind Service: Service "web" is invalid: spec.loadBalancerClass: Invalid value: "null": may not change once set';
    type Out = { findings: Array<{ check: string; status: string; summary: string }> };
    const serviceFinding = (stdout: string) => (JSON.parse(stdout) as Out).findings.find((f) => f.check === 'service-load-balancer-class');
    const inContext = await inProcess(['diagnose', '--check', '--json', '-'], text, { KUBECONFIG: writeKubeconfig(server, { namespace: 'storefront' }) });
    expect(serviceFinding(inContext.stdout)?.status).toBe('confirmed');
    // The twin: a context in another namespace finds no release there, so the Service's check cannot confirm.
    const elsewhere = await inProcess(['diagnose', '--check', '--json', '-'], text, { KUBECONFIG: writeKubeconfig(server, { namespace: 'default' }) });
    expect(serviceFinding(elsewhere.stdout)?.status).toBe('inconclusive');
    expect(server.writeAttempts).toHaveLength(0);
  });

  it('replaces the text-only answer with the diagnosis of the error stored in the release', async () => {
    server = await startKubeApiServer(loadScenario(join(SCENARIOS, 'lbc-class-confirmed.yaml')));
    const text = '$ helm rollback web 1 -n storefront --force\nError: release web failed, and has been rolled back due to atomic being set';
    const run = await inProcess(['diagnose', '--check', '--json', '-'], text, { KUBECONFIG: writeKubeconfig(server) });
    const out = JSON.parse(run.stdout) as { playbook: string; notes: string[]; source: { kind: string; revision: number }; verdict: { status: string } };
    expect(out.playbook).toBe('immutable-load-balancer-class');
    expect(out.source).toMatchObject({ kind: 'release-record', revision: 3 });
    expect(out.notes[0]).toBe('error text read from release web revision 3 (failed)');
    expect(out.verdict.status).toBe('confirmed');
  });

  it('fails with a clear message when no cluster configuration exists', async () => {
    const run = await inProcess(['diagnose', '--check', '-'], 'Error: something', { KUBECONFIG: '/nonexistent/kubeconfig' });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('kubeconfig file /nonexistent/kubeconfig does not exist');
  });

  it('refuses --context without --check', async () => {
    const run = await inProcess(['diagnose', '--context', 'x', '-'], 'Error: something', {});
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--context and --kubeconfig only apply with --check');
  });
});
