// Helpers for the queue tests: a recording reporter, job factories, unique prefixes, key cleanup.
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import type { ReadOnlyKube } from '../../src/kube/types.js';
import type { CheckJob, CheckResult, ResultReporter } from '../../src/queue/types.js';

export interface Report {
  job: CheckJob;
  result: CheckResult;
  at: number;
}

/** Records every report; `waitFor(n)` resolves when n have arrived (or rejects after timeoutMs). */
export class RecordingReporter implements ResultReporter {
  readonly reports: Report[] = [];
  private waiters: Array<() => void> = [];
  /** Fail the next N reports (a Slack outage). */
  failNext = 0;

  async report(job: CheckJob, result: CheckResult): Promise<void> {
    if (this.failNext > 0) {
      this.failNext--;
      throw new Error('reporter down');
    }
    this.reports.push({ job, result, at: Date.now() });
    for (const w of this.waiters) w();
  }

  forJob(jobId: string): Report[] {
    return this.reports.filter((r) => r.result.jobId === jobId);
  }

  async waitFor(n: number, timeoutMs = 10_000): Promise<Report[]> {
    const deadline = Date.now() + timeoutMs;
    while (this.reports.length < n) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`expected ${n} reports within ${timeoutMs} ms, got ${this.reports.length}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
      this.waiters = [];
    }
    return this.reports;
  }
}

let counter = 0;

export function makeJob(overrides: Partial<CheckJob> = {}, deadlineMs = 10_000): CheckJob {
  const createdAt = overrides.createdAt ?? Date.now();
  counter++;
  return {
    v: 1,
    text: `Error: UPGRADE FAILED: test case ${counter} ${randomUUID()}`,
    facts: { release: 'web', namespace: 'shop' },
    playbook: 'immutable-field',
    checks: ['alpha', 'beta'],
    cluster: 'prod',
    requester: { kind: 'slack', channel: 'C0TEST', threadTs: `${createdAt / 1000}` },
    deadline: createdAt + deadlineMs,
    createdAt,
    confidence: 0.9,
    rootCause: 'a field that cannot change was changed',
    ...overrides,
  };
}

export function uniquePrefix(): string {
  return `ht-test-${randomUUID().slice(0, 8)}`;
}

/** Deletes every key under the prefix (works on a shared REDIS_URL too). */
export async function cleanupPrefix(url: string, prefix: string): Promise<void> {
  const redis = new Redis(url, { maxRetriesPerRequest: 1 });
  redis.on('error', () => undefined);
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 500);
      cursor = next;
      if (keys.length > 0) await redis.del(...keys);
    } while (cursor !== '0');
  } catch {
    // Redis stopped by the test: nothing to clean.
  } finally {
    redis.disconnect();
  }
}

/** A cluster that is never called: tests with injected check runners do not reach it. */
export const unusedKube: ReadOnlyKube = {
  version: async () => { throw new Error('not used in this test'); },
  get: async () => { throw new Error('not used in this test'); },
  list: () => { throw new Error('not used in this test'); },
  serves: async () => { throw new Error('not used in this test'); },
};

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
