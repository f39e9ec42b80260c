import { describe, expect, it } from 'vitest';
import { currentRevision, isPending, rollbackTarget, type RevisionMeta } from '../../src/checks/releases.js';
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
