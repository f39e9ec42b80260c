// GETs with node:http(s) and the kubeconfig's TLS material and credentials (see kubeconfig.ts): one keep-alive
// agent per client certificate, so the requests of a triage reuse warm connections instead of paying a TLS
// handshake each. node:https is part of Node (undici costs ~0.1 s to import); a proxy-url goes through undici.
import { readFileSync } from 'node:fs';
import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { ExecCredentials, type RunPlugin } from './exec-credential.js';
import type { KubeAccess } from './kubeconfig.js';
import { CredentialError, decodeBody, HttpTransport, withGzip, type RawResponse } from './transport.js';

export const USER_AGENT = 'helm-triage (read-only)';
/** Token files (service accounts) are re-read this often: kubelet rotates them. */
const TOKEN_FILE_TTL_MS = 60_000;

export interface DirectTransportDeps {
  runPlugin?: RunPlugin;
  now?: () => number;
}

export class DirectTransport extends HttpTransport {
  private readonly exec: ExecCredentials | undefined;
  private readonly agents = new Map<string, HttpAgent>();
  private proxy: import('undici').Dispatcher | undefined;
  private tokenFile: { token: string; until: number } | undefined;

  constructor(private readonly access: KubeAccess, timeoutMs: number, private readonly deps: DirectTransportDeps = {}) {
    super(access.server, timeoutMs);
    if (access.auth.kind === 'exec') {
      const cluster = { server: access.server, skipTLSVerify: access.skipTLSVerify, ...(access.ca !== undefined ? { ca: access.ca } : {}), ...(access.tlsServerName !== undefined ? { tlsServerName: access.tlsServerName } : {}) };
      this.exec = new ExecCredentials(access.auth.exec, cluster, { ...(deps.runPlugin ? { run: deps.runPlugin } : {}), ...(deps.now ? { now: deps.now } : {}) });
    }
  }

  protected override renewCredentials(): boolean {
    if (this.exec !== undefined) {
      this.exec.invalidate();
      return true;
    }
    if (this.access.auth.kind === 'token-file') {
      this.tokenFile = undefined;
      return true;
    }
    return false;
  }

  protected async send(path: string, query: Record<string, string | undefined>, accept: string, signal: AbortSignal): Promise<RawResponse> {
    const headers: Record<string, string> = { Accept: accept, 'User-Agent': USER_AGENT };
    let cert = this.access.cert;
    let key = this.access.key;
    const auth = this.access.auth;
    if (auth.kind === 'token') headers.Authorization = `Bearer ${auth.token}`;
    else if (auth.kind === 'token-file') headers.Authorization = `Bearer ${this.readTokenFile(auth.path)}`;
    else if (auth.kind === 'basic') headers.Authorization = `Basic ${Buffer.from(`${auth.username}:${auth.password}`).toString('base64')}`;
    else if (this.exec !== undefined) {
      const cred = await this.exec.get();
      if (cred.token !== undefined) headers.Authorization = `Bearer ${cred.token}`;
      if (cred.clientCertificateData !== undefined && cred.clientKeyData !== undefined) {
        cert = cred.clientCertificateData;
        key = cred.clientKeyData;
      }
    }
    signal.throwIfAborted();
    const url = this.url(path, query);
    if (this.access.proxyUrl !== undefined) return this.viaProxy(url, headers, cert, key, signal);
    return nodeGet(new URL(url), withGzip(headers), this.agent(cert, key), signal);
  }

  private url(path: string, query: Record<string, string | undefined>): string {
    const params = new URLSearchParams();
    for (const [k, v] of Object.entries(query)) if (v !== undefined) params.set(k, v);
    const q = params.toString();
    return `${this.access.server}${path}${q === '' ? '' : `?${q}`}`;
  }

  private readTokenFile(path: string): string {
    const now = (this.deps.now ?? Date.now)();
    if (this.tokenFile === undefined || this.tokenFile.until <= now) {
      let token: string;
      try {
        token = readFileSync(path, 'utf8').trim();
      } catch (err) {
        throw new CredentialError(`the token file ${path} cannot be read (${err instanceof Error ? err.message : String(err)})`);
      }
      this.tokenFile = { token, until: now + TOKEN_FILE_TTL_MS };
    }
    return this.tokenFile.token;
  }

  private tls(cert: string | undefined, key: string | undefined): TlsOptions {
    return {
      rejectUnauthorized: !this.access.skipTLSVerify,
      ...(this.access.ca !== undefined ? { ca: this.access.ca } : {}),
      ...(cert !== undefined ? { cert } : {}),
      ...(key !== undefined ? { key } : {}),
      ...(this.access.tlsServerName !== undefined ? { servername: this.access.tlsServerName } : {}),
    };
  }

  /** One keep-alive agent per client certificate (exec plugins may hand out a new one). */
  private agent(cert: string | undefined, key: string | undefined): HttpAgent {
    const id = `${cert ?? ''}\u0000${key ?? ''}`;
    let agent = this.agents.get(id);
    if (agent === undefined) {
      // A certificate rotated by the plugin replaces the old agent; its sockets finish their requests.
      for (const old of this.agents.values()) old.destroy();
      this.agents.clear();
      agent = this.access.server.startsWith('https:')
        ? new HttpsAgent({ keepAlive: true, ...this.tls(cert, key) })
        : new HttpAgent({ keepAlive: true });
      this.agents.set(id, agent);
    }
    return agent;
  }

  private async viaProxy(url: string, headers: Record<string, string>, cert: string | undefined, key: string | undefined, signal: AbortSignal): Promise<RawResponse> {
    const [{ ProxyAgent }, { sendGet }] = await Promise.all([import('undici'), import('./undici-get.js')]);
    const proxyUrl = this.access.proxyUrl ?? '';
    this.proxy ??= new ProxyAgent({ uri: proxyUrl, requestTls: this.tls(cert, key) });
    return sendGet(url, headers, this.proxy, signal);
  }
}

type TlsOptions = { rejectUnauthorized: boolean; ca?: string; cert?: string; key?: string; servername?: string };

/** One GET with node:http(s); any status is data, the body decoded by decodeBody. */
function nodeGet(url: URL, headers: Record<string, string>, agent: HttpAgent, signal: AbortSignal): Promise<RawResponse> {
  return new Promise<RawResponse>((resolve, reject) => {
    const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
    const req = send(url, { method: 'GET', headers, agent, signal }, (res: IncomingMessage) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('error', reject);
      res.on('end', () => {
        decodeBody(res.statusCode ?? 0, res.headers['content-encoding'], Buffer.concat(chunks), signal).then(resolve, reject);
      });
    });
    req.on('error', reject);
    req.end();
  });
}
