import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { gzipSync } from 'node:zlib';
import { request } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import { KubeApiError } from '../../src/kube/errors.js';
import { contentEncoding } from '../../src/kube/transport.js';
import type { KubeObject } from '../../src/kube/types.js';
import { kubeFor, startKubeApiServer, type KubeApiServer } from '../support/kube-api-server.js';

// 40 Secrets of ~8 KiB each: one list page of ~440 KB, well over kube-apiserver's 128 KiB gzip threshold.
const secret = (i: number): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Secret',
  type: 'helm.sh/release.v1',
  metadata: { name: `sh.helm.release.v1.shop.v${i + 1}`, namespace: 'shop', labels: { owner: 'helm', name: 'shop', version: String(i + 1) } },
  data: { release: randomBytes(8 * 1024).toString('base64') },
});

async function collect(it: AsyncIterable<KubeObject>): Promise<KubeObject[]> {
  const out: KubeObject[] = [];
  for await (const o of it) out.push(o);
  return out;
}

describe('ClientNodeTransport response compression (opens a port)', () => {
  let server: KubeApiServer | undefined;
  let raw: Server | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
    raw?.closeAllConnections();
    await new Promise<void>((resolve) => (raw ? raw.close(() => resolve()) : resolve()));
    raw = undefined;
  });

  it('asks for gzip and decodes a gzip-compressed list larger than 128 KiB', async () => {
    const secrets = Array.from({ length: 40 }, (_, i) => secret(i));
    server = await startKubeApiServer({}, { objects: secrets });
    const listed = await collect(kubeFor(server).list('v1', 'Secret', { namespace: 'shop' }));
    // Without decompression JSON.parse sees gzip bytes and the list fails with KubeApiError "not JSON".
    expect(server.gzipResponses).toBe(1);
    expect(server.requests[0]?.acceptEncoding).toMatch(/\bgzip\b/);
    expect(listed).toHaveLength(40);
    const byName = new Map(listed.map((s) => [s.metadata?.name, s]));
    for (const s of secrets) {
      expect(byName.get(s.metadata?.name)).toMatchObject({ apiVersion: 'v1', kind: 'Secret', data: s.data });
    }
  });

  it('keeps a small GET uncompressed', async () => {
    server = await startKubeApiServer({}, { objects: [secret(0)] });
    const got = await kubeFor(server).get('v1', 'Secret', 'sh.helm.release.v1.shop.v1', 'shop');
    expect(got?.metadata?.name).toBe('sh.helm.release.v1.shop.v1');
    expect(server.requests[0]?.acceptEncoding).toMatch(/\bgzip\b/);
    expect(server.gzipResponses).toBe(0);
  });

  it('the test API server sends a large list uncompressed to a client that does not ask for gzip', async () => {
    server = await startKubeApiServer({}, { objects: Array.from({ length: 40 }, (_, i) => secret(i)) });
    const res = await request(`${server.url}/api/v1/namespaces/shop/secrets`, { headers: { authorization: `Bearer ${server.token}` } });
    const body = JSON.parse(await res.body.text()) as { items: unknown[] };
    expect(res.headers['content-encoding']).toBeUndefined();
    expect(body.items).toHaveLength(40);
    expect(server.gzipResponses).toBe(0);
  });

  async function rawServer(handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<string> {
    const s = createServer(handler);
    raw = s;
    await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', () => resolve()));
    const addr = s.address();
    return `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
  }

  it('refuses a Content-Encoding it did not ask for with a KubeApiError naming it', async () => {
    const url = await rawServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'br' });
      res.end(Buffer.from([0x0b, 0x02, 0x80, 0x7b, 0x7d, 0x03]));
    });
    const err = await kubeFor({ url, token: 't' }).version().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(KubeApiError);
    expect((err as KubeApiError).status).toBe(200);
    expect((err as Error).message).toMatch(/Content-Encoding "br".*does not decode/);
  });

  it('reports a corrupt gzip body as a KubeApiError, not as an unreachable server', async () => {
    const url = await rawServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip' });
      res.end(gzipSync('{"major":"1"}').subarray(0, 12));
    });
    const err = await kubeFor({ url, token: 't' }).version().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(KubeApiError);
    expect((err as Error).message).toMatch(/could not be decompressed/);
  });

  it('decodes a gzip answer from a server that compresses even small bodies', async () => {
    const url = await rawServer((req, res) => {
      const zipped = gzipSync(JSON.stringify({ major: '1', minor: '30', gitVersion: 'v1.30.0' }));
      res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': req.headers['accept-encoding'] === 'gzip' ? 'gzip' : 'none' });
      res.end(zipped);
    });
    expect(await kubeFor({ url, token: 't' }).version()).toMatchObject({ major: '1', minor: '30', gitVersion: 'v1.30.0' });
  });
});

describe('contentEncoding', () => {
  it('reads identity, gzip and anything else from the header', () => {
    expect(contentEncoding(undefined)).toBe('identity');
    expect(contentEncoding('')).toBe('identity');
    expect(contentEncoding('identity')).toBe('identity');
    expect(contentEncoding('GZIP')).toBe('gzip');
    expect(contentEncoding('x-gzip')).toBe('gzip');
    expect(contentEncoding(['gzip'])).toBe('gzip');
    expect(contentEncoding('deflate')).toBe('deflate');
    expect(contentEncoding('gzip, br')).toBe('gzip, br');
  });
});
