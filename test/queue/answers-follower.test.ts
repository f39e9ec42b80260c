import { describe, expect, it } from 'vitest';
import { parseAnswer } from '../../src/queue/answers-follower.js';
import { reportedJob } from '../../src/queue/types.js';
import { makeJob } from './support.js';

describe('parseAnswer (an answer event\'s envelope)', () => {
  it('reads an envelope the agents send', () => {
    const job = reportedJob(makeJob());
    const result = { v: 1, jobId: 'chk-1', cluster: 'prod', outcome: 'ok', findings: [], verdict: null, agent: 'a', completedAt: 1 } as const;
    const parsed = parseAnswer(JSON.stringify({ v: 1, job, result }));
    expect(parsed?.success).toBe(true);
    expect(parsed?.data).toEqual({ v: 1, job, result });
  });

  it('is undefined without an envelope or for text that is not JSON, and unsuccessful for another shape', () => {
    expect(parseAnswer(undefined)).toBeUndefined();
    expect(parseAnswer('{not json')).toBeUndefined();
    expect(parseAnswer(JSON.stringify({ v: 2, job: {}, result: {} }))?.success).toBe(false);
  });
});
