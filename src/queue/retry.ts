import { isTransientFailure } from './failure.js';

// Retry only what may pass (see failure.ts), and only while the answer can still beat the deadline.

export interface RetryPolicy {
  /** Total attempts, the first included. */
  attempts: number;
  /** First backoff; doubles per attempt (BullMQ's exponential backoff). */
  backoffMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { attempts: 3, backoffMs: 500 };

/** BullMQ's exponential formula: delay × 2^(attemptsMade − 1). */
export function backoffDelay(attemptsMade: number, backoffMs: number): number {
  return Math.round(2 ** Math.max(0, attemptsMade - 1) * backoffMs);
}

/** attemptsMade counts the attempt that just failed. */
export function shouldRetry(err: unknown, attemptsMade: number, policy: RetryPolicy, now: number, deadline: number): boolean {
  if (!isTransientFailure(err)) return false;
  if (attemptsMade >= policy.attempts) return false;
  return now + backoffDelay(attemptsMade, policy.backoffMs) < deadline;
}
