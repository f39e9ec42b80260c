import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ErrorCode } from '../../src/errors.js';
import { createReadOnlyKube, openCluster } from '../../src/kube/config.js';
import { resolveKubeconfig } from '../../src/kube/kubeconfig.js';
import { KubeConfigMissingError } from '../../src/kube/errors.js';
import { kubeconfigFor, startKubeApiServer, writeKubeconfig, type KubeApiServer } from '../support/kube-api-server.js';
import { needs } from '../support/needs.js';
import { locate } from '../support/prereqs.js';

const dirs: string[] = [];
function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'helm-triage-kcfg-'));
  dirs.push(d);
  return d;
}

/** A self-signed certificate for 127.0.0.1, made with the openssl CLI (tests using it say needs('openssl')). */
function selfSigned(dir: string): { cert: string; key: string } {
  execFileSync(locate('openssl') ?? 'openssl', [
    'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=127.0.0.1',
    '-addext', 'subjectAltName=IP:127.0.0.1', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'),
  ], { stdio: 'ignore' });
  return { cert: readFileSync(join(dir, 'cert.pem'), 'utf8'), key: readFileSync(join(dir, 'key.pem'), 'utf8') };
}

describe('kube config loading (opens a port)', () => {
  let server: KubeApiServer | undefined;
  const savedEnv = { host: process.env.KUBERNETES_SERVICE_HOST, port: process.env.KUBERNETES_SERVICE_PORT };
  afterEach(async () => {
    await server?.close();
    server = undefined;
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
    for (const [k, v] of [['KUBERNETES_SERVICE_HOST', savedEnv.host], ['KUBERNETES_SERVICE_PORT', savedEnv.port]] as const) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  });

  it('uses an explicit kubeconfig path and talks to the server through it', async () => {
    server = await startKubeApiServer({ version: { major: '1', minor: '29', gitVersion: 'v1.29.3' } });
    const path = writeKubeconfig(server, { dir: tempDir() });
    const kube = createReadOnlyKube({ kubeconfigPath: path, timeoutMs: 2_000 });
    expect((await kube.version()).gitVersion).toBe('v1.29.3');
  });

  it('reads $KUBECONFIG (path list, first file wins) and selects --context', async () => {
    server = await startKubeApiServer({});
    const dir = tempDir();
    const a = join(dir, 'a');
    const b = join(dir, 'b');
    writeFileSync(a, kubeconfigFor(server, { context: 'staging' }));
    writeFileSync(b, kubeconfigFor({ url: 'http://127.0.0.1:1', token: 'x' }, { context: 'prod' }).replace(/local-test/g, 'prod-cluster').replace(/agent/g, 'prod-user'));
    const prod = resolveKubeconfig({ env: { KUBECONFIG: `${a}:${b}` }, context: 'prod' });
    expect(prod.access.context).toBe('prod');
    expect(prod.access.server).toBe('http://127.0.0.1:1');
    expect(prod.access.auth).toEqual({ kind: 'token', token: 'x' });
    expect(prod.contexts).toEqual(['staging', 'prod']);
    const staging = resolveKubeconfig({ env: { KUBECONFIG: `${a}:${b}` } });
    expect(staging.access.context).toBe('staging');
    // The context selected on the command line is the one requests use.
    expect((await createReadOnlyKube({ env: { KUBECONFIG: `${b}:${a}` }, context: 'staging', timeoutMs: 2_000 }).version()).gitVersion).toBeDefined();
    expect(server.requestCount).toBe(1);
  });

  it("openCluster reads the kubeconfig once for the context's namespace and the client; a missing one throws only when the client is asked for", async () => {
    server = await startKubeApiServer({ version: { major: '1', minor: '29', gitVersion: 'v1.29.3' } });
    const path = writeKubeconfig(server, { dir: tempDir(), namespace: 'storefront' });
    const cluster = openCluster({ kubeconfigPath: path, timeoutMs: 2_000 });
    expect(cluster.namespace).toBe('storefront');
    expect(openCluster({ kubeconfigPath: path }).namespace).toBe('storefront');
    expect((await cluster.kube().version()).gitVersion).toBe('v1.29.3');
    const missing = openCluster({ kubeconfigPath: join(tempDir(), 'missing') });
    expect(missing.namespace).toBeUndefined();
    expect(() => missing.kube()).toThrow(KubeConfigMissingError);
  });

  it('names the missing context and the missing file', () => {
    const dir = tempDir();
    const file = join(dir, 'config');
    writeFileSync(file, kubeconfigFor({ url: 'http://127.0.0.1:2', token: 't' }));
    const err = (() => {
      try {
        resolveKubeconfig({ kubeconfigPath: file, context: 'nope' });
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(err).toBeInstanceOf(KubeConfigMissingError);
    expect((err as Error).message).toMatch(/context "nope".*known: local-test/);
    expect(() => resolveKubeconfig({ kubeconfigPath: join(dir, 'missing') })).toThrow(/does not exist/);
    expect(() => resolveKubeconfig({ kubeconfigPath: join(dir, 'missing') })).toThrow(expect.objectContaining({ code: ErrorCode.KubeConfigMissing }));
  });

  it('refuses a garbled kubeconfig with a typed error', () => {
    const file = join(tempDir(), 'config');
    writeFileSync(file, 'clusters: [ {');
    expect(() => resolveKubeconfig({ kubeconfigPath: file })).toThrow(KubeConfigMissingError);
  });

  it('uses the in-cluster service account (token file, CA) under a path prefix', needs('openssl'), async () => {
    const dir = tempDir();
    const tls = selfSigned(dir);
    server = await startKubeApiServer({ version: { major: '1', minor: '30', gitVersion: 'v1.30.1' } }, { tls, token: 'sa-token-123' });
    const sa = join(dir, 'var/run/secrets/kubernetes.io/serviceaccount');
    mkdirSync(sa, { recursive: true });
    writeFileSync(join(sa, 'token'), 'sa-token-123');
    writeFileSync(join(sa, 'ca.crt'), tls.cert);
    writeFileSync(join(sa, 'namespace'), 'helm-triage');
    process.env.KUBERNETES_SERVICE_HOST = '127.0.0.1';
    process.env.KUBERNETES_SERVICE_PORT = String(server.port);
    const resolved = resolveKubeconfig({ inClusterPathPrefix: dir, env: {} });
    expect(resolved.access.context).toBe('inClusterContext');
    expect(resolved.access.namespace).toBe('helm-triage');
    expect(resolved.access.server).toBe(`https://127.0.0.1:${server.port}`);
    const kube = createReadOnlyKube({ inClusterPathPrefix: dir, env: {}, timeoutMs: 3_000 });
    expect((await kube.version()).gitVersion).toBe('v1.30.1');
  });

  it('verifies the server certificate against the CA it was given: another CA is refused', needs('openssl'), async () => {
    const dir = tempDir();
    server = await startKubeApiServer({}, { tls: selfSigned(dir), token: 'sa-token-123' });
    const other = tempDir();
    const sa = join(other, 'var/run/secrets/kubernetes.io/serviceaccount');
    mkdirSync(sa, { recursive: true });
    writeFileSync(join(sa, 'token'), 'sa-token-123');
    writeFileSync(join(sa, 'ca.crt'), selfSigned(other).cert);
    writeFileSync(join(sa, 'namespace'), 'helm-triage');
    process.env.KUBERNETES_SERVICE_HOST = '127.0.0.1';
    process.env.KUBERNETES_SERVICE_PORT = String(server.port);
    const kube = createReadOnlyKube({ inClusterPathPrefix: other, env: {}, timeoutMs: 3_000 });
    await expect(kube.version()).rejects.toMatchObject({ code: ErrorCode.KubeUnreachable });
    expect(server.requestCount).toBe(0);
  });

  it('explains what to do when the in-cluster environment is incomplete', () => {
    delete process.env.KUBERNETES_SERVICE_HOST;
    expect(() => resolveKubeconfig({ inClusterPathPrefix: tempDir(), env: {} })).toThrow(/KUBERNETES_SERVICE_HOST/);
    process.env.KUBERNETES_SERVICE_HOST = '127.0.0.1';
    expect(() => resolveKubeconfig({ inClusterPathPrefix: tempDir(), env: {} })).toThrow(/no service account token/);
  });
});
