// The only way this codebase talks to a cluster: HTTP GET. There is deliberately no method that takes a verb.
// HttpTransport maps one GET's failures to typed errors; how the request is authenticated and sent is its
// subclass's business: DirectTransport (src/kube/direct-transport.ts, with the kubeconfig's TLS material and
// credentials, over node:https) normally, ClientNodeTransport (src/kube/client-node-transport.ts) for
// kubeconfigs only client-node understands (over undici, src/kube/undici-get.ts).
import { promisify } from 'node:util';
import { gunzip } from 'node:zlib';
import { ErrorCode, HelmTriageError } from '../errors.js';
import { KubeAbortedError, KubeApiError, KubeConfigMissingError, KubeTimeoutError, KubeUnauthorizedError, KubeUnreachableError } from './errors.js';

export interface GetResult {
  status: number;
  /** Parsed JSON body (a k8s object, list or Status), or undefined when the body was empty/not JSON. */
  body: unknown;
}

export interface GetRequest {
  path: string;
  query?: Record<string, string | undefined>;
  /** What the caller is doing, for error messages: `list pods in namespace x`. */
  what: string;
  /** Accept header; defaults to JSON. */
  accept?: string;
  signal?: AbortSignal;
}

/** One GET, any status returned as data except transport failures (typed errors). */
export interface KubeTransport {
  readonly server: string;
  get(req: GetRequest): Promise<GetResult>;
}

export interface RawResponse { status: number; text: string }

/**
 * The text of a response body: identity as is; gzip (which we ask for: kube-apiserver gzips answers over
 * 128 KiB, and big lists such as Helm release Secrets are many MB of JSON) decoded off the event loop.
 */
export async function decodeBody(status: number, encodingHeader: string | string[] | undefined, body: Buffer, signal: AbortSignal): Promise<RawResponse> {
  const encoding = contentEncoding(encodingHeader);
  if (encoding === 'identity') return { status, text: body.toString('utf8') };
  if (encoding !== 'gzip') {
    throw new UndecodableBodyError(
      status,
      `the API server answered with Content-Encoding "${encoding}", which helm-triage does not decode (it asks for gzip only); ` +
        `check for a proxy between helm-triage and the API server that re-encodes responses`,
    );
  }
  if (body.length === 0) return { status, text: '' };
  let text: string;
  try {
    text = (await gunzipAsync(body, { maxOutputLength: MAX_DECODED_BYTES })).toString('utf8');
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    throw new UndecodableBodyError(status, `the gzip-compressed response could not be decompressed (${reason}); a list this big needs a narrower selector or namespace`, { cause: err });
  }
  // Decompression cannot be interrupted; a caller that gave up (or timed out) meanwhile still gives up.
  signal.throwIfAborted();
  return { status, text };
}

/** Request headers with gzip asked for, unless the caller chose an encoding. */
export function withGzip(headers: Record<string, string>): Record<string, string> {
  const asked = Object.keys(headers).some((h) => h.toLowerCase() === 'accept-encoding');
  return asked ? headers : { ...headers, 'Accept-Encoding': 'gzip' };
}

const gunzipAsync = promisify(gunzip);
/** Largest decompressed body accepted: well under V8's string limit, far above any page of 500 objects. */
const MAX_DECODED_BYTES = 256 * 1024 * 1024;

/** A body we received but cannot turn into text; HttpTransport names the request in the KubeApiError. */
export class UndecodableBodyError extends HelmTriageError {
  constructor(readonly status: number, readonly detail: string, options?: { cause?: unknown }) {
    super(ErrorCode.KubeApiError, detail, options);
    this.name = 'UndecodableBodyError';
  }
}

/** Credentials could not be obtained (an exec plugin failed): names the server and says what to do. */
export class CredentialError extends HelmTriageError {
  constructor(message: string) {
    super(ErrorCode.KubeConfigMissing, message);
    this.name = 'CredentialError';
  }
}

/** `identity`, `gzip`, or the encoding(s) as sent (lower-case) for anything else. */
export function contentEncoding(header: string | string[] | undefined): string {
  const codings = (Array.isArray(header) ? header.join(',') : (header ?? ''))
    .split(',')
    .map((c) => c.trim().toLowerCase())
    .filter((c) => c !== '' && c !== 'identity');
  if (codings.length === 0) return 'identity';
  if (codings.length === 1 && (codings[0] === 'gzip' || codings[0] === 'x-gzip')) return 'gzip';
  return codings.join(', ');
}

function errorCode(err: unknown): string | undefined {
  let cur: unknown = err;
  for (let depth = 0; depth < 5 && cur && typeof cur === 'object'; depth++) {
    const code = (cur as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    cur = (cur as { cause?: unknown }).cause;
  }
  return undefined;
}

export abstract class HttpTransport implements KubeTransport {
  constructor(readonly server: string, private readonly timeoutMs: number) {}

  /** Sends one authenticated GET; any HTTP status is data. */
  protected abstract send(path: string, query: Record<string, string | undefined>, accept: string, signal: AbortSignal): Promise<RawResponse>;

  /** After a 401: drop cached credentials; true when a second attempt may succeed (fresh exec credentials). */
  protected renewCredentials(): boolean {
    return false;
  }

  async get(req: GetRequest): Promise<GetResult> {
    let res = await this.attempt(req);
    if (res.status === 401 && this.renewCredentials()) res = await this.attempt(req);
    if (res.status === 401) throw new KubeUnauthorizedError(this.server);
    let body: unknown;
    try {
      body = res.text ? JSON.parse(res.text) : undefined;
    } catch {
      if (res.status >= 200 && res.status < 300) throw new KubeApiError(res.status, req.what, 'the response was not JSON');
      body = undefined;
    }
    return { status: res.status, body };
  }

  private async attempt(req: GetRequest): Promise<RawResponse> {
    if (req.signal?.aborted) throw new KubeAbortedError(req.what, { cause: req.signal.reason });
    // One controller for both the caller's signal and the timeout: cheaper per request than
    // AbortSignal.timeout + AbortSignal.any, which every check's every request would pay.
    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort(new Error(`no answer within ${this.timeoutMs} ms`));
    }, this.timeoutMs);
    const onAbort = (): void => controller.abort(req.signal?.reason);
    req.signal?.addEventListener('abort', onAbort, { once: true });
    try {
      return await this.send(req.path, req.query ?? {}, req.accept ?? 'application/json', controller.signal);
    } catch (err) {
      if (req.signal?.aborted) throw new KubeAbortedError(req.what, { cause: err });
      if (err instanceof UndecodableBodyError) throw new KubeApiError(err.status, req.what, err.detail, { cause: err });
      if (timedOut) throw new KubeTimeoutError(req.what, this.timeoutMs, { cause: err });
      if (err instanceof CredentialError) throw new KubeConfigMissingError(err.message, { cause: err });
      const code = errorCode(err);
      const reason = code ?? (err instanceof Error ? err.message : 'unknown network error');
      throw new KubeUnreachableError(this.server, reason, { cause: err });
    } finally {
      clearTimeout(timer);
      req.signal?.removeEventListener('abort', onAbort);
    }
  }
}

/** The `message` of a k8s Status body, if any. */
export function statusMessage(body: unknown): string {
  if (body && typeof body === 'object' && 'message' in body && typeof body.message === 'string') return body.message.slice(0, 300);
  return '';
}
