// Why apart: a one-shot requester (`diagnose --check --via-queue`) submits one job and waits for the
// answer to that very request, or its deadline, on its own timer: no watchdogs, no Slack, no CLI flags.
// BullMQ and ioredis are loaded by import() when a request runs, so importing this costs nothing.
import { randomUUID } from 'node:crypto';
import type { CheckResult } from '../model/checks.js';
import { MemoryKeyValueStore } from '../store/memory-kv.js';
import type { CheckJob, ReportedJob, Requester } from './types.js';

export interface RequestOptions {
  redisUrl: string;
  cluster: string;
  prefix: string;
  deadlineSeconds: number;
}

/** Waiting for the consumer to connect longer than this means Redis is unreachable (bounded by the deadline too). */
const CONNECT_TIMEOUT_MS = 3000;
/** The agent answers before the deadline; this covers the last hop of an answer sent just in time. */
const ANSWER_GRACE_MS = 500;

/** One short-lived connection: is Redis there at all? Answers "unavailable" at once instead of starting BullMQ against nothing. */
export async function redisReachable(redisUrl: string, timeoutMs: number): Promise<boolean> {
  const { Redis } = await import('ioredis');
  const probe = new Redis(redisUrl, { lazyConnect: true, connectTimeout: timeoutMs, commandTimeout: timeoutMs, maxRetriesPerRequest: 0, enableOfflineQueue: false, retryStrategy: () => null });
  probe.on('error', () => undefined);
  try {
    await probe.connect();
    return (await probe.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    probe.disconnect();
  }
}

/** Pure: does a reported job answer the request of this correlation id? */
export function answersRequest(correlationId: string): (job: ReportedJob) => boolean {
  return (job) => job.requester.kind === 'cli' && job.requester.correlationId === correlationId;
}

/** Pure: what the requester hears when the queue cannot take its job. */
export function unavailableResult(cluster: string, jobId: string, message: string, now: number): CheckResult {
  return { v: 1, jobId, cluster, outcome: 'unavailable', findings: [], verdict: null, message, completedAt: now };
}

function delay<T>(ms: number, value: T): { promise: Promise<T>; cancel: () => void } {
  let timer: NodeJS.Timeout | undefined;
  const promise = new Promise<T>((resolve) => { timer = setTimeout(() => resolve(value), ms); });
  return { promise, cancel: () => clearTimeout(timer) };
}

/**
 * Submits the job `jobFor` builds (for this requester, at the time it is sent) and waits for the first
 * answer to this very request, or the job's deadline. Never throws for Redis trouble: an unreachable
 * queue is an `unavailable` result.
 */
export async function requestChecks(options: RequestOptions, jobFor: (requester: Requester, now: number) => CheckJob, now: () => number = Date.now): Promise<CheckResult> {
  const [{ BullMqDispatcher, UNAVAILABLE_REASON }, { startResultConsumer }, { noAgentResult }] = await Promise.all([
    import('./dispatcher.js'),
    import('./result-consumer.js'),
    import('./process-job.js'),
  ]);
  const correlationId = randomUUID();
  const unavailable = (jobId: string, message: string = UNAVAILABLE_REASON): CheckResult => unavailableResult(options.cluster, jobId, message, now());
  const connectMs = Math.min(CONNECT_TIMEOUT_MS, options.deadlineSeconds * 1000);
  if (!(await redisReachable(options.redisUrl, connectMs))) return unavailable('none');
  let answer!: (result: CheckResult) => void;
  const answered = new Promise<CheckResult>((resolve) => { answer = resolve; });
  // The requester waits on its own timer: no watchdog jobs queued, none run here.
  const dispatcher = new BullMqDispatcher({ redisUrl: options.redisUrl, prefix: options.prefix, watchdog: false });
  const consumer = startResultConsumer({
    redisUrl: options.redisUrl,
    prefix: options.prefix,
    reporter: { report: async (_job, result) => { answer(result); } },
    kv: new MemoryKeyValueStore(now),
    clusters: [options.cluster],
    accepts: answersRequest(correlationId),
    watchdogs: false,
  });
  const timers: Array<() => void> = [];
  try {
    // Follow the answers before asking, so an answer cannot slip by between submit and follow.
    const connect = delay(connectMs, false);
    timers.push(connect.cancel);
    const connected = await Promise.race([consumer.ready().then(() => true, () => false), connect.promise]);
    if (!connected) return unavailable('none');
    const job = jobFor({ kind: 'cli', correlationId }, now());
    const receipt = await dispatcher.submit(job);
    if (receipt.status === 'unavailable') return unavailable(receipt.jobId, receipt.reason);
    const deadline = delay(Math.max(0, job.deadline - now()) + ANSWER_GRACE_MS, null);
    timers.push(deadline.cancel);
    const result = await Promise.race([answered, deadline.promise]);
    if (result) return result;
    // Nobody took it and nobody should now: don't leave it waiting for an agent (a typo'd cluster, say).
    // A job an agent holds is locked, and removing it is refused: that one finishes and expires on its own.
    await dispatcher.queueFor(options.cluster).remove(receipt.jobId).catch(() => undefined);
    return noAgentResult(receipt.jobId, job, now());
  } finally {
    for (const cancel of timers) cancel();
    // Both close within seconds even when Redis went away meanwhile (see their close()).
    await Promise.all([consumer.close(), dispatcher.close()]);
  }
}
