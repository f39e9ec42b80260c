// `helm-triage rollback-plan`: options, exit codes and errors, in process and as a real process,
// against the local Kubernetes API server (opens a port). The twin scenarios are test/rollback/scenarios.test.ts.
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { RollbackPlan } from '../../src/model/rollback.js';
import { startKubeApiServer, writeKubeconfig, type KubeApiServer } from '../support/kube-api-server.js';
import { loadScenario } from '../support/scenario.js';
import { runAsProcess, runInProcess } from './support.js';

const ROOT = join(import.meta.dirname, '..', '..');
const SCENARIOS = join(ROOT, 'test', 'scenarios', 'rollback');

let server: KubeApiServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('helm-triage rollback-plan (opens a port)', () => {
  it('refuses a revision, namespace or release name that is not one (exit 2), before any request', async () => {
    server = await startKubeApiServer({});
    const env = { KUBECONFIG: writeKubeconfig(server) };
    for (const [args, message] of [
      [['web', 'three'], 'REVISION must be a revision number'],
      [['web', '0'], 'REVISION must be a revision number'],
      [['web', '-n', 'Bad_NS'], '-n must be a namespace name'],
      [['Web_App'], 'is not a valid Helm release name'],
      [['web', '--timeout', '0'], '--timeout must be a number of seconds'],
    ] as const) {
      const run = await runInProcess(['rollback-plan', ...args], '', env);
      expect(run.code, args.join(' ')).toBe(2);
      expect(run.stderr).toContain(message);
    }
    expect(server.requestCount).toBe(0);
  });

  it('cannot plan a release that has no revisions, or a revision that does not exist (exit 1, with the next step)', async () => {
    server = await startKubeApiServer(loadScenario(join(SCENARIOS, 'lbc-force.yaml')));
    const env = { KUBECONFIG: writeKubeconfig(server) };
    const missing = await runInProcess(['rollback-plan', 'shop', '-n', 'storefront'], '', env);
    expect(missing.code).toBe(1);
    expect(missing.stdout).toContain('Verdict: CANNOT PLAN  release shop has no revisions in namespace storefront: check the name and the namespace (helm list -n storefront)');
    const gone = await runInProcess(['rollback-plan', 'web', '7', '-n', 'storefront', '--json'], '', env);
    expect(gone.code).toBe(1);
    const plan = JSON.parse(gone.stdout) as RollbackPlan;
    expect(plan.verdict).toEqual({ kind: 'cannot-plan', summary: 'release web has no revision 7 (it has 1–2; older ones are pruned by --history-max): pick one from helm history web -n storefront' });
    const running = await runInProcess(['rollback-plan', 'web', '2', '-n', 'storefront'], '', env);
    expect(running.stdout).toContain('revision 2 is the one running: nothing to roll back');
    expect(server.writeAttempts).toHaveLength(0);
  });

  it("without -n plans in the kubeconfig context's namespace, as helm would; -n still wins", async () => {
    server = await startKubeApiServer(loadScenario(join(SCENARIOS, 'lbc-force.yaml')));
    const env = { KUBECONFIG: writeKubeconfig(server, { namespace: 'storefront' }) };
    const plan = JSON.parse((await runInProcess(['rollback-plan', 'web', '1', '--json'], '', env)).stdout) as RollbackPlan;
    expect(plan.request.namespace).toBe('storefront');
    expect(plan.target?.revision).toBe(1);
    const elsewhere = await runInProcess(['rollback-plan', 'web', '1', '-n', 'default'], '', env);
    expect(elsewhere.code).toBe(1);
    expect(elsewhere.stdout).toContain('release web has no revisions in namespace default');
  });

  it('defaults the target to the last good revision before the current one', async () => {
    server = await startKubeApiServer(loadScenario(join(SCENARIOS, 'lbc-fixed.yaml')));
    const run = await runInProcess(['rollback-plan', 'web', '-n', 'storefront', '--json'], '', { KUBECONFIG: writeKubeconfig(server) });
    const plan = JSON.parse(run.stdout) as RollbackPlan;
    expect([plan.current?.revision, plan.target?.revision]).toEqual([2, 1]);
    expect(plan.command?.command).toBe('helm rollback web 1 -n storefront');
  });

  it('fails with the missing permission when the release records may not be read (exit 1)', async () => {
    server = await startKubeApiServer({ ...loadScenario(join(SCENARIOS, 'lbc-force.yaml')), forbidden: [{ verb: 'list', resource: 'secrets' }, { verb: 'list', resource: 'configmaps' }] });
    const run = await runInProcess(['rollback-plan', 'web', '-n', 'storefront'], '', { KUBECONFIG: writeKubeconfig(server) });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('the cluster refused "list secrets in namespace storefront" (403)');
  });

  it('plans without a live object it may not read, and says so instead of calling it safe', async () => {
    server = await startKubeApiServer({ ...loadScenario(join(SCENARIOS, 'lbc-fixed.yaml')), forbidden: [{ verb: 'get', resource: 'services' }] });
    const run = await runInProcess(['rollback-plan', 'web', '1', '-n', 'storefront', '--json'], '', { KUBECONFIG: writeKubeconfig(server) });
    expect(run.code).toBe(0);
    const plan = JSON.parse(run.stdout) as RollbackPlan;
    expect(plan.verdict.kind).toBe('needs-care');
    expect(plan.notes).toEqual(['live Service storefront/web: forbidden (needs get services in namespace storefront)']);
  });

  it('fails with a clear message when there is no cluster configuration', async () => {
    const run = await runInProcess(['rollback-plan', 'web'], '', { KUBECONFIG: '/nonexistent/kubeconfig' });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('kubeconfig file /nonexistent/kubeconfig does not exist');
  });

  it('runs as a real process with --kubeconfig and --context, and prints the plan for humans', async () => {
    server = await startKubeApiServer(loadScenario(join(SCENARIOS, 'lbc-force.yaml')));
    const kubeconfig = writeKubeconfig(server, { context: 'staging' });
    const run = await runAsProcess(['rollback-plan', 'web', '1', '-n', 'storefront', '--force', '--kubeconfig', kubeconfig, '--context', 'staging']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('Verdict: WILL FAIL  will fail with --force: Service storefront/web: helm rollback --force would fail');
    expect(run.stdout).toContain('  $ helm rollback web 1 -n storefront\n');
    expect(server.writeAttempts).toHaveLength(0);
  });
});
