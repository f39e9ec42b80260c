import { describe, expect, it } from 'vitest';
import { apiServed } from '../../src/checks/api-served.js';
import { crdExists, isBuiltInGroup } from '../../src/checks/crd-exists.js';
import { ownershipMetadata, type Gathered as Ownership } from '../../src/checks/ownership-metadata.js';
import { formatAge, releasePendingStatus } from '../../src/checks/release-pending-status.js';
import { RECORD_LIMIT_BYTES, releaseRecordSize } from '../../src/checks/release-record-size.js';
import { podState, releasePodsNotReady } from '../../src/checks/release-pods-not-ready.js';
import type { RevisionMeta } from '../../src/checks/releases.js';

const now = new Date('2026-01-05T12:00:00Z');
const rev = (status: string, over: Partial<RevisionMeta> = {}): RevisionMeta => ({ version: 4, status, driver: 'Secret', object: 'sh.helm.release.v1.web.v4', ...over });

describe('release-pending-status judge', () => {
  it('confirms a pending latest revision with its age', () => {
    const f = releasePendingStatus.judge({ release: 'web', namespace: 'shop', latest: rev('pending-upgrade', { createdAt: now.getTime() / 1000 - 3 * 3600 }) }, {}, now);
    expect(f.status).toBe('confirmed');
    expect(f.summary).toBe('release web revision 4 has been pending-upgrade for 3 h');
  });
  it.each([['deployed', 'refuted'], ['failed', 'refuted']])('%s → %s', (status, expected) => {
    expect(releasePendingStatus.judge({ release: 'web', namespace: 'shop', latest: rev(status) }, {}, now).status).toBe(expected);
  });
  it('formats ages', () => {
    expect([formatAge(30), formatAge(600), formatAge(10_800), formatAge(864_000)]).toEqual(['30 s', '10 min', '3 h', '10 days']);
  });
});

describe('release-record-size judge', () => {
  it.each([[RECORD_LIMIT_BYTES - 10_000, 'confirmed'], [RECORD_LIMIT_BYTES / 4, 'refuted']])('%d bytes → %s', (size, status) => {
    expect(releaseRecordSize.judge({ release: 'web', namespace: 'shop', latest: rev('deployed'), size }, {}, now).status).toBe(status);
  });
  it('is inconclusive without a stored revision', () => {
    expect(releaseRecordSize.judge({ release: 'web', namespace: 'shop', latest: null, size: 0 }, {}, now).status).toBe('inconclusive');
  });
});

describe('ownership-metadata judge', () => {
  const g = (over: Partial<Ownership>): Ownership => ({ kind: 'ConfigMap', name: 'web-env', namespace: 'shop', exists: true, releaseName: 'web', releaseNamespace: 'shop', managedBy: 'Helm', ...over });
  it('confirms another owner and gives the annotate/label commands', () => {
    const f = ownershipMetadata.judge(g({ releaseName: 'web-old' }), { release: 'web', namespace: 'shop' }, now);
    expect(f.status).toBe('confirmed');
    expect(f.evidence).toContain('to adopt it: kubectl annotate configmap/web-env -n shop meta.helm.sh/release-name=web meta.helm.sh/release-namespace=shop --overwrite');
    expect(f.evidence).toContain('and: kubectl label configmap/web-env -n shop app.kubernetes.io/managed-by=Helm --overwrite');
  });
  it('confirms an object with no Helm metadata', () => {
    expect(ownershipMetadata.judge(g({ releaseName: null, releaseNamespace: null, managedBy: null }), { release: 'web', namespace: 'shop' }, now).status).toBe('confirmed');
  });
  it('refutes when it already belongs to the release, or is gone', () => {
    expect(ownershipMetadata.judge(g({}), { release: 'web', namespace: 'shop' }, now).status).toBe('refuted');
    expect(ownershipMetadata.judge(g({ exists: false }), { release: 'web', namespace: 'shop' }, now).status).toBe('refuted');
  });
});

describe('api-served and crd-exists judges', () => {
  it('api-served: not served confirms, served refutes', () => {
    expect(apiServed.judge({ groupVersion: 'policy/v1beta1', kind: 'PodSecurityPolicy', served: false, groupVersionServed: false }, {}, now).status).toBe('confirmed');
    expect(apiServed.judge({ groupVersion: 'apps/v1', kind: 'Deployment', served: true, groupVersionServed: true }, {}, now).status).toBe('refuted');
  });
  it('crd-exists', () => {
    const base = { group: 'cert-manager.io', version: 'v1', kind: 'Certificate', builtIn: false };
    expect(crdExists.judge({ ...base, crds: [] }, {}, now).status).toBe('confirmed');
    expect(crdExists.judge({ ...base, crds: [{ name: 'certificates.cert-manager.io', kind: 'Certificate', servedVersions: ['v1'] }] }, {}, now).status).toBe('refuted');
    expect(crdExists.judge({ ...base, version: 'v1alpha2', crds: [{ name: 'certificates.cert-manager.io', kind: 'Certificate', servedVersions: ['v1'] }] }, {}, now).status).toBe('confirmed');
    expect(crdExists.judge({ ...base, group: 'policy', builtIn: true, crds: [] }, {}, now).status).toBe('inconclusive');
  });
  it.each([['', true], ['apps', true], ['networking.k8s.io', true], ['gateway.networking.k8s.io', false], ['monitoring.coreos.com', false]])('built-in group %s → %s', (group, builtIn) => {
    expect(isBuiltInGroup(group)).toBe(builtIn);
  });
});

describe('release-pods-not-ready', () => {
  it('reads container reasons from a pod', () => {
    const s = podState({
      metadata: { name: 'web-1' },
      status: { phase: 'Pending', conditions: [{ type: 'Ready', status: 'False' }], containerStatuses: [{ name: 'app', state: { waiting: { reason: 'ImagePullBackOff' } } }] },
    });
    expect(s).toEqual({ name: 'web-1', phase: 'Pending', ready: false, reasons: ['app: ImagePullBackOff'] });
  });
  it('judges', () => {
    const pod = (ready: boolean) => ({ name: 'web-1', phase: 'Running', ready, reasons: ready ? [] : ['app: CrashLoopBackOff'], events: ['BackOff: Back-off restarting failed container'] });
    const f = releasePodsNotReady.judge({ release: 'web', namespace: 'shop', pods: [pod(false), pod(true)] }, {}, now);
    expect(f.status).toBe('confirmed');
    expect(f.summary).toBe('1 of 2 pod(s) of web not ready (e.g. app: CrashLoopBackOff)');
    expect(releasePodsNotReady.judge({ release: 'web', namespace: 'shop', pods: [pod(true)] }, {}, now).status).toBe('refuted');
    expect(releasePodsNotReady.judge({ release: 'web', namespace: 'shop', pods: [] }, {}, now).status).toBe('inconclusive');
  });
});
