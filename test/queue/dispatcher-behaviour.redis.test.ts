// One behaviour suite, two implementations: BullMQ on a real Redis (private redis-server on a free
// port, or REDIS_URL) with an agent and a result consumer, and the embedded in-process dispatcher.
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it, type TestOptions } from 'vitest';
import type { RunChecksInput } from '../../src/checks/run.js';
import type { Finding } from '../../src/checks/types.js';
import { ErrorCode, HelmTriageError } from '../../src/errors.js';
import { startAgent } from '../../src/queue/agent.js';
import { BullMqDispatcher } from '../../src/queue/dispatcher.js';
import { InProcessDispatcher } from '../../src/queue/in-process.js';
import type { CheckRunner } from '../../src/queue/process-job.js';
import { startResultConsumer } from '../../src/queue/result-consumer.js';
import type { CheckDispatcher } from '../../src/queue/types.js';
import { RedisKeyValueStore } from '../../src/store/redis-kv.js';
import { has, needs } from '../support/needs.js';
import { startTestRedis, type TestRedis } from '../support/redis.js';
import { RecordingReporter, cleanupPrefix, makeJob, sleep, uniquePrefix, unusedKube } from './support.js';

interface Harness {
  dispatcher: CheckDispatcher;
  reporter: RecordingReporter;
  close(): Promise<void>;
}

interface HarnessOptions {
  runner: CheckRunner;
  concurrency?: number;
}

let redis: TestRedis | undefined;

const implementations: Array<[string, (o: HarnessOptions) => Promise<Harness>, TestOptions]> = [
  [
    'InProcessDispatcher (embedded)',
    async ({ runner, concurrency }) => {
      const reporter = new RecordingReporter();
      const dispatcher = new InProcessDispatcher({
        cluster: 'prod', kube: unusedKube, reporter, runChecks: runner, concurrency: concurrency ?? 4, retry: { attempts: 3, backoffMs: 50 },
      });
      return { dispatcher, reporter, close: () => dispatcher.close() };
    },
    {},
  ],
  [
    'BullMqDispatcher + agent + result consumer (real Redis)',
    async ({ runner, concurrency }) => {
      if (!redis) throw new Error('redis not started');
      const url = redis.url;
      const prefix = uniquePrefix();
      const reporter = new RecordingReporter();
      const kvRedis = new Redis(url);
      kvRedis.on('error', () => undefined);
      const kv = new RedisKeyValueStore(kvRedis, `${prefix}:kv:`);
      const dispatcher = new BullMqDispatcher({ redisUrl: url, prefix, retry: { attempts: 3, backoffMs: 50 } });
      const agent = startAgent({ redisUrl: url, prefix, cluster: 'prod', kube: unusedKube, runChecks: runner, concurrency: concurrency ?? 4, name: 'agent-1', drainDelay: 1 });
      const consumer = startResultConsumer({ redisUrl: url, prefix, reporter, kv, drainDelay: 1, clusters: ['prod'] });
      dispatcher.onQueue((cluster) => consumer.watch(cluster));
      await Promise.all([agent.ready(), consumer.ready()]);
      return {
        dispatcher, reporter,
        close: async () => {
          await Promise.all([dispatcher.close(), agent.close(), consumer.close()]);
          kvRedis.disconnect();
          await cleanupPrefix(url, prefix);
        },
      };
    },
    needs('redis'),
  ],
];

const okRunner: CheckRunner = async (input: RunChecksInput): Promise<Finding[]> =>
  input.checks.map((check) => ({ check, status: 'confirmed', summary: `${check} looked fine`, evidence: ['GET /x'] }));

beforeAll(async () => {
  if (has('redis')) redis = await startTestRedis();
});
afterAll(async () => {
  await redis?.close();
});

for (const [name, make, options] of implementations) describe(`check dispatch contract: ${name}`, options, () => {
  let harness: Harness | undefined;
  afterEach(async () => {
    await harness?.close();
    harness = undefined;
  });

  it('answers a submitted job exactly once with findings and a verdict', async () => {
    harness = await make({ runner: okRunner });
    const job = makeJob();
    const receipt = await harness.dispatcher.submit(job);
    expect(receipt.status).toBe('queued');
    const [report] = await harness.reporter.waitFor(1);
    expect(report?.result).toMatchObject({ jobId: receipt.jobId, cluster: 'prod', outcome: 'ok' });
    expect(report?.result.findings.map((f) => f.check)).toEqual(['alpha', 'beta']);
    expect(report?.result.verdict).not.toBeNull();
    expect(report?.job.requester).toEqual(job.requester);
    await sleep(300);
    expect(harness.reporter.reports).toHaveLength(1);
  });

  it('queues a duplicate submit once and reports it once', async () => {
    let runs = 0;
    harness = await make({ runner: async (input) => { runs++; await sleep(100); return okRunner(input); } });
    const job = makeJob();
    const first = await harness.dispatcher.submit(job);
    const second = await harness.dispatcher.submit({ ...job, createdAt: job.createdAt + 5 });
    expect(first.status).toBe('queued');
    expect(second).toEqual({ status: 'duplicate', jobId: first.jobId });
    await harness.reporter.waitFor(1);
    await sleep(400);
    expect(harness.reporter.reports).toHaveLength(1);
    expect(runs).toBe(1);
  });

  it('answers by the deadline when a check hangs, with that check inconclusive', async () => {
    harness = await make({
      runner: async (input) => {
        const fast: Finding = { check: 'alpha', status: 'refuted', summary: 'alpha answered', evidence: [] };
        // beta hangs until the deadline signal cuts it, as a hung API call would.
        await new Promise((resolve) => input.signal.addEventListener('abort', resolve, { once: true }));
        return [fast, { check: 'beta', status: 'inconclusive', summary: 'cancelled', evidence: [] }];
      },
    });
    const job = makeJob({}, 2000);
    await harness.dispatcher.submit(job);
    const [report] = await harness.reporter.waitFor(1, 5000);
    // Outcome `timeout` (not `no-agent`) proves the real answer beat the deadline watchdog.
    expect(report?.result.outcome).toBe('timeout');
    expect(report?.result.completedAt).toBeLessThanOrEqual(job.deadline);
    expect(report?.at).toBeLessThanOrEqual(job.deadline + 1000);
    expect(report?.result.findings.map((f) => [f.check, f.status])).toEqual([['alpha', 'refuted'], ['beta', 'inconclusive']]);
    await sleep(500); // past the deadline: the watchdog must lose to the real answer
    expect(harness.reporter.reports).toHaveLength(1);
  });

  it('runs at most `concurrency` jobs at once', async () => {
    let active = 0;
    let peak = 0;
    harness = await make({
      concurrency: 2,
      runner: async (input) => {
        active++;
        peak = Math.max(peak, active);
        await sleep(150);
        active--;
        return okRunner(input);
      },
    });
    for (let i = 0; i < 6; i++) await harness.dispatcher.submit(makeJob());
    await harness.reporter.waitFor(6);
    expect(peak).toBe(2);
  });

  it('retries a transient failure and answers once', async () => {
    let calls = 0;
    harness = await make({
      runner: async (input) => {
        calls++;
        if (calls === 1) throw new HelmTriageError(ErrorCode.KubeUnreachable, 'cannot reach the API server (ECONNRESET)');
        return okRunner(input);
      },
    });
    await harness.dispatcher.submit(makeJob());
    const [report] = await harness.reporter.waitFor(1);
    expect(report?.result.outcome).toBe('ok');
    expect(calls).toBe(2);
  });

  it('does not retry a permanent failure; the requester gets the error once', async () => {
    let calls = 0;
    harness = await make({
      runner: async () => {
        calls++;
        throw new HelmTriageError(ErrorCode.KubeForbidden, 'the cluster refused "list services" (403): grant it');
      },
    });
    await harness.dispatcher.submit(makeJob());
    const [report] = await harness.reporter.waitFor(1);
    expect(report?.result.outcome).toBe('error');
    expect(report?.result.message).toContain('(403)');
    await sleep(300);
    expect(calls).toBe(1);
    expect(harness.reporter.reports).toHaveLength(1);
  });

  it('tells the requester when no agent serves the cluster', async () => {
    harness = await make({ runner: okRunner });
    const job = makeJob({ cluster: 'ghost' }, 1500);
    await harness.dispatcher.submit(job);
    const [report] = await harness.reporter.waitFor(1, 6000);
    expect(report?.result.outcome).toBe('no-agent');
    expect(report?.result.message).toContain('no agent answered for cluster ghost');
  });
});
