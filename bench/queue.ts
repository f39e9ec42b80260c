// Queue benchmark: 1,000 check jobs through the real BullMQ path (dispatcher → Redis → 2 agents →
// results queue → consumer → reporter) against the local Kubernetes API server with 20 ms injected
// latency per request, running the real checks of the load-balancer-class incident.
// Prints throughput, p50/p99 end-to-end latency (submit → report) and the ratio of p50 to the
// critical-path lower bound (sequential API round trips × 20 ms, measured without the queue).
//
//   npx tsx bench/queue.ts            (or through bench/run.ts)
//   BENCH_JOBS, BENCH_RATE (jobs/s offered), BENCH_CONCURRENCY (per agent) tune it.
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { runChecks } from '../src/checks/run.js';
import { createLogger } from '../src/log.js';
import type { ReadOnlyKube } from '../src/kube/types.js';
import { startAgent } from '../src/queue/agent.js';
import { BullMqDispatcher } from '../src/queue/dispatcher.js';
import { startResultConsumer } from '../src/queue/result-consumer.js';
import type { CheckJob, CheckResult, ResultReporter } from '../src/queue/types.js';
import { RedisKeyValueStore } from '../src/store/redis-kv.js';
import { kubeFor, startKubeApiServer } from '../test/support/kube-api-server.js';
import { startTestRedis } from '../test/support/redis.js';
import { loadScenario } from '../test/support/scenario.js';

const LATENCY_MS = 20;
const CHECKS = ['service-load-balancer-class', 'aws-lbc-webhook-operations', 'aws-lbc-version'];
const FACTS: CheckJob['facts'] = { release: 'web', namespace: 'storefront', revision: 1, resource: { kind: 'Service', name: 'web' } };

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i] ?? Number.NaN;
}

/** The checks run straight against the API server, no queue: its best time is the critical path. */
async function criticalPath(kube: ReadOnlyKube): Promise<{ bestMs: number; roundTrips: number }> {
  let best = Number.POSITIVE_INFINITY;
  for (let i = 0; i < 15; i++) {
    const t = performance.now();
    await runChecks({ checks: CHECKS, facts: FACTS, kube, signal: AbortSignal.timeout(10_000) });
    best = Math.min(best, performance.now() - t);
  }
  return { bestMs: best, roundTrips: Math.max(1, Math.floor(best / LATENCY_MS)) };
}

class TimingReporter implements ResultReporter {
  readonly doneAt = new Map<string, number>();
  readonly outcomes = new Map<string, number>();
  private waiter: (() => void) | undefined;
  constructor(private readonly expected: number) {}
  async report(_job: CheckJob, result: CheckResult): Promise<void> {
    this.doneAt.set(result.jobId, performance.now());
    this.outcomes.set(result.outcome, (this.outcomes.get(result.outcome) ?? 0) + 1);
    if (this.doneAt.size >= this.expected) this.waiter?.();
  }
  all(timeoutMs: number): Promise<void> {
    if (this.doneAt.size >= this.expected) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const t = setTimeout(() => reject(new Error(`only ${this.doneAt.size}/${this.expected} results within ${timeoutMs} ms`)), timeoutMs);
      this.waiter = () => { clearTimeout(t); resolve(); };
    });
  }
}

export async function run(): Promise<void> {
  const jobs = Number(process.env.BENCH_JOBS ?? 1000);
  const rate = Number(process.env.BENCH_RATE ?? 300);
  const concurrency = Number(process.env.BENCH_CONCURRENCY ?? 32);
  const scenario = loadScenario(join(import.meta.dirname, '..', 'test', 'scenarios', 'lbc-class-confirmed.yaml'));
  const server = await startKubeApiServer({ ...scenario, latencyMs: LATENCY_MS });
  const redis = await startTestRedis();
  const prefix = `bench-${process.pid}`;
  const kvRedis = new Redis(redis.url);
  const reporter = new TimingReporter(jobs);
  const dispatcher = new BullMqDispatcher({ redisUrl: redis.url, prefix, logger: createLogger({ level: process.env.BENCH_LOG ?? 'silent' }) });
  const consumer = startResultConsumer({ redisUrl: redis.url, prefix, reporter, kv: new RedisKeyValueStore(kvRedis, `${prefix}:kv:`), concurrency: 64 });
  const agents = [1, 2].map((n) =>
    startAgent({ redisUrl: redis.url, prefix, cluster: 'bench', kube: kubeFor(server), concurrency, name: `agent-${n}` }),
  );
  try {
    await Promise.all([consumer.ready(), ...agents.map((a) => a.ready())]);
    const cp = await criticalPath(kubeFor(server));
    const lowerBound = cp.roundTrips * LATENCY_MS;

    const submittedAt = new Map<string, number>();
    const interval = 1000 / rate;
    const t0 = performance.now();
    const submits: Array<Promise<void>> = [];
    for (let i = 0; i < jobs; i++) {
      // Open loop: jobs arrive at `rate` per second whatever the system does, as Slack traffic would.
      const due = t0 + i * interval;
      const wait = due - performance.now();
      if (wait > 1) await new Promise((r) => setTimeout(r, wait));
      const now = Date.now();
      const job: CheckJob = {
        v: 1, text: `bench request ${i}`, facts: FACTS, playbook: 'immutable-load-balancer-class', checks: CHECKS, cluster: 'bench',
        requester: { kind: 'api', correlationId: `bench-${i}` }, deadline: now + 30_000, createdAt: now, confidence: 0.9, rootCause: null,
      };
      const started = performance.now();
      submits.push(dispatcher.submit(job).then((r) => {
        if (r.status !== 'queued') throw new Error(`submit ${i}: ${r.status} ${r.reason ?? ''}`);
        submittedAt.set(r.jobId, started);
      }));
    }
    await Promise.all(submits);
    await reporter.all(120_000);
    const elapsedS = (Math.max(...reporter.doneAt.values()) - t0) / 1000;
    const latencies = [...submittedAt].map(([id, at]) => (reporter.doneAt.get(id) ?? Number.NaN) - at).sort((a, b) => a - b);
    const p50 = percentile(latencies, 50);
    const p99 = percentile(latencies, 99);
    const outcomes = [...reporter.outcomes].map(([k, v]) => `${k}=${v}`).join(' ');
    console.log(`queue: ${jobs} jobs, 2 agents × concurrency ${concurrency}, offered ${rate} jobs/s, API latency ${LATENCY_MS} ms, checks ${CHECKS.join(',')}`);
    console.log(`queue: critical path ${cp.bestMs.toFixed(1)} ms direct = ${cp.roundTrips} sequential round trips → lower bound ${lowerBound} ms`);
    console.log(`queue: throughput ${(jobs / elapsedS).toFixed(0)} jobs/s (${elapsedS.toFixed(2)} s; target ≥ 200)`);
    console.log(`queue: end-to-end latency p50 ${p50.toFixed(1)} ms, p99 ${p99.toFixed(1)} ms; p50 / lower bound = ${(p50 / lowerBound).toFixed(2)} (target ≤ 1.3)`);
    console.log(`queue: outcomes ${outcomes}; API requests ${server.requestCount}; writes attempted ${server.writeAttempts.length}`);
  } finally {
    await dispatcher.close();
    await Promise.all(agents.map((a) => a.close()));
    await consumer.close();
    kvRedis.disconnect();
    await redis.close();
    await server.close();
  }
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].replace(/^.*\/bench\//, '/bench/'))) {
  run().catch((err: unknown) => {
    console.error(err);
    process.exitCode = 1;
  });
}
