import { afterEach, describe, expect, it } from 'vitest';
import { releaseHistoryCheck } from '../../src/checks/release-history.js';
import type { RevisionMeta } from '../../src/checks/releases.js';
import { runChecks } from '../../src/checks/run.js';
import { readStoredFailure } from '../../src/checks/stored-failure.js';
import { kubeFor, startKubeApiServer, type KubeApiServer } from '../support/kube-api-server.js';

const rev = (version: number, status: string): RevisionMeta => ({ version, status, driver: 'Secret', object: `sh.helm.release.v1.web.v${version}` });

describe('release-history judge', () => {
  it('confirms with the description of the latest failed revision', () => {
    const f = releaseHistoryCheck.judge({
      release: 'web', namespace: 'shop',
      history: [rev(1, 'superseded'), rev(2, 'deployed'), rev(3, 'failed')],
      failed: { version: 3, status: 'failed', description: 'Rollback "web" failed: Deployment.apps "web" is invalid' },
    }, {}, new Date());
    expect(f.status).toBe('confirmed');
    expect(f.summary).toBe('release web revision 3 (failed): Rollback "web" failed: Deployment.apps "web" is invalid');
    expect(f.learned).toMatchObject({ failedRevision: '3', deployedRevision: '2', latestStatus: 'failed' });
  });

  it('refutes when nothing failed', () => {
    const f = releaseHistoryCheck.judge({ release: 'web', namespace: 'shop', history: [rev(1, 'superseded'), rev(2, 'deployed')], failed: null }, {}, new Date());
    expect(f.status).toBe('refuted');
  });

  it('says the refutation covers only the latest revisions when the history is longer', () => {
    const history = [rev(1, 'failed'), rev(2, 'superseded'), rev(3, 'superseded'), rev(4, 'deployed')];
    const f = releaseHistoryCheck.judge({ release: 'web', namespace: 'shop', history, failed: null }, {}, new Date());
    expect(f.summary).toBe('release web: no failed or pending revision in the latest 3 (latest 4 is deployed)');
    expect(f.evidence).toContain('revision 1: failed');
  });

  it('keeps "recorded" when the whole history was looked at', () => {
    const f = releaseHistoryCheck.judge({ release: 'web', namespace: 'shop', history: [rev(1, 'superseded'), rev(2, 'deployed')], failed: null }, {}, new Date());
    expect(f.summary).toBe('release web: no failed or pending revision recorded (latest 2 is deployed)');
  });

  it('is inconclusive when the release has no revisions', () => {
    expect(releaseHistoryCheck.judge({ release: 'web', namespace: 'shop', history: [], failed: null }, {}, new Date()).status).toBe('inconclusive');
  });
});

// release-history and the stored-failure lookup of triage must name the same revision.
describe('release-history and the stored failure (uses a port: local Kubernetes API)', () => {
  let server: KubeApiServer | undefined;
  afterEach(async () => server?.close());

  const revision = (n: number, status: string, description = `Upgrade complete ${n}`) =>
    ({ helmRelease: { name: 'web', namespace: 'shop', revision: n, status, description } });
  const run = async (objects: unknown[]) => {
    server = await startKubeApiServer({ objects });
    const kube = kubeFor(server);
    const signal = AbortSignal.timeout(20_000);
    const [finding] = await runChecks({ checks: ['release-history'], facts: { release: 'web', namespace: 'shop' }, kube, signal });
    return { finding, stored: await readStoredFailure(kube, 'web', 'shop', signal) };
  };

  it('both pick the failed upgrade an --atomic rollback followed', async () => {
    const { finding, stored } = await run([
      revision(1, 'superseded'), revision(2, 'failed', 'Upgrade "web" failed: Service "web" is invalid'), revision(3, 'deployed', 'Rollback to 1'),
    ]);
    expect(finding).toMatchObject({ status: 'confirmed', summary: 'release web revision 2 (failed): Upgrade "web" failed: Service "web" is invalid' });
    expect(stored).toMatchObject({ revision: 2, status: 'failed', text: 'Upgrade "web" failed: Service "web" is invalid' });
  });

  it('neither reports a failure older than the lookback as the error at hand', async () => {
    const { finding, stored } = await run([
      revision(1, 'failed', 'Upgrade "web" failed: an old problem'), revision(2, 'superseded'), revision(3, 'superseded'), revision(4, 'deployed'),
    ]);
    expect(finding).toMatchObject({ status: 'refuted', summary: 'release web: no failed or pending revision in the latest 3 (latest 4 is deployed)' });
    expect(stored).toBeNull();
  });
});
