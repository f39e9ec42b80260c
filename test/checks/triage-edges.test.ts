// Edges of the in-process triage through the local Kubernetes API server (opens a port): a refuted
// text match promotes the runner-up and checks it too; a release record near the 1 MiB limit.
import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { runChecks } from '../../src/checks/run.js';
import { diagnoseWithChecks } from '../../src/checks/triage-with-checks.js';
import { createPlaybookSet } from '../../src/playbooks/load.js';
import { playbookSchema, type PlaybookSource } from '../../src/playbooks/schema.js';
import { kubeFor, startKubeApiServer, type KubeApiServer } from '../support/kube-api-server.js';

let server: KubeApiServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const playbook = (p: Pick<PlaybookSource, 'id' | 'signals' | 'checks'>) => playbookSchema.parse({
  title: `${p.id} title`, summary: `${p.id} summary`, rootCause: `${p.id} root cause for {{release}}`, runbook: '## Meaning\nfixture',
  examples: [{ input: 'x', expect: null }], ...p,
});

describe('triage edges against the local API server (opens a port)', () => {
  it('promotes the runner-up when the text match is refuted, and runs its checks', async () => {
    const playbooks = createPlaybookSet([
      playbook({ id: 'stuck-release', signals: [{ pattern: 'zorblax operation failed', weight: 0.9 }], checks: ['release-pending-status'] }),
      playbook({ id: 'foreign-owner', signals: [{ pattern: 'zorblax', weight: 0.7 }], checks: ['ownership-metadata'] }),
    ]);
    server = await startKubeApiServer({
      objects: [
        { helmRelease: { name: 'api', namespace: 'backend', revision: 2, status: 'deployed' } },
        { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings', namespace: 'backend', annotations: { 'meta.helm.sh/release-name': 'other', 'meta.helm.sh/release-namespace': 'backend' } } },
      ],
    });
    const r = await diagnoseWithChecks({
      text: 'Error: zorblax operation failed',
      playbooks,
      kube: kubeFor(server),
      signal: AbortSignal.timeout(20_000),
      overrides: { release: 'api', namespace: 'backend', resource: { kind: 'ConfigMap', name: 'settings' } },
    });
    expect(r.diagnosis.playbook).toBe('stuck-release');
    expect(r.findings.map((f) => `${f.check}=${f.status}`)).toEqual(['release-pending-status=refuted', 'ownership-metadata=confirmed']);
    expect(r.verdict.playbook).toBe('foreign-owner');
    expect(r.verdict.status).toBe('confirmed');
    expect(r.verdict.rootCause).toBe('foreign-owner root cause for api');
    expect(r.verdict.summary).toContain('(stuck-release refuted: release api revision 2 is deployed, not pending');
  });

  it('measures the stored size of a release record near the 1 MiB limit', async () => {
    // Random bytes do not compress: the record stays about as large as this manifest.
    const blob = randomBytes(700 * 1024).toString('base64');
    server = await startKubeApiServer({
      objects: [{ helmRelease: { name: 'big', namespace: 'backend', revision: 1, manifest: `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: big\ndata:\n  blob: ${blob}\n` } }],
    });
    const [f] = await runChecks({ checks: ['release-record-size'], facts: { release: 'big', namespace: 'backend' }, kube: kubeFor(server), signal: AbortSignal.timeout(20_000) });
    expect(f?.status, f?.summary).toBe('confirmed');
    expect(Number(f?.learned?.['releaseRecordBytes'])).toBeGreaterThan(900 * 1024);
  });
});
