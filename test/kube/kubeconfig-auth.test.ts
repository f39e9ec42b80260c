// Credentials from a kubeconfig, against the local API server: client certificates (as files relative to the
// kubeconfig, and inline), exec credential plugins (a small script as the plugin, as EKS/GKE/AKS configure
// theirs), token files, and what is left to client-node.
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify as toYaml } from 'yaml';
import { afterEach, describe, expect, it } from 'vitest';
import { ErrorCode } from '../../src/errors.js';
import { createReadOnlyKube } from '../../src/kube/config.js';
import { parseExecCredential } from '../../src/kube/exec-credential.js';
import { resolveKubeconfig } from '../../src/kube/kubeconfig.js';
import { startKubeApiServer, type KubeApiServer } from '../support/kube-api-server.js';
import { needs } from '../support/needs.js';
import { locate } from '../support/prereqs.js';

const dirs: string[] = [];
function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'helm-triage-auth-'));
  dirs.push(d);
  return d;
}

function openssl(args: string[]): void {
  execFileSync(locate('openssl') ?? 'openssl', args, { stdio: 'ignore' });
}

/** A CA, a server certificate for 127.0.0.1 and a client certificate, all signed by the CA (files in dir). */
function pki(dir: string): { ca: string; serverCert: string; serverKey: string } {
  const p = (n: string): string => join(dir, n);
  openssl(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=test-ca', '-keyout', p('ca.key'), '-out', p('ca.crt')]);
  writeFileSync(p('server.ext'), 'subjectAltName=IP:127.0.0.1\n');
  openssl(['req', '-newkey', 'rsa:2048', '-nodes', '-subj', '/CN=127.0.0.1', '-keyout', p('server.key'), '-out', p('server.csr')]);
  openssl(['x509', '-req', '-in', p('server.csr'), '-CA', p('ca.crt'), '-CAkey', p('ca.key'), '-CAcreateserial', '-days', '1', '-extfile', p('server.ext'), '-out', p('server.crt')]);
  openssl(['req', '-newkey', 'rsa:2048', '-nodes', '-subj', '/CN=helm-triage/O=readers', '-keyout', p('client.key'), '-out', p('client.csr')]);
  openssl(['x509', '-req', '-in', p('client.csr'), '-CA', p('ca.crt'), '-CAkey', p('ca.key'), '-CAcreateserial', '-days', '1', '-out', p('client.crt')]);
  return { ca: readFileSync(p('ca.crt'), 'utf8'), serverCert: readFileSync(p('server.crt'), 'utf8'), serverKey: readFileSync(p('server.key'), 'utf8') };
}

function kubeconfig(dir: string, server: string, cluster: Record<string, unknown>, user: Record<string, unknown>): string {
  const file = join(dir, 'kubeconfig');
  writeFileSync(file, toYaml({
    apiVersion: 'v1', kind: 'Config',
    clusters: [{ name: 'c', cluster: { server, ...cluster } }],
    users: [{ name: 'u', user }],
    contexts: [{ name: 'ctx', context: { cluster: 'c', user: 'u' } }],
    'current-context': 'ctx',
  }));
  return file;
}

/**
 * An exec credential plugin: appends KUBERNETES_EXEC_INFO and its env to a log, then prints the ExecCredential
 * held in status.json (so a test can change what the next run hands out).
 */
function plugin(dir: string, status: Record<string, unknown>): { command: string; runs: () => Array<{ info: unknown; env: string | undefined }> ; setStatus: (s: Record<string, unknown>) => void } {
  const command = join(dir, 'credential-plugin.mjs');
  const log = join(dir, 'runs.log');
  const statusFile = join(dir, 'status.json');
  writeFileSync(statusFile, JSON.stringify(status));
  writeFileSync(log, '');
  writeFileSync(command, [
    '#!/usr/bin/env node',
    "import { appendFileSync, readFileSync } from 'node:fs';",
    `appendFileSync(${JSON.stringify(log)}, JSON.stringify({ info: JSON.parse(process.env.KUBERNETES_EXEC_INFO ?? 'null'), env: process.env.PLUGIN_REGION }) + '\\n');`,
    `const status = JSON.parse(readFileSync(${JSON.stringify(statusFile)}, 'utf8'));`,
    "process.stdout.write(JSON.stringify({ apiVersion: 'client.authentication.k8s.io/v1', kind: 'ExecCredential', status }));",
  ].join('\n'));
  chmodSync(command, 0o755);
  return {
    command,
    runs: () => readFileSync(log, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as { info: unknown; env: string | undefined }),
    setStatus: (s) => writeFileSync(statusFile, JSON.stringify(s)),
  };
}

describe('kubeconfig credentials (opens a port, runs openssl and a plugin script)', () => {
  let server: KubeApiServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });

  it('authenticates with a client certificate and key given as files relative to the kubeconfig', needs('openssl'), async () => {
    const dir = tempDir();
    const keys = pki(dir);
    server = await startKubeApiServer({ version: { major: '1', minor: '31', gitVersion: 'v1.31.2' } }, { tls: { cert: keys.serverCert, key: keys.serverKey }, clientCa: keys.ca, token: 'not-given' });
    const file = kubeconfig(dir, server.url, { 'certificate-authority': 'ca.crt' }, { 'client-certificate': 'client.crt', 'client-key': 'client.key' });
    expect((await createReadOnlyKube({ kubeconfigPath: file, timeoutMs: 3_000 }).version()).gitVersion).toBe('v1.31.2');
    // Without the certificate the same server refuses us: the certificate is what authenticated.
    const anonymous = kubeconfig(tempDir(), server.url, { 'certificate-authority-data': Buffer.from(keys.ca).toString('base64') }, {});
    await expect(createReadOnlyKube({ kubeconfigPath: anonymous, timeoutMs: 3_000 }).version()).rejects.toMatchObject({ code: ErrorCode.KubeUnauthorized });
  });

  it('authenticates with inline certificate data, and reuses its TLS connections', needs('openssl'), async () => {
    const dir = tempDir();
    const keys = pki(dir);
    server = await startKubeApiServer({}, { tls: { cert: keys.serverCert, key: keys.serverKey }, clientCa: keys.ca, token: 'not-given' });
    const b64 = (f: string): string => readFileSync(join(dir, f)).toString('base64');
    const file = kubeconfig(tempDir(), server.url, { 'certificate-authority-data': b64('ca.crt') }, { 'client-certificate-data': b64('client.crt'), 'client-key-data': b64('client.key') });
    const kube = createReadOnlyKube({ kubeconfigPath: file, timeoutMs: 3_000 });
    for (let i = 0; i < 10; i++) await kube.version();
    expect(server.requestCount).toBe(10);
    // Keep-alive: undici's pool may open a second socket while the first is being released, never one per request.
    expect(server.connectionCount).toBeLessThanOrEqual(2);
  });

  it('runs an exec credential plugin once, with KUBERNETES_EXEC_INFO and its env, and reuses the token until it expires', async () => {
    server = await startKubeApiServer({ version: { major: '1', minor: '30', gitVersion: 'v1.30.4' } }, { token: 'from-plugin' });
    const dir = tempDir();
    const p = plugin(dir, { token: 'from-plugin', expirationTimestamp: new Date(Date.now() + 3_600_000).toISOString() });
    const file = kubeconfig(dir, server.url, { 'insecure-skip-tls-verify': true }, {
      exec: { apiVersion: 'client.authentication.k8s.io/v1', command: './credential-plugin.mjs', args: [], env: [{ name: 'PLUGIN_REGION', value: 'eu-west-1' }], provideClusterInfo: true, interactiveMode: 'Never' },
    });
    const kube = createReadOnlyKube({ kubeconfigPath: file, timeoutMs: 5_000 });
    const answers = await Promise.all([kube.version(), kube.version(), kube.version()]);
    expect(answers.map((a) => a.gitVersion)).toEqual(['v1.30.4', 'v1.30.4', 'v1.30.4']);
    await kube.version();
    const runs = p.runs();
    expect(runs).toHaveLength(1);
    expect(runs[0]?.env).toBe('eu-west-1');
    expect(runs[0]?.info).toMatchObject({ kind: 'ExecCredential', apiVersion: 'client.authentication.k8s.io/v1', spec: { interactive: false, cluster: { server: server.url } } });
  });

  it('runs the plugin again when its token has expired, and once more when the server refuses a token (401)', async () => {
    server = await startKubeApiServer({}, { token: 'second' });
    const dir = tempDir();
    const p = plugin(dir, { token: 'second', expirationTimestamp: new Date(Date.now() - 1000).toISOString() });
    const file = kubeconfig(dir, server.url, { 'insecure-skip-tls-verify': true }, { exec: { apiVersion: 'client.authentication.k8s.io/v1beta1', command: p.command } });
    const kube = createReadOnlyKube({ kubeconfigPath: file, timeoutMs: 5_000 });
    await kube.version();
    expect(p.runs()).toHaveLength(1);
    await kube.version(); // the token it holds has expired
    expect(p.runs()).toHaveLength(2);
    // A token the server refuses: one more run, and a 401 when that one is refused too.
    p.setStatus({ token: 'first' });
    await expect(kube.version()).rejects.toMatchObject({ code: ErrorCode.KubeUnauthorized });
    expect(p.runs()).toHaveLength(4);
    p.setStatus({ token: 'second' });
    await expect(kube.version()).resolves.toBeDefined();
    expect(p.runs()).toHaveLength(5);
    await kube.version();
    expect(p.runs()).toHaveLength(5);
  });

  it('uses a client certificate handed out by the plugin', needs('openssl'), async () => {
    const dir = tempDir();
    const keys = pki(dir);
    server = await startKubeApiServer({ version: { major: '1', minor: '29', gitVersion: 'v1.29.9' } }, { tls: { cert: keys.serverCert, key: keys.serverKey }, clientCa: keys.ca, token: 'not-given' });
    const p = plugin(dir, { clientCertificateData: readFileSync(join(dir, 'client.crt'), 'utf8'), clientKeyData: readFileSync(join(dir, 'client.key'), 'utf8') });
    const file = kubeconfig(dir, server.url, { 'certificate-authority': 'ca.crt' }, { exec: { apiVersion: 'client.authentication.k8s.io/v1', command: p.command } });
    expect((await createReadOnlyKube({ kubeconfigPath: file, timeoutMs: 5_000 }).version()).gitVersion).toBe('v1.29.9');
  });

  it('names a plugin that is not installed, with its install hint, and one that prints garbage', async () => {
    server = await startKubeApiServer({});
    const dir = tempDir();
    const missing = kubeconfig(dir, server.url, { 'insecure-skip-tls-verify': true }, { exec: { apiVersion: 'client.authentication.k8s.io/v1', command: 'no-such-credential-plugin-xyz', installHint: 'install it with: brew install xyz' } });
    await expect(createReadOnlyKube({ kubeconfigPath: missing, timeoutMs: 5_000 }).version())
      .rejects.toMatchObject({ code: ErrorCode.KubeConfigMissing, message: expect.stringMatching(/no-such-credential-plugin-xyz.*not installed.*brew install xyz/) });
    expect(() => parseExecCredential('not json', 'p')).toThrow(/not JSON/);
    expect(() => parseExecCredential('{"kind":"ExecCredential","status":{}}', 'p')).toThrow(/neither a token nor a client certificate/);
    expect(server.requestCount).toBe(0);
  });

  it('re-reads a token file after a 401 (a rotated service account token)', async () => {
    server = await startKubeApiServer({}, { token: 'rotated' });
    const dir = tempDir();
    writeFileSync(join(dir, 'token'), 'old\n');
    const file = kubeconfig(dir, server.url, { 'insecure-skip-tls-verify': true }, { tokenFile: 'token' });
    const kube = createReadOnlyKube({ kubeconfigPath: file, timeoutMs: 3_000 });
    await expect(kube.version()).rejects.toMatchObject({ code: ErrorCode.KubeUnauthorized });
    writeFileSync(join(dir, 'token'), 'rotated\n');
    await expect(kube.version()).resolves.toBeDefined();
  });

  it('leaves legacy auth-provider plugins and socks proxies to client-node, and says why', () => {
    const dir = tempDir();
    const oidc = kubeconfig(dir, 'https://127.0.0.1:6443', {}, { 'auth-provider': { name: 'oidc', config: { 'id-token': 'x' } } });
    expect(resolveKubeconfig({ kubeconfigPath: oidc }).fallback).toBe('auth-provider "oidc"');
    const socks = kubeconfig(tempDir(), 'https://127.0.0.1:6443', { 'proxy-url': 'socks5://127.0.0.1:1080' }, { token: 't' });
    expect(resolveKubeconfig({ kubeconfigPath: socks }).fallback).toBe('proxy-url socks5');
    const plain = kubeconfig(tempDir(), 'https://127.0.0.1:6443', { 'proxy-url': 'http://proxy:3128' }, { token: 't' });
    expect(resolveKubeconfig({ kubeconfigPath: plain }).fallback).toBeUndefined();
  });
});
