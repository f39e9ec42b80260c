// The local API server itself, over raw HTTP: what the facade and the checks rely on.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startKubeApiServer, type KubeApiServer } from '../support/kube-api-server.js';
import { generateWorkloads, loadScenario, parseScenario } from '../support/scenario.js';

describe('local Kubernetes API server over raw HTTP (opens a port)', () => {
  let server: KubeApiServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  const get = async (path: string, headers: Record<string, string> = {}): Promise<{ status: number; body: Record<string, unknown> }> => {
    const res = await fetch(`${server!.url}${path}`, { headers: { authorization: `Bearer ${server!.token}`, ...headers } });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };

  it('serves discovery: /api, /api/v1, /apis, /apis/{g}/{v} with CRD kinds, and 404 for unknown groups', async () => {
    server = await startKubeApiServer({
      objects: [{ apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', metadata: { name: 'widgets.example.com' }, spec: { group: 'example.com', scope: 'Cluster', names: { kind: 'Widget', plural: 'widgets' }, versions: [{ name: 'v1', served: true }, { name: 'v0', served: false }] } }],
    });
    expect((await get('/api')).body.versions).toEqual(['v1']);
    const core = await get('/api/v1');
    expect(core.body.resources).toEqual(expect.arrayContaining([expect.objectContaining({ name: 'pods', kind: 'Pod', namespaced: true })]));
    const groups = (await get('/apis')).body.groups as Array<{ name: string }>;
    expect(groups.map((g) => g.name)).toEqual(expect.arrayContaining(['apps', 'admissionregistration.k8s.io', 'example.com']));
    expect((await get('/apis/example.com/v1')).body.resources).toEqual([expect.objectContaining({ name: 'widgets', kind: 'Widget', namespaced: false })]);
    const missing = await get('/apis/example.com/v0');
    expect(missing.status).toBe(404);
    expect(missing.body).toMatchObject({ kind: 'Status', reason: 'NotFound', code: 404 });
  });

  it('pages with limit/continue and remainingItemCount, and answers 410 to a bad token', async () => {
    server = await startKubeApiServer({}, { objects: generateWorkloads({ namespace: 'big', pods: 12, replicaSets: 0 }) });
    const first = await get('/api/v1/namespaces/big/pods?limit=5');
    const meta = first.body.metadata as { continue?: string; remainingItemCount?: number };
    expect((first.body.items as unknown[]).length).toBe(5);
    expect(meta.remainingItemCount).toBe(7);
    const second = await get(`/api/v1/namespaces/big/pods?limit=5&continue=${encodeURIComponent(meta.continue!)}`);
    expect((second.body.metadata as { remainingItemCount?: number }).remainingItemCount).toBe(2);
    const last = await get(`/api/v1/namespaces/big/pods?limit=5&continue=${encodeURIComponent((second.body.metadata as { continue: string }).continue)}`);
    expect((last.body.items as unknown[]).length).toBe(2);
    expect(last.body.metadata).not.toHaveProperty('continue');
    expect((await get('/api/v1/namespaces/big/pods?limit=5&continue=bogus')).status).toBe(410);
    expect((await get('/api/v1/namespaces/other/pods')).body.items).toEqual([]);
  });

  it('answers get with apiVersion/kind, list items without, and metadata-only lists without payloads', async () => {
    server = await startKubeApiServer({ objects: [{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', namespace: 'n', labels: { a: 'b' } }, data: { k: 'v' } }] });
    expect((await get('/api/v1/namespaces/n/configmaps/c')).body).toMatchObject({ apiVersion: 'v1', kind: 'ConfigMap', data: { k: 'v' } });
    const list = await get('/api/v1/namespaces/n/configmaps');
    expect(list.body.kind).toBe('ConfigMapList');
    expect((list.body.items as Array<Record<string, unknown>>)[0]).not.toHaveProperty('kind');
    const partial = await get('/api/v1/namespaces/n/configmaps', { accept: 'application/json;as=PartialObjectMetadataList;v=v1;g=meta.k8s.io' });
    expect(partial.body.kind).toBe('PartialObjectMetadataList');
    expect(partial.body.items).toEqual([{ apiVersion: 'meta.k8s.io/v1', kind: 'PartialObjectMetadata', metadata: { name: 'c', namespace: 'n', labels: { a: 'b' } } }]);
  });

  it('returns Status bodies for 403, 400 (bad selectors) and 401, and counts requests per path', async () => {
    server = await startKubeApiServer({ forbidden: [{ verb: 'get', resource: 'deployments.apps', namespace: 'kube-system' }] });
    const denied = await get('/apis/apps/v1/namespaces/kube-system/deployments/x');
    expect(denied.status).toBe(403);
    expect(denied.body).toMatchObject({ kind: 'Status', reason: 'Forbidden', code: 403 });
    expect(String(denied.body.message)).toContain('cannot get resource "deployments" in API group "apps" in the namespace "kube-system"');
    expect((await get('/apis/apps/v1/namespaces/default/deployments/x')).status).toBe(404);
    expect((await get('/api/v1/pods?fieldSelector=spec.schedulerName%3Dx')).status).toBe(400);
    expect((await get('/api/v1/pods?labelSelector=a%20in%20b')).status).toBe(400);
    expect((await fetch(`${server.url}/version`)).status).toBe(401);
    expect(server.requestCount).toBe(5);
    expect(server.requestsByPath.get('/api/v1/pods')).toBe(2);
  });

  it('lets tests change the cluster between calls with put/remove', async () => {
    server = await startKubeApiServer({});
    server.put({ apiVersion: 'v1', kind: 'Service', metadata: { name: 's', namespace: 'n' }, spec: { clusterIP: '10.0.0.1' } });
    expect((await get('/api/v1/namespaces/n/services/s')).body.spec).toEqual({ clusterIP: '10.0.0.1' });
    server.put({ apiVersion: 'v1', kind: 'Service', metadata: { name: 's', namespace: 'n' }, spec: { clusterIP: '10.0.0.2' } });
    expect((await get('/api/v1/namespaces/n/services/s')).body.spec).toEqual({ clusterIP: '10.0.0.2' });
    expect(server.remove('v1', 'Service', 's', 'n')).toBe(true);
    expect((await get('/api/v1/namespaces/n/services/s')).status).toBe(404);
  });
});

describe('scenario loader', () => {
  const yaml = `
description: a readable scenario
version: { major: 1, minor: 21, gitVersion: v1.21.14 }
latencyMs: 5
forbidden:
  - { verb: list, resource: validatingwebhookconfigurations }
fail:
  - { path: /apis/apps, status: 503, times: 2 }
objects:
  - apiVersion: v1
    kind: Namespace
    metadata: { name: shop }
  - helmRelease:
      name: shop
      namespace: shop
      revision: 3
      status: failed
      driver: configmap
      config: { replicas: 2 }
`;

  it('fills defaults and encodes helmRelease entries the way Helm stores them', () => {
    const s = parseScenario(yaml);
    expect(s.version).toEqual({ major: '1', minor: '21', gitVersion: 'v1.21.14' });
    expect(s.forbidden).toEqual([{ verb: 'list', resource: 'validatingwebhookconfigurations' }]);
    expect(s.fail[0]).toMatchObject({ path: '/apis/apps', status: 503, times: 2 });
    const cm = s.objects[1]!;
    expect(cm).toMatchObject({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'sh.helm.release.v1.shop.v3', namespace: 'shop', labels: { owner: 'helm', name: 'shop', status: 'failed', version: '3' } } });
    expect((cm.data as { release: string }).release.startsWith('H4sI')).toBe(true);
  });

  it('names the file and the problem when a scenario is invalid', () => {
    const dir = mkdtempSync(join(tmpdir(), 'helm-triage-scn-'));
    try {
      const file = join(dir, 'bad.yaml');
      writeFileSync(file, 'objects:\n  - kind: Service\n');
      expect(() => loadScenario(file)).toThrow(/bad\.yaml/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses objects whose kind the server cannot serve', async () => {
    await expect(startKubeApiServer({ objects: [{ apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' } }] })).rejects.toThrow(/CustomResourceDefinition/);
  });
});
