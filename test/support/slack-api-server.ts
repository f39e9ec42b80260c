// A local Slack Web API on 127.0.0.1:0 that speaks the wire protocol web-api 8 uses (POST, form-urlencoded
// or JSON, Bearer token) and records every call, plus response_url endpoints and file downloads.
// Faults on demand: a platform error (`not_in_channel`) or HTTP 429 with Retry-After.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedCall {
  method: string;
  params: Record<string, unknown>;
  token?: string;
  at: number;
  /** What the server answered (absent for faults). */
  response?: Record<string, unknown>;
}

export interface ResponseUrlPost {
  id: string;
  body: Record<string, unknown>;
  at: number;
}

export interface FakeFile {
  id: string;
  content: string;
  mimetype?: string;
  filetype?: string;
  /** Overrides the size reported by files.info (to test the cap without a big body). */
  reportedSize?: number;
}

interface Fault {
  method: string;
  times: number;
  kind: 'error' | 'ratelimit';
  error?: string;
  retryAfterSec?: number;
}

export interface SlackApiServer {
  url: string;
  /** slackApiUrl for WebClientOptions: `${url}/api/`. */
  apiUrl: string;
  token: string;
  calls: RecordedCall[];
  responses: ResponseUrlPost[];
  fileDownloads: Array<{ id: string; authorized: boolean }>;
  callsTo(method: string): RecordedCall[];
  responseUrl(id: string): string;
  addFile(file: FakeFile): void;
  setUsergroup(id: string, users: string[]): void;
  /** The next `times` calls to `method` answer `{ok:false, error}`. */
  failNext(method: string, error: string, times?: number): void;
  /** The next `times` calls to `method` answer HTTP 429 with Retry-After. */
  rateLimitNext(method: string, retryAfterSec?: number, times?: number): void;
  /** Polls until `predicate` holds; throws with a description after `timeoutMs`. */
  waitFor<T>(what: string, probe: () => T | undefined | null | false, timeoutMs?: number): Promise<T>;
  reset(): void;
  close(): Promise<void>;
}

const JSON_FIELDS = new Set(['blocks', 'view', 'attachments', 'metadata']);

function parseParams(contentType: string | undefined, raw: string): Record<string, unknown> {
  if (!raw) return {};
  if (contentType?.startsWith('application/json')) {
    const parsed: unknown = JSON.parse(raw);
    return typeof parsed === 'object' && parsed !== null ? Object.fromEntries(Object.entries(parsed)) : {};
  }
  const params: Record<string, unknown> = {};
  for (const [key, value] of new URLSearchParams(raw)) {
    params[key] = JSON_FIELDS.has(key) ? JSON.parse(value) : value;
  }
  return params;
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)));
  return Buffer.concat(chunks).toString('utf8');
}

function json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(body));
}

export async function startSlackApiServer(options: { token?: string; botUserId?: string; botId?: string; teamId?: string } = {}): Promise<SlackApiServer> {
  const token = options.token ?? 'xoxb-test-token-0000';
  const botUserId = options.botUserId ?? 'UBOT0001';
  const botId = options.botId ?? 'BBOT0001';
  const teamId = options.teamId ?? 'T0TEST001';
  const calls: RecordedCall[] = [];
  const responses: ResponseUrlPost[] = [];
  const fileDownloads: Array<{ id: string; authorized: boolean }> = [];
  const files = new Map<string, FakeFile>();
  const usergroups = new Map<string, string[]>();
  let faults: Fault[] = [];
  let tsCounter = 0;
  let url = '';

  const nextTs = (): string => {
    tsCounter += 1;
    return `1700000000.${String(tsCounter).padStart(6, '0')}`;
  };

  const takeFault = (method: string): Fault | undefined => {
    const fault = faults.find((f) => f.method === method && f.times > 0);
    if (fault) fault.times -= 1;
    faults = faults.filter((f) => f.times > 0);
    return fault;
  };

  const api = (method: string, params: Record<string, unknown>): Record<string, unknown> => {
    const str = (key: string): string => (typeof params[key] === 'string' ? String(params[key]) : '');
    switch (method) {
      case 'auth.test':
        return { ok: true, url: 'https://test.slack.com/', team: 'test', user: 'helm-triage', team_id: teamId, user_id: botUserId, bot_id: botId };
      case 'chat.postMessage': {
        const ts = nextTs();
        return { ok: true, channel: str('channel'), ts, message: { text: params.text, ts, bot_id: botId } };
      }
      case 'chat.update':
        return { ok: true, channel: str('channel'), ts: str('ts'), text: params.text };
      case 'chat.postEphemeral':
        return { ok: true, message_ts: nextTs() };
      case 'chat.getPermalink':
        return { ok: true, channel: str('channel'), permalink: `https://test.slack.com/archives/${str('channel')}/p${str('message_ts').replace('.', '')}` };
      case 'views.open':
        return { ok: true, view: { id: `V${nextTs().replace('.', '')}` } };
      case 'usergroups.users.list': {
        const users = usergroups.get(str('usergroup'));
        return users ? { ok: true, users } : { ok: false, error: 'no_such_subteam' };
      }
      case 'files.info': {
        const file = files.get(str('file'));
        if (!file) return { ok: false, error: 'file_not_found' };
        return {
          ok: true,
          file: {
            id: file.id, name: `${file.id}.txt`, mimetype: file.mimetype ?? 'text/plain', filetype: file.filetype ?? 'text',
            size: file.reportedSize ?? Buffer.byteLength(file.content),
            url_private: `${url}/files/${file.id}`, url_private_download: `${url}/files/${file.id}/download`,
          },
        };
      }
      default:
        return { ok: false, error: 'unknown_method' };
    }
  };

  const server: Server = createServer((req, res) => {
    void (async () => {
      const path = new URL(req.url ?? '/', 'http://localhost').pathname;
      if (req.method === 'GET' && path.startsWith('/files/')) {
        const id = path.split('/')[2] ?? '';
        const authorized = req.headers.authorization === `Bearer ${token}`;
        fileDownloads.push({ id, authorized });
        const file = files.get(id);
        if (!authorized) return void res.writeHead(403).end();
        if (!file) return void res.writeHead(404).end();
        res.writeHead(200, { 'content-type': file.mimetype ?? 'text/plain' }).end(file.content);
        return;
      }
      const raw = await readBody(req);
      if (req.method === 'POST' && path.startsWith('/response/')) {
        const parsed: unknown = JSON.parse(raw || '{}');
        responses.push({ id: path.slice('/response/'.length), body: typeof parsed === 'object' && parsed !== null ? Object.fromEntries(Object.entries(parsed)) : {}, at: Date.now() });
        return void res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
      }
      if (req.method !== 'POST' || !path.startsWith('/api/')) return void res.writeHead(404).end();
      const method = path.slice('/api/'.length);
      const params = parseParams(req.headers['content-type'], raw);
      const bearer = req.headers.authorization?.replace(/^Bearer /, '');
      const callToken = bearer ?? (typeof params.token === 'string' ? params.token : undefined);
      const call: RecordedCall = { method, params, ...(callToken ? { token: callToken } : {}), at: Date.now() };
      calls.push(call);
      if (callToken !== token) return json(res, 200, { ok: false, error: 'invalid_auth' });
      const fault = takeFault(method);
      if (fault?.kind === 'ratelimit') return json(res, 429, { ok: false, error: 'ratelimited' }, { 'retry-after': String(fault.retryAfterSec ?? 1) });
      if (fault?.kind === 'error') return json(res, 200, { ok: false, error: fault.error });
      call.response = api(method, params);
      json(res, 200, call.response);
    })().catch(() => {
      if (!res.headersSent) res.writeHead(500).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    url,
    apiUrl: `${url}/api/`,
    token,
    calls,
    responses,
    fileDownloads,
    callsTo: (method) => calls.filter((c) => c.method === method),
    responseUrl: (id) => `${url}/response/${id}`,
    addFile: (file) => void files.set(file.id, file),
    setUsergroup: (id, users) => void usergroups.set(id, users),
    failNext: (method, error, times = 1) => void faults.push({ method, times, kind: 'error', error }),
    rateLimitNext: (method, retryAfterSec = 1, times = 1) => void faults.push({ method, times, kind: 'ratelimit', retryAfterSec }),
    async waitFor(what, probe, timeoutMs = 5000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const value = probe();
        if (value !== undefined && value !== null && value !== false) return value;
        if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
        await new Promise((r) => setTimeout(r, 10));
      }
    },
    reset() {
      calls.length = 0;
      responses.length = 0;
      fileDownloads.length = 0;
      faults = [];
    },
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}
