import { describe, expect, it } from 'vitest';
import { releaseHistoryCheck } from '../../src/checks/release-history.js';
import type { RevisionMeta } from '../../src/checks/releases.js';

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

  it('is inconclusive when the release has no revisions', () => {
    expect(releaseHistoryCheck.judge({ release: 'web', namespace: 'shop', history: [], failed: null }, {}, new Date()).status).toBe('inconclusive');
  });
});
