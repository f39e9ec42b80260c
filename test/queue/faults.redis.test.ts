// Fault tests against a real Redis (a private redis-server on a free port that these tests stop and
// restart; they need the redis-server binary) and real processes: a SIGKILLed agent, Redis going
// away, no agent, a hanging API server, duplicate deliveries.
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import { pino } from 'pino';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Finding } from '../../src/checks/types.js';
import { Queue, Worker } from 'bullmq';
import { startAgent, type Agent } from '../../src/queue/agent.js';
import { DEADLINES_QUEUE, MAX_FOLLOWED_CLUSTERS, checkQueueName } from '../../src/queue/names.js';
import { BullMqDispatcher, UNAVAILABLE_REASON } from '../../src/queue/dispatcher.js';
import type { CheckRunner } from '../../src/queue/process-job.js';
import { startResultConsumer, type ResultConsumer } from '../../src/queue/result-consumer.js';
import { MemoryKeyValueStore } from '../../src/store/memory-kv.js';
import { RedisKeyValueStore } from '../../src/store/redis-kv.js';
import { kubeFor, startKubeApiServer, type KubeApiServer } from '../support/kube-api-server.js';
import { has, needs } from '../support/needs.js';
import { startTestRedis, type TestRedis } from '../support/redis.js';
import { RecordingReporter, cleanupPrefix, makeJob, sleep, uniquePrefix, unusedKube } from './support.js';

const okRunner: CheckRunner = async (input) =>
  input.checks.map((check): Finding => ({ check, status: 'refuted', summary: `${check} fine`, evidence: [] }));

let redis: TestRedis;
beforeAll(async () => {
  if (has('redis-server')) redis = await startTestRedis();
});
afterAll(async () => {
  await redis?.close();
});

/** Everything one test starts, closed in reverse order afterwards. */
class Stack {
  readonly prefix = uniquePrefix();
  readonly reporter = new RecordingReporter();
  private readonly closers: Array<() => Promise<void>> = [];

  constructor(private readonly url: string) {}

  private readonly consumers: ResultConsumer[] = [];
  private readonly dispatchers: BullMqDispatcher[] = [];

  /** A dispatcher whose clusters every consumer of this stack follows (as `serve` wires them). */
  dispatcher(logger?: pino.Logger): BullMqDispatcher {
    const d = new BullMqDispatcher({ redisUrl: this.url, prefix: this.prefix, ...(logger ? { logger } : {}) });
    this.closers.push(() => d.close());
    for (const c of this.consumers) d.onQueue((cluster) => c.watch(cluster));
    this.dispatchers.push(d);
    return d;
  }

  /** Without a runner, the agent runs the real checks (src/checks/run.ts). */
  async agent(name: string, runChecks: CheckRunner | undefined, extra: Partial<Parameters<typeof startAgent>[0]> = {}): Promise<Agent> {
    const a = startAgent({ redisUrl: this.url, prefix: this.prefix, cluster: 'prod', kube: unusedKube, name, drainDelay: 1, ...(runChecks ? { runChecks } : {}), ...extra });
    this.closers.push(() => a.close());
    await a.ready();
    return a;
  }

  private shared: RedisKeyValueStore | undefined;

  /** The replicas' shared bookkeeping (the exactly-once claims live here). */
  kv(): RedisKeyValueStore {
    if (!this.shared) {
      const kvRedis = new Redis(this.url);
      kvRedis.on('error', () => undefined);
      this.closers.push(async () => { kvRedis.disconnect(); });
      this.shared = new RedisKeyValueStore(kvRedis, `${this.prefix}:kv:`);
    }
    return this.shared;
  }

  /**
   * A bot replica following `clusters` (default prod) and every cluster this stack's dispatchers queue
   * for; `deaf` ones follow no answers stream, so only their deadline watchdog reports.
   */
  async consumer(logger?: pino.Logger, options: { deaf?: boolean; clusters?: string[] } = {}): Promise<ResultConsumer> {
    const c = startResultConsumer({
      redisUrl: this.url, prefix: this.prefix, reporter: this.reporter, kv: this.kv(), drainDelay: 1,
      clusters: options.deaf ? [] : (options.clusters ?? ['prod']), ...(logger ? { logger } : {}),
    });
    if (!options.deaf) {
      this.consumers.push(c);
      for (const d of this.dispatchers) d.onQueue((cluster) => c.watch(cluster));
    }
    this.closers.push(() => c.close());
    await c.ready();
    return c;
  }

  defer(fn: () => Promise<void>): void {
    this.closers.push(fn);
  }

  async close(): Promise<void> {
    for (const close of this.closers.reverse()) await close().catch(() => undefined);
    await cleanupPrefix(this.url, this.prefix);
  }
}

function spawnAgentChild(url: string, prefix: string): { child: ChildProcess; lines: string[]; waitFor(line: string, ms: number): Promise<void> } {
  const fixture = fileURLToPath(new URL('./fixtures/agent-child.ts', import.meta.url));
  const child = spawn(process.execPath, ['--import', 'tsx', fixture], {
    env: { ...process.env, REDIS_URL: url, QUEUE_PREFIX: prefix, CLUSTER: 'prod' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  let stderr = '';
  child.stdout?.on('data', (d: Buffer) => lines.push(...d.toString().split('\n').filter(Boolean)));
  child.stderr?.on('data', (d: Buffer) => { stderr += d.toString(); });
  return {
    child, lines,
    async waitFor(line, ms) {
      const deadline = Date.now() + ms;
      while (!lines.includes(line)) {
        if (Date.now() > deadline) throw new Error(`agent child did not print ${line} within ${ms} ms; stderr: ${stderr.slice(-2000)}`);
        if (child.exitCode !== null) throw new Error(`agent child exited ${child.exitCode}; stderr: ${stderr.slice(-2000)}`);
        await sleep(50);
      }
    },
  };
}

describe('queue faults (real Redis, real processes)', needs('redis-server'), () => {
  let stack: Stack;
  afterEach(async () => {
    await stack.close();
  });

  it('an agent SIGKILLed mid-job, default locks and the 30 s deadline: the job is answered ≤ 15 s after the kill, once, across two bot replicas', async () => {
    stack = new Stack(redis.url);
    await stack.consumer();
    await stack.consumer();
    const dispatcher = stack.dispatcher();
    const doomed = spawnAgentChild(redis.url, stack.prefix);
    stack.defer(async () => { doomed.child.kill('SIGKILL'); });
    await doomed.waitFor('READY', 20_000);

    const job = makeJob({}, 30_000);
    const receipt = await dispatcher.submit(job);
    expect(receipt.status).toBe('queued');
    await doomed.waitFor('ACTIVE', 10_000);
    // A second agent, with the shipped lock settings, is already serving the cluster when the first dies.
    await stack.agent('rescuer', okRunner);
    doomed.child.kill('SIGKILL');
    const killedAt = Date.now();
    await new Promise((r) => doomed.child.once('exit', r));

    const [report] = await stack.reporter.waitFor(1, 15_000);
    const afterKillMs = Date.now() - killedAt;
    expect(report?.result).toMatchObject({ jobId: receipt.jobId, outcome: 'ok', agent: 'rescuer' });
    expect(afterKillMs).toBeLessThanOrEqual(15_000);
    // Exactly once: nothing more arrives while the deadline (and the watchdog's look at it) passes.
    await sleep(Math.max(0, job.deadline - Date.now()) + 2_000);
    expect(stack.reporter.reports).toHaveLength(1);
  }, 60_000);

  it('an agent stopped with SIGTERM mid-job hands the job back at once: another agent answers it, once', async () => {
    stack = new Stack(redis.url);
    await stack.consumer();
    const dispatcher = stack.dispatcher();
    const leaving = spawnAgentChild(redis.url, stack.prefix);
    stack.defer(async () => { leaving.child.kill('SIGKILL'); });
    await leaving.waitFor('READY', 20_000);
    const job = makeJob({}, 30_000);
    const receipt = await dispatcher.submit(job);
    await leaving.waitFor('ACTIVE', 10_000);
    await stack.agent('successor', okRunner);
    leaving.child.kill('SIGTERM');
    const stoppedAt = Date.now();
    await leaving.waitFor('CLOSED', 10_000);
    const [report] = await stack.reporter.waitFor(1, 10_000);
    // Far sooner than a lapsed lock and a stalled check would allow: the job was handed back, not abandoned.
    expect(Date.now() - stoppedAt).toBeLessThan(4_000);
    expect(report?.result).toMatchObject({ jobId: receipt.jobId, outcome: 'ok', agent: 'successor' });
    await sleep(1_500);
    expect(stack.reporter.reports).toHaveLength(1);
  }, 60_000);

  it('Redis down at submit: "unavailable" at once; after Redis returns the same dispatcher queues again', async () => {
    stack = new Stack(redis.url);
    const dispatcher = stack.dispatcher();
    await stack.consumer();
    await stack.agent('steady', okRunner);
    expect((await dispatcher.submit(makeJob())).status).toBe('queued');
    await stack.reporter.waitFor(1);

    await redis.stop();
    const started = Date.now();
    const down = await dispatcher.submit(makeJob());
    expect(Date.now() - started).toBeLessThan(1000);
    expect(down).toMatchObject({ status: 'unavailable', reason: UNAVAILABLE_REASON });
    expect(UNAVAILABLE_REASON).toBe('cluster checks unavailable (queue unreachable)');

    await redis.start();
    let receipt = await dispatcher.submit(makeJob());
    const until = Date.now() + 5000;
    while (receipt.status !== 'queued' && Date.now() < until) {
      await sleep(100);
      receipt = await dispatcher.submit(makeJob());
    }
    expect(receipt.status).toBe('queued');
    // The agent and the consumer reconnected by themselves too: the new job is answered.
    await stack.reporter.waitFor(2, 10_000);
    expect(stack.reporter.forJob(receipt.jobId)).toHaveLength(1);
  });

  it('no agent for the cluster: the reporter hears so at the deadline', async () => {
    stack = new Stack(redis.url);
    await stack.consumer();
    const dispatcher = stack.dispatcher();
    const job = makeJob({ cluster: 'ghost' }, 2000);
    await dispatcher.submit(job);
    const [report] = await stack.reporter.waitFor(1, 6000);
    expect(report?.at).toBeGreaterThanOrEqual(job.deadline);
    expect(report?.at).toBeLessThan(job.deadline + 2500);
    expect(report?.result).toMatchObject({ outcome: 'no-agent', message: 'no agent answered for cluster ghost within 2 s', cluster: 'ghost' });
  });

  it('a hanging API server: the job is answered by its deadline with that check inconclusive', async () => {
    const kube: KubeApiServer = await startKubeApiServer({ fail: [{ path: '/version', hang: true }] });
    stack = new Stack(redis.url);
    stack.defer(() => kube.close());
    await stack.consumer();
    // The real check runner against a real (local) API server that never answers /version.
    await stack.agent('real-checks', undefined, { kube: kubeFor(kube) });
    const dispatcher = stack.dispatcher();
    const job = makeJob({ checks: ['server-version'] }, 2500);
    await dispatcher.submit(job);
    const [report] = await stack.reporter.waitFor(1, 6000);
    // Outcome `timeout` (not `no-agent`) proves the agent's answer beat the deadline watchdog.
    expect(report?.result.outcome).toBe('timeout');
    expect(report?.result.completedAt).toBeLessThanOrEqual(job.deadline);
    expect(report?.at).toBeLessThanOrEqual(job.deadline + 1000);
    expect(report?.result.findings).toEqual([expect.objectContaining({ check: 'server-version', status: 'inconclusive' })]);
    await sleep(800);
    expect(stack.reporter.reports).toHaveLength(1);
  });

  it('duplicate submits make one job; duplicate result deliveries across two bot replicas make one report', async () => {
    stack = new Stack(redis.url);
    await stack.consumer();
    await stack.consumer(); // a second bot replica
    const dispatcher = stack.dispatcher();
    let runs = 0;
    await stack.agent('counting', async (input) => { runs++; return okRunner(input); });
    const job = makeJob();
    const receipts = await Promise.all(Array.from({ length: 5 }, () => dispatcher.submit(job)));
    expect(receipts.filter((r) => r.status === 'queued')).toHaveLength(1);
    expect(new Set(receipts.map((r) => r.jobId)).size).toBe(1);
    const jobId = receipts[0]?.jobId ?? '';
    await stack.reporter.waitFor(1);

    // A replica that starts now replays the stream from a minute back: the same answer, delivered again.
    await stack.consumer();
    await sleep(1000);
    expect(stack.reporter.reports).toHaveLength(1);
    expect(stack.reporter.reports[0]?.result).toMatchObject({ jobId, agent: 'counting' });
    expect(runs).toBe(1);
  });

  it('an answer whose announcement nobody heard is reported by the deadline watchdog, not as "no agent"', async () => {
    stack = new Stack(redis.url);
    await stack.consumer(undefined, { deaf: true });
    const dispatcher = stack.dispatcher();
    await stack.agent('unheard', okRunner);
    const job = makeJob({}, 1500);
    const receipt = await dispatcher.submit(job);
    await sleep(800);
    expect(stack.reporter.reports).toHaveLength(0); // answered by now, but nobody follows the stream
    const [report] = await stack.reporter.waitFor(1, 4000);
    expect(report?.at).toBeGreaterThanOrEqual(job.deadline);
    expect(report?.result).toMatchObject({ jobId: receipt.jobId, outcome: 'ok', agent: 'unheard' });
    expect(report?.job.requester).toEqual(job.requester);
  });

  it('a check job that failed without an announcement is reported with its reason at the deadline', async () => {
    stack = new Stack(redis.url);
    await stack.consumer();
    const dispatcher = stack.dispatcher();
    // Not our agent: a bare worker (another version, say) that fails the job and announces nothing.
    const bare = new Worker(checkQueueName('prod'), async () => { throw new Error('agent crashed on this payload'); }, { connection: { url: redis.url }, prefix: stack.prefix });
    stack.defer(() => bare.close());
    const job = makeJob({}, 1500);
    await dispatcher.submit(job);
    const [report] = await stack.reporter.waitFor(1, 4000);
    expect(report?.result).toMatchObject({ outcome: 'error', message: 'cluster checks failed on prod: agent crashed on this payload' });
  });

  it('requests whose deadlines share a second share one watchdog job, and each is answered', async () => {
    stack = new Stack(redis.url);
    await stack.consumer();
    const dispatcher = stack.dispatcher();
    const createdAt = Math.ceil(Date.now() / 1000) * 1000 + 1; // deadlines all inside one second
    const jobs = Array.from({ length: 5 }, (_, i) => makeJob({ cluster: 'ghost', createdAt: createdAt + i * 10 }, 1500));
    for (const job of jobs) expect((await dispatcher.submit(job)).status).toBe('queued');
    const deadlines = new Queue(DEADLINES_QUEUE, { connection: { url: redis.url }, prefix: stack.prefix });
    stack.defer(() => deadlines.close());
    expect((await deadlines.getJobCounts('delayed')).delayed).toBe(1);
    const reports = await stack.reporter.waitFor(5, 5000);
    expect(reports.map((r) => r.result.outcome)).toEqual(Array(5).fill('no-agent'));
    expect(new Set(reports.map((r) => r.result.jobId)).size).toBe(5);
    // Past their deadline nobody should run them: the watchdog took them off the queue.
    const ghost = new Queue(checkQueueName('ghost'), { connection: { url: redis.url }, prefix: stack.prefix });
    stack.defer(() => ghost.close());
    await sleep(200);
    expect((await ghost.getJobCounts('wait')).wait).toBe(0);
  });

  it('a replica that died mid-report leaves a pending claim: once it expires the watchdog reports the answer', async () => {
    stack = new Stack(redis.url);
    await stack.consumer(undefined, { deaf: true });
    const dispatcher = stack.dispatcher();
    await stack.agent('answered', okRunner);
    const job = makeJob({}, 1500);
    const { jobId } = await dispatcher.submit(job);
    // What a replica killed between claiming and reporting leaves behind (its claim expires soon here).
    await stack.kv().set(`result:${jobId}`, 'pending', 2500);
    await sleep(1800);
    expect(stack.reporter.reports).toHaveLength(0); // deadline passed, claim still pending: not reported yet
    const [report] = await stack.reporter.waitFor(1, 8000);
    expect(report?.result).toMatchObject({ jobId, outcome: 'ok', agent: 'answered' });
    expect(await stack.kv().get(`result:${jobId}`)).toBe('ok');
  }, 15_000);

  it('a job an agent holds without answering past the deadline is reported as timed out, not "no agent"', async () => {
    stack = new Stack(redis.url);
    await stack.consumer();
    const dispatcher = stack.dispatcher();
    // Not our agent (ours always answers by the deadline): a worker frozen on the job.
    const frozen = new Worker(checkQueueName('prod'), () => sleep(6000), { connection: { url: redis.url }, prefix: stack.prefix });
    stack.defer(() => frozen.close(true));
    const job = makeJob({}, 1500);
    await dispatcher.submit(job);
    const [report] = await stack.reporter.waitFor(1, 6000);
    expect(report?.result.outcome).toBe('timeout');
    expect(report?.result.message).toContain('did not answer by the deadline');
  }, 15_000);

  it('a replica that starts after the answer was announced still reports it at once (it reads a minute back)', async () => {
    stack = new Stack(redis.url);
    const dispatcher = stack.dispatcher();
    await stack.agent('early', okRunner);
    const job = makeJob({}, 20_000);
    const { jobId } = await dispatcher.submit(job);
    await sleep(700); // answered and announced while no replica was listening
    expect(stack.reporter.reports).toHaveLength(0);
    await stack.consumer();
    const [report] = await stack.reporter.waitFor(1, 3000);
    expect(report?.result).toMatchObject({ jobId, outcome: 'ok', agent: 'early' });
    expect(report?.at).toBeLessThan(job.deadline - 15_000); // long before the watchdog would have
  }, 15_000);

  it('past the cap on followed clusters, a cluster is answered by the deadline watchdog instead', async () => {
    stack = new Stack(redis.url);
    const lines: string[] = [];
    const logger = pino({ level: 'warn' }, { write: (line: string) => { lines.push(line); } });
    const consumer = await stack.consumer(logger, { clusters: Array.from({ length: MAX_FOLLOWED_CLUSTERS }, (_, i) => `typo-${i}`) });
    consumer.watch('extra');
    expect(lines.join('')).toContain('following no more clusters');
    await stack.agent('extra-agent', okRunner, { cluster: 'extra' });
    const job = makeJob({ cluster: 'extra' }, 1500);
    await stack.dispatcher().submit(job);
    const [report] = await stack.reporter.waitFor(1, 6000);
    expect(report?.result).toMatchObject({ outcome: 'ok', agent: 'extra-agent' });
    expect(report?.at).toBeGreaterThanOrEqual(job.deadline);
  }, 20_000);

  it('a result consumer closes within seconds when Redis is unreachable', async () => {
    stack = new Stack(redis.url);
    const consumer = startResultConsumer({
      redisUrl: 'redis://127.0.0.1:1', reporter: stack.reporter, kv: new MemoryKeyValueStore(), clusters: ['prod'], drainDelay: 1,
    });
    await sleep(300);
    const started = Date.now();
    await consumer.close();
    expect(Date.now() - started).toBeLessThan(4000);
  });

  it('a graceful close hands the in-flight job back: the agent that starts next answers it, not the one leaving', async () => {
    stack = new Stack(redis.url);
    await stack.consumer();
    const dispatcher = stack.dispatcher();
    let started = false;
    const agent = await stack.agent('leaving', async (input) => {
      started = true;
      await new Promise((resolve) => input.signal.addEventListener('abort', resolve, { once: true }));
      return okRunner(input);
    });
    await dispatcher.submit(makeJob());
    while (!started) await sleep(20);
    const t0 = Date.now();
    await agent.close();
    expect(Date.now() - t0).toBeLessThan(3_000);
    expect(stack.reporter.reports).toHaveLength(0);
    await stack.agent('replacement', okRunner);
    const [report] = await stack.reporter.waitFor(1, 5000);
    expect(report?.result).toMatchObject({ outcome: 'ok', agent: 'replacement' });
  });

  it('logs carry the job id as correlation id and never the job text', async () => {
    const lines: string[] = [];
    const logger = pino({ level: 'debug' }, { write: (line: string) => { lines.push(line); } });
    stack = new Stack(redis.url);
    await stack.consumer(logger);
    const d = stack.dispatcher(logger);
    await stack.agent('logged', okRunner, { logger });
    const secretish = 'Error: UPGRADE FAILED: token=xoxb-should-never-be-logged-12345';
    const receipt = await d.submit(makeJob({ text: secretish }));
    await stack.reporter.waitFor(1);
    const all = lines.join('');
    expect(all).toContain(receipt.jobId);
    expect(all).not.toContain('xoxb-should-never');
    expect(all).not.toContain('UPGRADE FAILED');
  });
});
