// The rollback-plan job kind through a real Redis (private redis-server on a free port, or REDIS_URL):
// dispatcher → agent running the real planner against the local Kubernetes API → answers stream →
// result consumer → reporter, once; the deadline watchdog for a cluster with no agent; and an agent that
// knows only check jobs (an older one) refusing the kind cleanly, its refusal reported at the deadline.
import { join } from 'node:path';
import { UnrecoverableError, Worker, type Job } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startAgent, type Agent } from '../../src/queue/agent.js';
import { BullMqDispatcher } from '../../src/queue/dispatcher.js';
import { checkQueueName } from '../../src/queue/names.js';
import { startResultConsumer, type ResultConsumer } from '../../src/queue/result-consumer.js';
import { checkJobSchema, rollbackJobSchema, type RollbackJob } from '../../src/queue/types.js';
import { RedisKeyValueStore } from '../../src/store/redis-kv.js';
import { kubeFor, startKubeApiServer, type KubeApiServer } from '../support/kube-api-server.js';
import { has, needs } from '../support/needs.js';
import { startTestRedis, type TestRedis } from '../support/redis.js';
import { loadScenario } from '../support/scenario.js';
import { RecordingReporter, cleanupPrefix, uniquePrefix } from './support.js';

const SCENARIO = join(import.meta.dirname, '..', 'scenarios', 'rollback', 'lbc-force.yaml');

let redis: TestRedis | undefined;
let kube: KubeApiServer | undefined;
beforeAll(async () => {
  if (!has('redis')) return;
  redis = await startTestRedis();
  kube = await startKubeApiServer(loadScenario(SCENARIO));
});
afterAll(async () => {
  await kube?.close();
  await redis?.close();
});

let n = 0;
function rollbackJob(cluster: string, deadlineMs: number, over: Partial<RollbackJob> = {}): RollbackJob {
  const createdAt = Date.now();
  n++;
  return {
    v: 1, kind: 'rollback-plan', request: { release: 'web', namespace: 'storefront', revision: 1, force: true }, planId: `plan-${n}`,
    cluster, requester: { kind: 'slack', channel: 'C0RB', messageTs: `1700000000.${String(n).padStart(6, '0')}` },
    deadline: createdAt + deadlineMs, createdAt, ...over,
  };
}

describe('rollback-plan jobs through Redis (uses redis-server and ports)', needs('redis'), () => {
  let prefix: string;
  let kvRedis: Redis;
  let dispatcher: BullMqDispatcher;
  let consumer: ResultConsumer;
  let reporter: RecordingReporter;
  const closers: Array<() => Promise<unknown>> = [];

  const start = async (clusters: string[]): Promise<void> => {
    const url = redis?.url ?? '';
    prefix = uniquePrefix();
    kvRedis = new Redis(url);
    kvRedis.on('error', () => undefined);
    reporter = new RecordingReporter();
    dispatcher = new BullMqDispatcher({ redisUrl: url, prefix });
    consumer = startResultConsumer({ redisUrl: url, prefix, reporter, kv: new RedisKeyValueStore(kvRedis, `${prefix}:kv:`), drainDelay: 1, clusters });
    dispatcher.onQueue((cluster) => consumer.watch(cluster));
    await consumer.ready();
  };

  afterEach(async () => {
    for (const close of closers.splice(0).reverse()) await close();
    await dispatcher?.close();
    await consumer?.close();
    kvRedis?.disconnect();
    if (redis) await cleanupPrefix(redis.url, prefix);
  });

  it('an agent plans it with the real planner, read-only, and the plan is reported once', async () => {
    await start(['prod']);
    const agent: Agent = startAgent({ redisUrl: redis?.url ?? '', prefix, cluster: 'prod', kube: kubeFor(kube!), drainDelay: 1, name: 'agent-rb' });
    closers.push(() => agent.close());
    await agent.ready();
    const writesBefore = kube!.writeAttempts.length;
    const job = rollbackJob('prod', 20_000);
    const receipt = await dispatcher.submit(job);
    expect(receipt).toMatchObject({ status: 'queued' });
    expect(receipt.jobId).toMatch(/^rbk-[0-9a-f]{32}$/);
    // The same request again within the window is the same job.
    expect(await dispatcher.submit(job)).toEqual({ status: 'duplicate', jobId: receipt.jobId });
    const [report] = await reporter.waitFor(1, 15_000);
    expect(rollbackJobSchema.parse(report?.job)).toEqual(job);
    expect(report?.result).toMatchObject({ jobId: receipt.jobId, cluster: 'prod', outcome: 'ok', agent: 'agent-rb', findings: [], verdict: null });
    const plan = report?.result.plan;
    expect(plan?.request).toEqual({ ...job.request, context: 'prod' });
    expect(plan?.verdict.kind).toBe('will-fail');
    expect(plan?.predictions.map((p) => p.kind)).toContain('immutable-load-balancer-class');
    expect(plan?.verdict.summary).toContain('loadBalancerClass service.k8s.aws/nlb');
    // User-supplied values cross Redis redacted.
    expect(JSON.stringify(report)).not.toContain('hunter2-s3cret-Pw');
    await new Promise((r) => setTimeout(r, 300));
    expect(reporter.reports).toHaveLength(1);
    expect(kube!.writeAttempts.length).toBe(writesBefore);
  });

  it('with no agent for the cluster, the watchdog answers "no agent" at the deadline', async () => {
    await start([]);
    const job = rollbackJob('nobody-home', 1500);
    const receipt = await dispatcher.submit(job);
    const [report] = await reporter.waitFor(1, 10_000);
    expect(report?.job).toMatchObject({ kind: 'rollback-plan', planId: job.planId });
    expect(report?.result).toMatchObject({ jobId: receipt.jobId, outcome: 'no-agent', message: 'no agent answered for cluster nobody-home within 2 s' });
  });

  it('an agent that knows only check jobs fails the kind at once, and the requester hears "upgrade the agent" at the deadline', async () => {
    await start(['legacy']);
    // What an agent from before this job kind does with any job: parse it as a check job, else fail it for good.
    const old = new Worker(checkQueueName('legacy'), async (job: Job) => {
      if (!checkJobSchema.safeParse(job.data).success) throw new UnrecoverableError('invalid check job payload: upgrade the agent or the bot so their schema versions match');
      return null;
    }, { connection: { url: redis?.url ?? '' }, prefix, drainDelay: 1 });
    closers.push(() => old.close());
    await old.waitUntilReady();
    const job = rollbackJob('legacy', 2000);
    await dispatcher.submit(job);
    const [report] = await reporter.waitFor(1, 10_000);
    expect(report?.job).toMatchObject({ kind: 'rollback-plan' });
    expect(report?.result.outcome).toBe('error');
    expect(report?.result.message).toContain('upgrade the agent or the bot so their schema versions match');
  });
});
