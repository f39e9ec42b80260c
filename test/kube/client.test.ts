import { afterEach, describe, expect, it } from 'vitest';
import { KubeAbortedError, KubeApiError, KubeForbiddenError, KubeNotServedError, KubeTimeoutError, KubeUnauthorizedError, KubeUnreachableError } from '../../src/kube/errors.js';
import type { KubeObject, ReadOnlyKube } from '../../src/kube/types.js';
import { freePort } from '../support/redis.js';
import { kubeFor, startKubeApiServer, type KubeApiServer } from '../support/kube-api-server.js';

const svc = (name: string, ns = 'shop', labels: Record<string, string> = {}): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name, namespace: ns, labels },
  spec: { type: 'LoadBalancer', loadBalancerClass: 'service.k8s.aws/nlb', ports: [{ port: 80 }] },
});

const pod = (name: string, ns: string, labels: Record<string, string>, phase = 'Running'): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace: ns, labels },
  status: { phase },
});

const webhook: KubeObject = {
  apiVersion: 'admissionregistration.k8s.io/v1',
  kind: 'MutatingWebhookConfiguration',
  metadata: { name: 'aws-load-balancer-webhook' },
  webhooks: [{ name: 'mservice.elbv2.k8s.aws', rules: [{ operations: ['CREATE'] }] }],
};

const crd: KubeObject = {
  apiVersion: 'apiextensions.k8s.io/v1',
  kind: 'CustomResourceDefinition',
  metadata: { name: 'targetgroupbindings.elbv2.k8s.aws' },
  spec: {
    group: 'elbv2.k8s.aws',
    scope: 'Namespaced',
    names: { kind: 'TargetGroupBinding', plural: 'targetgroupbindings' },
    versions: [{ name: 'v1beta1', served: true }],
  },
};

async function collect(it: AsyncIterable<KubeObject>): Promise<KubeObject[]> {
  const out: KubeObject[] = [];
  for await (const o of it) out.push(o);
  return out;
}

const names = (objs: KubeObject[]): string[] => objs.map((o) => o.metadata?.name ?? '');

describe('KubeClient against the local API server (opens a port)', () => {
  let server: KubeApiServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  async function setup(scenario: Record<string, unknown>, timeoutMs?: number): Promise<ReadOnlyKube> {
    server = await startKubeApiServer(scenario);
    return kubeFor(server, timeoutMs !== undefined ? { timeoutMs } : {});
  }

  it('gets an object with all its fields, and null for a missing one', async () => {
    const kube = await setup({ objects: [svc('web')] });
    const got = await kube.get('v1', 'Service', 'web', 'shop');
    expect(got?.kind).toBe('Service');
    expect((got?.spec as { loadBalancerClass?: string }).loadBalancerClass).toBe('service.k8s.aws/nlb');
    expect(await kube.get('v1', 'Service', 'absent', 'shop')).toBeNull();
    expect(server?.requestsByPath.get('/api/v1/namespaces/shop/services/web')).toBe(1);
  });

  it('refuses to get a namespaced kind without a namespace', async () => {
    const kube = await setup({ objects: [svc('web')] });
    await expect(kube.get('v1', 'Service', 'web')).rejects.toThrow(/needs a namespace/);
    expect(server?.requestCount).toBe(0);
  });

  it('applies the scenario latency to every request', async () => {
    const kube = await setup({ objects: [svc('web')], latencyMs: 150 });
    const started = Date.now();
    await kube.get('v1', 'Service', 'web', 'shop');
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
  });

  it('gets cluster-scoped objects of another group', async () => {
    const kube = await setup({ objects: [webhook] });
    const got = await kube.get('admissionregistration.k8s.io/v1', 'MutatingWebhookConfiguration', 'aws-load-balancer-webhook');
    expect(got?.metadata?.name).toBe('aws-load-balancer-webhook');
  });

  it('lists across pages with limit/continue and fills apiVersion/kind on items', async () => {
    const pods = Array.from({ length: 23 }, (_, i) => pod(`p-${String(i).padStart(2, '0')}`, 'shop', { app: 'web' }));
    const kube = await setup({ objects: pods });
    const listed = await collect(kube.list('v1', 'Pod', { namespace: 'shop', pageSize: 5 }));
    expect(listed).toHaveLength(23);
    expect(listed[0]).toMatchObject({ apiVersion: 'v1', kind: 'Pod' });
    expect(new Set(names(listed)).size).toBe(23);
    expect(server?.requestsByPath.get('/api/v1/namespaces/shop/pods')).toBe(5);
  });

  it('filters with label selectors (=, !=, in, notin, exists, !key) and field selectors', async () => {
    const kube = await setup({
      objects: [
        pod('a', 'shop', { app: 'web', tier: 'front' }),
        pod('b', 'shop', { app: 'api', tier: 'back' }, 'Pending'),
        pod('c', 'shop', { app: 'db' }),
        pod('d', 'other', { app: 'web' }),
      ],
    });
    const q = async (labelSelector?: string, fieldSelector?: string, namespace?: string): Promise<string[]> =>
      names(await collect(kube.list('v1', 'Pod', { ...(namespace ? { namespace } : {}), ...(labelSelector ? { labelSelector } : {}), ...(fieldSelector ? { fieldSelector } : {}) }))).sort();
    expect(await q('app=web')).toEqual(['a', 'd']);
    expect(await q('app==web', undefined, 'shop')).toEqual(['a']);
    expect(await q('app!=web', undefined, 'shop')).toEqual(['b', 'c']);
    expect(await q('app in (api, db)')).toEqual(['b', 'c']);
    expect(await q('app notin (web),tier')).toEqual(['b']);
    expect(await q('!tier')).toEqual(['c', 'd']);
    expect(await q(undefined, 'status.phase=Pending')).toEqual(['b']);
    expect(await q(undefined, 'metadata.namespace=other')).toEqual(['d']);
    expect(await q(undefined, 'metadata.name!=a', 'shop')).toEqual(['b', 'c']);
  });

  it('reuses one keep-alive connection across requests', async () => {
    const kube = await setup({ objects: [svc('web')] });
    for (let i = 0; i < 10; i++) await kube.get('v1', 'Service', 'web', 'shop');
    expect(server?.requestCount).toBe(10);
    // client-node alone would open one connection per request.
    expect(server?.connectionCount).toBeLessThanOrEqual(2);
  });

  it('reads the server version', async () => {
    const kube = await setup({ version: { major: '1', minor: '21', gitVersion: 'v1.21.14-eks-1' } });
    expect(await kube.version()).toEqual({ major: '1', minor: '21', gitVersion: 'v1.21.14-eks-1' });
  });

  it('answers serves() through discovery, including CRD kinds, and caches discovery', async () => {
    const kube = await setup({ objects: [crd], unserved: ['batch/v1'] });
    expect(await kube.serves('apps/v1')).toBe(true);
    expect(await kube.serves('apps/v1', 'Deployment')).toBe(true);
    expect(await kube.serves('apps/v1', 'Nonsense')).toBe(false);
    expect(await kube.serves('batch/v1')).toBe(false);
    expect(await kube.serves('elbv2.k8s.aws/v1beta1', 'TargetGroupBinding')).toBe(true);
    expect(await kube.serves('elbv2.k8s.aws/v1')).toBe(false);
    expect(server?.requestsByPath.get('/apis/apps/v1')).toBe(1);
  });

  it('shares one discovery request between concurrent callers; one caller aborting does not fail the other', async () => {
    const tgb: KubeObject = { apiVersion: 'elbv2.k8s.aws/v1beta1', kind: 'TargetGroupBinding', metadata: { name: 'tgb', namespace: 'shop' } };
    const kube = await setup({ objects: [crd, tgb], fail: [{ path: '/apis/elbv2.k8s.aws/v1beta1', delayMs: 300, times: 1 }] }, 5_000);
    const first = new AbortController();
    const second = new AbortController();
    const started = Date.now();
    const firstGet = kube.get('elbv2.k8s.aws/v1beta1', 'TargetGroupBinding', 'tgb', 'shop', first.signal).catch((e: unknown) => e);
    const secondGet = kube.get('elbv2.k8s.aws/v1beta1', 'TargetGroupBinding', 'tgb', 'shop', second.signal);
    setTimeout(() => first.abort(new Error('check deadline')), 50);
    const firstErr = await firstGet;
    expect(firstErr).toBeInstanceOf(KubeAbortedError);
    // The first caller stopped waiting when it aborted, not when discovery answered.
    expect(Date.now() - started).toBeLessThan(250);
    expect((await secondGet)?.metadata?.name).toBe('tgb');
    expect(server?.requestsByPath.get('/apis/elbv2.k8s.aws/v1beta1')).toBe(1);
    // The shared answer was cached: a later caller asks the server nothing more.
    expect(await kube.serves('elbv2.k8s.aws/v1beta1', 'TargetGroupBinding')).toBe(true);
    expect(server?.requestsByPath.get('/apis/elbv2.k8s.aws/v1beta1')).toBe(1);
  });

  it('fills the discovery cache even when its only caller gave up', async () => {
    const kube = await setup({ objects: [crd], fail: [{ path: '/apis/elbv2.k8s.aws/v1beta1', delayMs: 200, times: 1 }] }, 5_000);
    const ctl = new AbortController();
    setTimeout(() => ctl.abort(new Error('deadline')), 30);
    await expect(kube.serves('elbv2.k8s.aws/v1beta1', 'TargetGroupBinding', ctl.signal)).rejects.toBeInstanceOf(KubeAbortedError);
    await new Promise((r) => setTimeout(r, 300));
    expect(await kube.serves('elbv2.k8s.aws/v1beta1', 'TargetGroupBinding')).toBe(true);
    expect(server?.requestsByPath.get('/apis/elbv2.k8s.aws/v1beta1')).toBe(1);
  });

  it('does not cache a failed discovery: the next caller asks again', async () => {
    const kube = await setup({ objects: [crd], fail: [{ path: '/apis/elbv2.k8s.aws/v1beta1', status: 500, times: 1 }] });
    const [a, b] = await Promise.all([
      kube.serves('elbv2.k8s.aws/v1beta1', 'TargetGroupBinding').catch((e: unknown) => e),
      kube.serves('elbv2.k8s.aws/v1beta1', 'TargetGroupBinding').catch((e: unknown) => e),
    ]);
    expect(a).toBeInstanceOf(KubeApiError);
    expect(b).toBe(a);
    expect(server?.requestsByPath.get('/apis/elbv2.k8s.aws/v1beta1')).toBe(1);
    expect(await kube.serves('elbv2.k8s.aws/v1beta1', 'TargetGroupBinding')).toBe(true);
    expect(server?.requestsByPath.get('/apis/elbv2.k8s.aws/v1beta1')).toBe(2);
  });

  it('lists CRD-defined kinds through discovery and refuses unknown kinds with a typed error', async () => {
    const tgb: KubeObject = { apiVersion: 'elbv2.k8s.aws/v1beta1', kind: 'TargetGroupBinding', metadata: { name: 'tgb', namespace: 'shop' } };
    const kube = await setup({ objects: [crd, tgb] });
    expect(names(await collect(kube.list('elbv2.k8s.aws/v1beta1', 'TargetGroupBinding', { namespace: 'shop' })))).toEqual(['tgb']);
    expect(server?.requestsByPath.get('/apis/elbv2.k8s.aws/v1beta1/namespaces/shop/targetgroupbindings')).toBe(1);
    await expect(kube.get('example.com/v1', 'Widget', 'w', 'shop')).rejects.toBeInstanceOf(KubeNotServedError);
  });

  it('turns 403 into KubeForbiddenError naming the missing permission', async () => {
    const kube = await setup({
      objects: [webhook],
      forbidden: [{ verb: 'list', resource: 'validatingwebhookconfigurations' }, { verb: 'get', resource: 'secrets', namespace: 'shop' }],
    });
    const err = await collect(kube.list('admissionregistration.k8s.io/v1', 'ValidatingWebhookConfiguration')).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(KubeForbiddenError);
    expect((err as KubeForbiddenError).permission).toBe('list validatingwebhookconfigurations.admissionregistration.k8s.io (cluster-wide)');
    expect((err as KubeForbiddenError).code).toBe('HT_KUBE_FORBIDDEN');
    const err2 = await kube.get('v1', 'Secret', 's', 'shop').catch((e: unknown) => e);
    expect((err2 as KubeForbiddenError).permission).toBe('get secrets in namespace shop');
    expect((err2 as Error).message).toMatch(/grant/);
  });

  it('times out a slow response within the timeout', async () => {
    const kube = await setup({ objects: [svc('web')], fail: [{ path: '/api/v1/namespaces/shop/services', hang: true }] }, 300);
    const started = Date.now();
    const err = await kube.get('v1', 'Service', 'web', 'shop').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(KubeTimeoutError);
    expect(Date.now() - started).toBeLessThan(3_000);
  });

  it('stops when the caller aborts', async () => {
    const kube = await setup({ objects: [svc('web')], fail: [{ path: '/api/v1/namespaces/shop/services', hang: true }] }, 10_000);
    const ctl = new AbortController();
    setTimeout(() => ctl.abort(new Error('deadline')), 100);
    await expect(kube.get('v1', 'Service', 'web', 'shop', ctl.signal)).rejects.toBeInstanceOf(KubeAbortedError);
    const aborted = AbortSignal.abort();
    await expect(collect(kube.list('v1', 'Service', { namespace: 'shop', signal: aborted }))).rejects.toBeInstanceOf(KubeAbortedError);
  });

  it('maps 500 to KubeApiError and a slow-then-ok answer to success', async () => {
    const kube = await setup({
      objects: [svc('web')],
      fail: [{ path: '/api/v1/namespaces/shop/services/web', status: 500, times: 1 }, { path: '/version', delayMs: 50 }],
    });
    const err = await kube.get('v1', 'Service', 'web', 'shop').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(KubeApiError);
    expect((err as KubeApiError).status).toBe(500);
    expect(await kube.get('v1', 'Service', 'web', 'shop')).not.toBeNull();
    expect((await kube.version()).major).toBe('1');
  });

  it('reports a wrong token as KubeUnauthorizedError', async () => {
    server = await startKubeApiServer({});
    const kube = kubeFor(server, { token: 'stale-token' });
    await expect(kube.version()).rejects.toBeInstanceOf(KubeUnauthorizedError);
  });

  it('reports a closed port as KubeUnreachableError', async () => {
    const port = await freePort();
    const kube = kubeFor({ url: `http://127.0.0.1:${port}`, token: 't' });
    const err = await kube.version().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(KubeUnreachableError);
    expect((err as Error).message).toMatch(/ECONNREFUSED/);
  });
});

describe('local API server refuses writes (opens a port)', () => {
  it('answers 405 to a raw POST, records it, and close() reports it', async () => {
    const server = await startKubeApiServer({});
    const res = await fetch(`${server.url}/api/v1/namespaces/shop/services`, {
      method: 'POST',
      headers: { authorization: `Bearer ${server.token}`, 'content-type': 'application/json' },
      body: JSON.stringify(svc('evil')),
    });
    expect(res.status).toBe(405);
    const del = await fetch(`${server.url}/api/v1/namespaces/shop/services/web`, { method: 'DELETE' });
    expect(del.status).toBe(405);
    expect(server.writeAttempts.map((w) => w.method)).toEqual(['POST', 'DELETE']);
    await expect(server.close()).rejects.toThrow(/attempted 2 write/);
  });

  it('the facade exposes no write method', async () => {
    const server = await startKubeApiServer({ objects: [svc('web')] });
    const kube = kubeFor(server);
    const methods = new Set<string>();
    for (let p: object | null = kube; p && p !== Object.prototype; p = Object.getPrototypeOf(p) as object | null) {
      for (const m of Object.getOwnPropertyNames(p)) methods.add(m);
    }
    for (const write of ['create', 'patch', 'replace', 'delete', 'apply', 'update']) expect(methods.has(write)).toBe(false);
    await kube.get('v1', 'Service', 'web', 'shop');
    await server.close();
    expect(server.writeAttempts).toHaveLength(0);
  });
});
