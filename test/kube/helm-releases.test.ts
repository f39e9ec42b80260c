import { afterEach, describe, expect, it } from 'vitest';
import { ErrorCode } from '../../src/errors.js';
import { KubeForbiddenError, ReleaseDecodeError } from '../../src/kube/errors.js';
import { findResource } from '../../src/kube/helm-manifest.js';
import { HelmReleases } from '../../src/kube/helm-releases.js';
import type { KubeObject } from '../../src/kube/types.js';
import { kubeFor, startKubeApiServer, type KubeApiServer } from '../support/kube-api-server.js';
import { helmReleaseObject, type HelmReleaseSpec } from '../support/scenario.js';

const serviceManifest = (lbClass?: string): string =>
  [
    '---',
    '# Source: shop/templates/service.yaml',
    'apiVersion: v1',
    'kind: Service',
    'metadata:',
    '  name: shop-web',
    'spec:',
    '  type: LoadBalancer',
    ...(lbClass ? [`  loadBalancerClass: ${lbClass}`] : []),
    '  ports:',
    '    - port: 80',
    '---',
    '# Source: shop/templates/deployment.yaml',
    'apiVersion: apps/v1',
    'kind: Deployment',
    'metadata:',
    '  name: shop-web',
    'spec:',
    '  template:',
    '    spec:',
    '      containers:',
    '        - name: web',
    '          image: registry.example/shop:2.4.0',
    '',
  ].join('\n');

const rev = (revision: number, status: string, extra: Partial<HelmReleaseSpec> = {}): { helmRelease: HelmReleaseSpec } => ({
  helmRelease: {
    name: 'shop',
    namespace: 'store',
    revision,
    status,
    chart: { name: 'shop', version: `1.${revision}.0`, appVersion: '2.4.0', values: { image: { tag: '2.4.0' }, adminPassword: 'chart-default-pw' } },
    config: { image: { tag: String(revision) } },
    manifest: serviceManifest(revision >= 2 ? 'service.k8s.aws/nlb' : undefined),
    ...extra,
  },
});

describe('HelmReleases against the local API server (opens a port)', () => {
  let server: KubeApiServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it('reads history from labels only, sorted by number (v10 after v9)', async () => {
    const objects = [rev(9, 'superseded'), rev(10, 'superseded'), rev(11, 'failed'), rev(2, 'superseded')];
    server = await startKubeApiServer({ objects: [...objects, rev(1, 'deployed', { name: 'other' })] });
    const helm = new HelmReleases(kubeFor(server));
    const history = await helm.history('shop', 'store');
    expect(history.map((h) => `${h.revision}:${h.status}`)).toEqual(['2:superseded', '9:superseded', '10:superseded', '11:failed']);
    expect(history[0]?.objectName).toBe('sh.helm.release.v1.shop.v2');
    expect(history[0]?.createdAt).toBeInstanceOf(Date);
    const lists = server.requests.filter((r) => r.path === '/api/v1/namespaces/store/secrets');
    expect(lists).toHaveLength(1);
    expect(decodeURIComponent(lists[0]!.query)).toContain('labelSelector=owner=helm,name=shop');
    expect(lists[0]!.accept).toContain('as=PartialObjectMetadataList');
  });

  it('round-trips a release: encoded by the test helper, decoded through the facade', async () => {
    server = await startKubeApiServer({ objects: [rev(1, 'superseded'), rev(2, 'deployed', { description: 'Upgrade complete' })] });
    const helm = new HelmReleases(kubeFor(server));
    const latest = await helm.latest('shop', 'store');
    expect(latest).toMatchObject({
      name: 'shop',
      namespace: 'store',
      version: 2,
      info: { status: 'deployed', description: 'Upgrade complete' },
      chart: { name: 'shop', version: '1.2.0', appVersion: '2.4.0' },
      config: { image: { tag: '2' } },
      storage: { driver: 'secret', objectName: 'sh.helm.release.v1.shop.v2' },
    });
    expect(latest?.info.lastDeployed).toMatch(/^2026-/);
    const svc = findResource(latest!.manifest, 'Service', 'shop-web');
    expect((svc?.object.spec as { loadBalancerClass?: string }).loadBalancerClass).toBe('service.k8s.aws/nlb');
    expect(svc?.source).toBe('shop/templates/service.yaml');
    // Only the revision needed was fetched: one list for history, one get for v2.
    expect(server.requestsByPath.get('/api/v1/namespaces/store/secrets/sh.helm.release.v1.shop.v2')).toBe(1);
    expect(server.requestsByPath.get('/api/v1/namespaces/store/secrets/sh.helm.release.v1.shop.v1')).toBeUndefined();
  });

  it('reads a named older revision exactly, and null for one that is missing', async () => {
    server = await startKubeApiServer({ objects: [rev(1, 'superseded'), rev(2, 'superseded'), rev(3, 'failed'), rev(4, 'failed')] });
    const helm = new HelmReleases(kubeFor(server));
    const history = await helm.history('shop', 'store');
    // The statuses a "last good revision" rule needs come from labels, per revision.
    expect(history.map((h) => `${h.revision}:${h.status}`)).toEqual(['1:superseded', '2:superseded', '3:failed', '4:failed']);
    const second = history[1]!;
    const two = await helm.revision('shop', 'store', second.revision, undefined, second.driver);
    expect(two).toMatchObject({ version: 2, info: { status: 'superseded' }, config: { image: { tag: '2' } }, storage: { objectName: 'sh.helm.release.v1.shop.v2' } });
    // v1's own payload, not the latest one: its Service has no load balancer class.
    const one = await helm.revision('shop', 'store', 1);
    expect(one?.version).toBe(1);
    expect(findResource(one!.manifest, 'Service', 'shop-web')?.object.spec).not.toHaveProperty('loadBalancerClass');
    expect((await helm.revision('shop', 'store', 3))?.info.status).toBe('failed');
    expect(await helm.revision('shop', 'store', 7)).toBeNull();
    expect(await helm.latest('absent', 'store')).toBeNull();
    expect(await helm.revision('shop', 'store', 99)).toBeNull();
    // Only the revisions asked for were fetched.
    expect(server.requestsByPath.get('/api/v1/namespaces/store/secrets/sh.helm.release.v1.shop.v2')).toBe(1);
    expect(server.requestsByPath.get('/api/v1/namespaces/store/secrets/sh.helm.release.v1.shop.v4')).toBeUndefined();
  });

  it('keeps failed and pending revisions in history with their status, and lists only what --history-max left', async () => {
    server = await startKubeApiServer({ objects: [rev(3, 'superseded'), rev(5, 'pending-upgrade'), rev(4, 'failed')] });
    const helm = new HelmReleases(kubeFor(server));
    const history = await helm.history('shop', 'store');
    expect(history.map((h) => `${h.revision}:${h.status}`)).toEqual(['3:superseded', '4:failed', '5:pending-upgrade']);
    expect(history.map((h) => h.objectName)).toEqual(['sh.helm.release.v1.shop.v3', 'sh.helm.release.v1.shop.v4', 'sh.helm.release.v1.shop.v5']);
    // Pruned revisions are absent from history and read as null.
    expect(await helm.revision('shop', 'store', 1)).toBeNull();
    expect((await helm.revision('shop', 'store', 4))?.info.status).toBe('failed');
    expect((await helm.latest('shop', 'store'))?.version).toBe(5);
    expect(await new HelmReleases(kubeFor(server)).history('absent', 'store')).toEqual([]);
  });

  it('reads the ConfigMap driver (base64 once), falling back when no Secrets exist', async () => {
    server = await startKubeApiServer({ objects: [rev(1, 'superseded', { driver: 'configmap' }), rev(2, 'deployed', { driver: 'configmap' })] });
    const auto = new HelmReleases(kubeFor(server));
    const latest = await auto.latest('shop', 'store');
    expect(latest?.version).toBe(2);
    expect(latest?.storage.driver).toBe('configmap');
    const secretsOnly = new HelmReleases(kubeFor(server), { driver: 'secret' });
    expect(await secretsOnly.latest('shop', 'store')).toBeNull();
  });

  it('skips a forbidden driver when another holds the release, and reports the 403 when none does', async () => {
    server = await startKubeApiServer({
      objects: [rev(1, 'deployed', { driver: 'configmap' })],
      forbidden: [{ verb: '*', resource: 'secrets', namespace: 'store' }],
    });
    const helm = new HelmReleases(kubeFor(server));
    expect((await helm.latest('shop', 'store'))?.storage.driver).toBe('configmap');
    const err = await helm.history('absent', 'store').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(KubeForbiddenError);
    expect((err as KubeForbiddenError).permission).toBe('list secrets in namespace store');
  });

  it('skips a forbidden Secret driver (ConfigMap-driver RBAC) and still reads ConfigMaps; all forbidden → 403 surfaces', async () => {
    server = await startKubeApiServer({
      objects: [rev(1, 'superseded', { driver: 'configmap' }), rev(2, 'deployed', { driver: 'configmap' })],
      forbidden: [{ verb: '*', resource: 'secrets' }],
    });
    const auto = new HelmReleases(kubeFor(server));
    expect((await auto.history('shop', 'store')).map((r) => r.revision)).toEqual([1, 2]);
    expect((await auto.latest('shop', 'store'))?.storage.driver).toBe('configmap');
    const secretsOnly = new HelmReleases(kubeFor(server), { driver: 'secret' });
    await expect(secretsOnly.history('shop', 'store')).rejects.toMatchObject({ name: 'KubeForbiddenError' });
  });

  it('decodes uncompressed (legacy) payloads', async () => {
    server = await startKubeApiServer({ objects: [rev(1, 'deployed', { compress: false })] });
    expect((await new HelmReleases(kubeFor(server)).latest('shop', 'store'))?.config).toEqual({ image: { tag: '1' } });
  });

  it('refuses a payload that decompresses beyond the cap', async () => {
    server = await startKubeApiServer({ objects: [rev(1, 'deployed', { config: { blob: 'x'.repeat(200_000) } })] });
    const helm = new HelmReleases(kubeFor(server), { decode: { maxDecodedBytes: 50_000 } });
    const err = await helm.latest('shop', 'store').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ReleaseDecodeError);
    expect((err as ReleaseDecodeError).code).toBe(ErrorCode.ReleaseDecode);
    expect((err as Error).message).toMatch(/more than 50000 bytes/);
  });

  it('redacts secrets in values, notes and manifests before they leave', async () => {
    const manifest = `${serviceManifest()}---\napiVersion: v1\nkind: Secret\nmetadata:\n  name: shop-db\ndata:\n  password: aHVudGVyMg==\nstringData:\n  url: postgres://app:s3cr3t@db:5432/shop\n`;
    server = await startKubeApiServer({
      objects: [
        rev(1, 'deployed', {
          config: { db: { password: 'hunter2', host: 'db.store' }, auth: { enabled: true }, apiToken: 'abc123', image: { tag: '11' }, note: 'bot token xoxb-1234567890-abcdefghij' },
          manifest,
        }),
      ],
    });
    const release = await new HelmReleases(kubeFor(server)).latest('shop', 'store');
    expect(release?.config).toEqual({
      db: { password: '[REDACTED]', host: 'db.store' },
      auth: { enabled: true },
      apiToken: '[REDACTED]',
      image: { tag: '11' },
      note: expect.stringContaining('[REDACTED'),
    });
    expect(release?.chart.values.adminPassword).toBe('[REDACTED]');
    const text = JSON.stringify(release);
    for (const secret of ['hunter2', 'abc123', 'xoxb-1234567890', 'aHVudGVyMg==', 's3cr3t', 'chart-default-pw']) expect(text).not.toContain(secret);
    expect(findResource(release!.manifest, 'Service', 'shop-web')).toBeDefined();
  });

  it('refuses a release name that would widen the label selector', async () => {
    server = await startKubeApiServer({ objects: [rev(1, 'deployed')] });
    const err = await new HelmReleases(kubeFor(server)).history('shop,owner!=x', 'store').catch((e: unknown) => e);
    expect((err as { code?: string }).code).toBe(ErrorCode.Usage);
    expect(server.requestCount).toBe(0);
  });

  it('rejects a Secret of another type under a Helm name', async () => {
    const fake = helmReleaseObject({ name: 'shop', namespace: 'store', revision: 1 });
    const tampered: KubeObject = { ...fake, type: 'Opaque' };
    server = await startKubeApiServer({ objects: [tampered] });
    await expect(new HelmReleases(kubeFor(server)).revision('shop', 'store', 1)).rejects.toBeInstanceOf(ReleaseDecodeError);
  });
});
