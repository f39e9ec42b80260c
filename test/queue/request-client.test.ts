import { describe, expect, it } from 'vitest';
import { answersRequest, redisReachable, unavailableResult } from '../../src/queue/request-client.js';
import { reportedJob } from '../../src/queue/types.js';
import { freePort } from '../support/redis.js';
import { makeJob } from './support.js';

describe('the request client\'s pure parts', () => {
  it('answers only its own CLI request', () => {
    const ours = answersRequest('c-1');
    expect(ours(reportedJob(makeJob({ requester: { kind: 'cli', correlationId: 'c-1' } })))).toBe(true);
    expect(ours(reportedJob(makeJob({ requester: { kind: 'cli', correlationId: 'c-2' } })))).toBe(false);
    expect(ours(reportedJob(makeJob({ requester: { kind: 'api', correlationId: 'c-1' } })))).toBe(false);
    expect(ours(reportedJob(makeJob()))).toBe(false);
  });

  it('says "unavailable" with the reason and no findings', () => {
    expect(unavailableResult('prod', 'none', 'cluster checks unavailable (queue unreachable)', 5))
      .toEqual({ v: 1, jobId: 'none', cluster: 'prod', outcome: 'unavailable', findings: [], verdict: null, message: 'cluster checks unavailable (queue unreachable)', completedAt: 5 });
  });
});

describe('redisReachable (opens a port)', () => {
  it('is false at once for a port nobody listens on', async () => {
    const started = Date.now();
    expect(await redisReachable(`redis://127.0.0.1:${await freePort()}`, 1000)).toBe(false);
    expect(Date.now() - started).toBeLessThan(1500);
  });
});
