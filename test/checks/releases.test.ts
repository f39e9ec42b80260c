import { describe, expect, it } from 'vitest';
import { currentRevision, FAILED_REVISION_LOOKBACK, isFailedOrPending, isPending, latestFailedRevision, rollbackTarget, type RevisionMeta } from '../../src/checks/releases.js';
import { compareVersions, imageRepository, imageTag, parseVersion } from '../../src/checks/version.js';

const h = (...statuses: string[]): RevisionMeta[] =>
  statuses.map((status, i) => ({ version: i + 1, status, driver: 'Secret', object: `sh.helm.release.v1.web.v${i + 1}` }));

describe('revision picking', () => {
  it.each<[string, RevisionMeta[], number | undefined, number | undefined, number | undefined]>([
    ['plain history', h('superseded', 'superseded', 'deployed'), undefined, 3, 2],
    ['after a failed rollback', h('superseded', 'deployed', 'failed'), undefined, 2, 1],
    ['named target wins', h('superseded', 'superseded', 'deployed'), 1, 3, 1],
    ['named target missing (pruned)', h('superseded', 'deployed'), 7, 2, undefined],
    ['nothing deployed yet', h('failed'), undefined, 1, undefined],
    ['empty', [], undefined, undefined, undefined],
  ])('%s', (_n, history, named, current, target) => {
    expect(currentRevision(history)?.version).toBe(current);
    expect(rollbackTarget(history, named)?.version).toBe(target);
  });

  it('knows the pending statuses', () => {
    expect(['pending-install', 'pending-upgrade', 'pending-rollback', 'deployed', 'failed'].map(isPending)).toEqual([true, true, true, false, false]);
  });
});

describe('latestFailedRevision', () => {
  it.each<[string, RevisionMeta[], number | undefined]>([
    ['latest failed', h('superseded', 'deployed', 'failed'), 3],
    ['failed upgrade, then an --atomic rollback', h('superseded', 'failed', 'deployed'), 2],
    ['latest pending', h('deployed', 'pending-upgrade'), 2],
    ['the newest of two failures', h('failed', 'deployed', 'failed', 'failed'), 4],
    ['failure as far back as the lookback', h('deployed', 'failed', 'superseded', 'deployed'), 2],
    ['failure just beyond the lookback is history', h('failed', 'superseded', 'superseded', 'deployed'), undefined],
    ['first install failed', h('failed'), 1],
    ['nothing failed', h('superseded', 'deployed'), undefined],
    ['uninstall is not a failure', h('deployed', 'uninstalling', 'uninstalled'), undefined],
    ['empty', [], undefined],
  ])('%s', (_n, history, version) => {
    expect(latestFailedRevision(history)?.version).toBe(version);
  });

  it('looks back three revisions unless told otherwise', () => {
    expect(FAILED_REVISION_LOOKBACK).toBe(3);
    const old = h('failed', 'deployed', 'superseded', 'superseded', 'deployed');
    expect(latestFailedRevision(old, 5)?.version).toBe(1);
    expect(latestFailedRevision(old, 4)).toBeUndefined();
    expect(latestFailedRevision(h('failed'), 0)).toBeUndefined();
  });

  it('counts failed and pending statuses only', () => {
    expect(['failed', 'pending-install', 'pending-upgrade', 'pending-rollback', 'deployed', 'superseded', 'uninstalled', 'uninstalling', 'unknown'].map(isFailedOrPending))
      .toEqual([true, true, true, true, false, false, false, false, false]);
  });
});

describe('versions and image references', () => {
  it.each([
    ['v2.7.1', { major: 2, minor: 7, patch: 1 }],
    ['2.8.0-eks-1', { major: 2, minor: 8, patch: 0 }],
    ['v1.21', { major: 1, minor: 21, patch: 0 }],
    ['latest', null],
  ])('parseVersion(%s)', (text, v) => {
    expect(parseVersion(text)).toEqual(v);
  });

  it('compares numerically, not as strings', () => {
    expect(compareVersions({ major: 2, minor: 10, patch: 0 }, { major: 2, minor: 8, patch: 0 })).toBeGreaterThan(0);
  });

  it.each([
    ['postgres:11', '11', 'postgres'],
    ['registry.local:5000/team/app:1.2.3', '1.2.3', 'registry.local:5000/team/app'],
    ['registry.local:5000/team/app', null, 'registry.local:5000/team/app'],
    ['app:1.0@sha256:abc', '1.0', 'app'],
  ])('%s', (image, tag, repo) => {
    expect(imageTag(image)).toBe(tag);
    expect(imageRepository(image)).toBe(repo);
  });
});
