import { describe, expect, it } from 'vitest';
import { ReportOnce } from '../../src/queue/report-once.js';
import { noAgentResult } from '../../src/queue/process-job.js';
import type { CheckResult } from '../../src/queue/types.js';
import { MemoryKeyValueStore } from '../../src/store/memory-kv.js';
import { RecordingReporter, makeJob } from './support.js';

const okResult = (jobId: string): CheckResult => ({ v: 1, jobId, cluster: 'prod', outcome: 'ok', findings: [], verdict: null, completedAt: 1 });

describe('ReportOnce', () => {
  it('reports the first delivery and drops the rest, whatever their kind', async () => {
    const reporter = new RecordingReporter();
    const once = new ReportOnce(new MemoryKeyValueStore(), reporter);
    const job = makeJob();
    expect(await once.deliver(job, okResult('chk-1'))).toBe('reported');
    expect(await once.deliver(job, okResult('chk-1'))).toBe('duplicate');
    expect(await once.deliver(job, noAgentResult('chk-1', job, 2))).toBe('duplicate');
    expect(reporter.reports.map((r) => r.result.outcome)).toEqual(['ok']);
  });

  it('holds under concurrent deliveries', async () => {
    const reporter = new RecordingReporter();
    const once = new ReportOnce(new MemoryKeyValueStore(), reporter);
    const job = makeJob();
    const outcomes = await Promise.all(Array.from({ length: 20 }, () => once.deliver(job, okResult('chk-2'))));
    expect(outcomes.filter((o) => o === 'reported')).toHaveLength(1);
    expect(reporter.reports).toHaveLength(1);
  });

  it('releases the claim when the reporter fails, so a retry reports', async () => {
    const reporter = new RecordingReporter();
    reporter.failNext = 1;
    const once = new ReportOnce(new MemoryKeyValueStore(), reporter);
    const job = makeJob();
    await expect(once.deliver(job, okResult('chk-3'))).rejects.toThrow('reporter down');
    expect(await once.deliver(job, okResult('chk-3'))).toBe('reported');
    expect(reporter.reports).toHaveLength(1);
  });

  it('holds a short-lived pending claim while reporting, and the outcome once reported', async () => {
    const kv = new MemoryKeyValueStore();
    const seen: Array<string | null> = [];
    const once = new ReportOnce(kv, { report: async () => { seen.push(await kv.get('result:chk-4')); } });
    await once.deliver(makeJob(), okResult('chk-4'));
    expect(seen).toEqual(['pending']);
    expect(await kv.get('result:chk-4')).toBe('ok');
  });
});
