import { describe, expect, it } from 'vitest';
import { classifyObject, orphanedWorkloads, type OwnerUids, type Tally } from '../../src/checks/orphaned-workloads.js';
import type { KubeObject } from '../../src/kube/types.js';

const owners: OwnerUids = new Map([['ReplicaSet', new Set(['rs-1'])], ['Deployment', new Set(['d-1'])]]);
const obj = (meta: KubeObject['metadata']): KubeObject => ({ metadata: meta });

describe('classifyObject', () => {
  it.each<[string, KubeObject, string | null, string]>([
    ['owner exists', obj({ name: 'p', ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'r', uid: 'rs-1' }] }), null, 'ok'],
    ['owner gone', obj({ name: 'p', ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'r', uid: 'rs-9' }] }), null, 'orphan'],
    ['unknown owner kind is not judged', obj({ name: 'p', ownerReferences: [{ apiVersion: 'v1', kind: 'Node', name: 'n', uid: 'x' }] }), null, 'ok'],
    ['instance label of the release', obj({ name: 'p', labels: { 'app.kubernetes.io/instance': 'web' } }), 'web', 'release-labelled'],
    ['legacy release label', obj({ name: 'p', labels: { release: 'web' } }), 'web', 'release-labelled'],
    ['label of another release', obj({ name: 'p', labels: { release: 'api' } }), 'web', 'ok'],
  ])('%s', (_n, o, release, kind) => {
    expect(classifyObject(o, owners, release).kind).toBe(kind);
  });
});

describe('orphaned-workloads judge', () => {
  const t = (orphans: number, labelled = 0): Tally => ({ scanned: 10, orphans, labelled, examples: [] });
  it('confirms orphans', () => {
    const f = orphanedWorkloads.judge({ scope: 'namespace shop', release: 'web', releaseInstalled: false, replicaSets: t(2), pods: t(3, 1) }, {}, new Date());
    expect(f.status).toBe('confirmed');
    expect(f.summary).toBe('2 ReplicaSet(s) and 4 Pod(s) whose owner is gone or that carry the release labels in namespace shop');
  });
  it('refutes a clean namespace', () => {
    expect(orphanedWorkloads.judge({ scope: 'namespace shop', release: 'web', releaseInstalled: false, replicaSets: t(0), pods: t(0) }, {}, new Date()).status).toBe('refuted');
  });
});
