import { ErrorCode } from '../errors.js';

// Which failures deserve another attempt. Retrying a 403 or a broken kubeconfig only delays the
// answer, so those fail at once (BullMQ UnrecoverableError); 5xx, 429, timeouts and dropped
// connections usually pass, so they are retried with backoff while the deadline allows.

const TRANSIENT_CODES: ReadonlySet<string> = new Set([
  ErrorCode.KubeUnreachable,
  ErrorCode.KubeTimeout,
  ErrorCode.QueueUnavailable,
]);

const TRANSIENT_NET: ReadonlySet<string> = new Set([
  'ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH',
  'UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_SOCKET', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT',
]);

function field(err: unknown, name: string): unknown {
  return typeof err === 'object' && err !== null ? (err as Record<string, unknown>)[name] : undefined;
}

function transientStatus(status: number): boolean {
  return status >= 500 || status === 429 || status === 408;
}

export function isTransientFailure(err: unknown, depth = 0): boolean {
  if (depth > 4 || typeof err !== 'object' || err === null) return false;
  // DOMException carries a legacy numeric `code` too, so its name is read first.
  const name = field(err, 'name');
  if (name === 'TimeoutError') return true;
  if (name === 'AbortError') return false;
  const code = field(err, 'code');
  if (typeof code === 'string') {
    if (TRANSIENT_CODES.has(code) || TRANSIENT_NET.has(code)) return true;
    if (code === ErrorCode.KubeApiError) {
      const status = field(err, 'status');
      return typeof status === 'number' ? transientStatus(status) : true;
    }
    if (code.startsWith('HT_')) return false;
  }
  // @kubernetes/client-node ApiException carries the HTTP status as a numeric `code`.
  if (typeof code === 'number') return transientStatus(code);
  const status = field(err, 'status') ?? field(err, 'statusCode');
  if (typeof status === 'number') return transientStatus(status);
  return isTransientFailure(field(err, 'cause'), depth + 1);
}

export function describeFailure(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
