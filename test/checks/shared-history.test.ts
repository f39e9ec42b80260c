// Several checks of one triage need the same release history: one run reads it once.
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runChecks } from '../../src/checks/run.js';
import { kubeFor, startKubeApiServer, type KubeApiServer } from '../support/kube-api-server.js';
import { loadScenario } from '../support/scenario.js';

const scenario = loadScenario(join(import.meta.dirname, '..', 'scenarios', 'pending-release-confirmed.yaml'));
const historyReads = (server: KubeApiServer): number =>
  server.requests.filter((r) => r.path === '/api/v1/namespaces/backend/secrets' && r.query.includes('labelSelector')).length;

describe('release history within one check run (uses a port: local Kubernetes API)', () => {
  let server: KubeApiServer | undefined;
  afterEach(async () => server?.close());

  it('is read once for three checks that need it, and again on the next run', async () => {
    server = await startKubeApiServer(scenario);
    const kube = kubeFor(server);
    const input = { checks: ['release-history', 'release-pending-status', 'release-record-size'], facts: { release: 'api', namespace: 'backend' }, kube };
    const findings = await runChecks({ ...input, signal: AbortSignal.timeout(20_000) });
    expect(findings.map((f) => f.status)).not.toContain('error');
    expect(findings.find((f) => f.check === 'release-pending-status')?.status).toBe('confirmed');
    expect(historyReads(server)).toBe(1);
    await runChecks({ ...input, signal: AbortSignal.timeout(20_000) });
    expect(historyReads(server)).toBe(2);
  });
});
