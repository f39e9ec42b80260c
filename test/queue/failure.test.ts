import { describe, expect, it } from 'vitest';
import { ErrorCode, HelmTriageError } from '../../src/errors.js';
import { isTransientFailure } from '../../src/queue/failure.js';
import { backoffDelay, shouldRetry } from '../../src/queue/retry.js';

const coded = (code: ErrorCode, extra: Record<string, unknown> = {}): Error => Object.assign(new HelmTriageError(code, 'x'), extra);

describe('isTransientFailure', () => {
  it.each([
    ['API 503', Object.assign(new Error('x'), { code: 503 })],
    ['API 429', Object.assign(new Error('x'), { code: 429 })],
    ['kube API error 500', coded(ErrorCode.KubeApiError, { status: 500 })],
    ['kube unreachable', coded(ErrorCode.KubeUnreachable)],
    ['kube timeout', coded(ErrorCode.KubeTimeout)],
    ['fetch failed: ECONNREFUSED', new TypeError('fetch failed', { cause: Object.assign(new Error('c'), { code: 'ECONNREFUSED' }) })],
    ['TimeoutError', new DOMException('t', 'TimeoutError')],
  ])('%s is transient', (_name, err) => {
    expect(isTransientFailure(err)).toBe(true);
  });

  it.each([
    ['API 403', Object.assign(new Error('x'), { code: 403 })],
    ['API 404', Object.assign(new Error('x'), { code: 404 })],
    ['kube API error 400', coded(ErrorCode.KubeApiError, { status: 400 })],
    ['forbidden', coded(ErrorCode.KubeForbidden)],
    ['bad kubeconfig', coded(ErrorCode.KubeConfigMissing)],
    ['config', coded(ErrorCode.ConfigInvalid)],
    ['abort', new DOMException('a', 'AbortError')],
    ['plain bug', new TypeError('undefined is not a function')],
    ['not an object', 'boom'],
  ])('%s is not transient', (_name, err) => {
    expect(isTransientFailure(err)).toBe(false);
  });
});

describe('shouldRetry', () => {
  const transient = coded(ErrorCode.KubeUnreachable);
  const policy = { attempts: 3, backoffMs: 100 };

  it('retries a transient failure while attempts and time remain', () => {
    expect(shouldRetry(transient, 1, policy, 0, 10_000)).toBe(true);
    expect(shouldRetry(transient, 3, policy, 0, 10_000)).toBe(false);
  });

  it('does not retry when the backoff would pass the deadline', () => {
    expect(backoffDelay(2, 100)).toBe(200);
    expect(shouldRetry(transient, 2, policy, 9_900, 10_000)).toBe(false);
  });

  it('never retries a permanent failure', () => {
    expect(shouldRetry(coded(ErrorCode.KubeForbidden), 1, policy, 0, 10_000)).toBe(false);
  });
});
