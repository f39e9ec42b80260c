import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { pino } from 'pino';
import { ErrorCode, HelmTriageError } from '../errors.js';
import type { Logger } from '../log.js';
import { metrics, trackQueueDepth } from '../metrics.js';
import { closeConnection, producerConnection } from './connections.js';
import { describeFailure } from './failure.js';
import { DEFAULT_DEDUP_WINDOW_MS, agentJobId, deadlineBucket, deadlineBucketJobId, deadlineMember, dispatchMarkerTtlMs } from './job-id.js';
import { DEADLINES_QUEUE, DEFAULT_PREFIX, MAX_FOLLOWED_CLUSTERS, checkQueueName, deadlineBucketKey, dispatchKey } from './names.js';
import { DEFAULT_RETRY, type RetryPolicy } from './retry.js';
import { agentJobSchema, isRollbackJob, jobLogFields, type AgentJob, type CheckDispatcher, type DeadlineBucket, type SubmitReceipt } from './types.js';

// The bot's side of the queue: one BullMQ queue per cluster (`checks-<cluster>`), plus the request's
// place in a deadline bucket: a Redis set per second of deadlines with one delayed watchdog job on the
// deadlines queue, which at that second reports whatever each request's answer is by then ("no
// agent" if there is none), unless it was reported already.

export const UNAVAILABLE_REASON = 'cluster checks unavailable (queue unreachable)';

export interface BullMqDispatcherOptions {
  redisUrl: string;
  /** Prefix of the queue keys (QUEUE_PREFIX). */
  prefix?: string;
  logger?: Logger;
  dedupWindowMs?: number;
  retry?: RetryPolicy;
  /** A submit that takes longer than this answers "unavailable" (Redis half-open or overloaded). */
  submitTimeoutMs?: number;
  /** How long finished check jobs stay (their ids keep deduplicating). */
  keepFinishedSeconds?: number;
  /**
   * Put each request under a deadline watchdog (default). A bot replica's result consumer runs them;
   * a requester that waits on its own (the CLI) turns them off and keeps its own timer.
   */
  watchdog?: boolean;
  now?: () => number;
}

/** A submit that ran past its budget (Redis slow or gone): the requester hears "queue unreachable". */
class SubmitTimeout extends HelmTriageError {
  constructor(timeoutMs: number) {
    super(ErrorCode.QueueUnavailable, `submit took longer than ${timeoutMs} ms: Redis is slow or unreachable; the text diagnosis stands, re-run the checks when Redis answers`);
    this.name = 'SubmitTimeout';
  }
}

export class BullMqDispatcher implements CheckDispatcher {
  private readonly connection: Redis;
  private readonly queues = new Map<string, Queue>();
  private readonly untrack: Array<() => void> = [];
  private readonly queueListeners: Array<(cluster: string) => void> = [];
  private readonly deadlines: Queue;
  /** Deadline seconds this dispatcher has already armed a watchdog (and set the expiry) for. */
  private readonly armed = new Set<number>();
  private readonly prefix: string;
  private readonly logger: Logger;
  private readonly now: () => number;
  private closed = false;

  constructor(private readonly options: BullMqDispatcherOptions) {
    this.prefix = options.prefix ?? DEFAULT_PREFIX;
    this.logger = options.logger ?? pino({ level: 'silent' });
    this.now = options.now ?? Date.now;
    this.connection = producerConnection(options.redisUrl, this.logger, options.submitTimeoutMs ?? 2000);
    this.deadlines = this.makeQueue(DEADLINES_QUEUE);
    // A Redis that came back may have lost the watchdogs armed before: arm again.
    this.connection.on('ready', () => this.armed.clear());
  }

  private makeQueue(name: string): Queue {
    // skipVersionCheck: BullMQ's start-up INFO would fail on a fail-fast connection while Redis is
    // down and leave the Queue broken for good; without it the Queue works as soon as Redis returns.
    const queue = new Queue(name, { connection: this.connection, prefix: this.prefix, skipWaitingForReady: true, skipVersionCheck: true });
    queue.on('error', (err: Error) => this.logger.debug({ queue: name, err: err.message }, 'queue error'));
    return queue;
  }

  /** Calls `listener` for every cluster this dispatcher queues for, now and later (the result consumer follows them). */
  onQueue(listener: (cluster: string) => void): void {
    this.queueListeners.push(listener);
    for (const cluster of this.queues.keys()) listener(cluster);
  }

  /** The queue of one cluster, created on first use. */
  queueFor(cluster: string): Queue {
    let queue = this.queues.get(cluster);
    if (!queue) {
      queue = this.makeQueue(checkQueueName(cluster));
      this.queues.set(cluster, queue);
      for (const listener of this.queueListeners) listener(cluster);
      const q = queue;
      // Metric labels stay bounded however many cluster names users type.
      if (this.untrack.length < MAX_FOLLOWED_CLUSTERS) {
        this.untrack.push(trackQueueDepth(cluster, async () => {
          const c = await q.getJobCounts('waiting', 'active', 'delayed');
          return { waiting: c.waiting ?? 0, active: c.active ?? 0, delayed: c.delayed ?? 0 };
        }));
      }
    }
    return queue;
  }

  async submit(input: AgentJob): Promise<SubmitReceipt> {
    const job = agentJobSchema.parse(input);
    const jobId = agentJobId(job, this.options.dedupWindowMs ?? DEFAULT_DEDUP_WINDOW_MS);
    if (this.closed) return this.unavailable(job, jobId, new Error('dispatcher closed'));
    const timeoutMs = this.options.submitTimeoutMs ?? 2000;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new SubmitTimeout(timeoutMs)), timeoutMs);
    });
    try {
      const receipt = await Promise.race([this.enqueue(job, jobId), timeout]);
      metrics.submissions.inc({ cluster: job.cluster, status: receipt.status });
      this.logger.info({ jobId, cluster: job.cluster, status: receipt.status, ...jobLogFields(job) }, 'check job submitted');
      return receipt;
    } catch (err) {
      return this.unavailable(job, jobId, err);
    } finally {
      clearTimeout(timer);
    }
  }

  private unavailable(job: AgentJob, jobId: string, err: unknown): SubmitReceipt {
    metrics.submissions.inc({ cluster: job.cluster, status: 'unavailable' });
    this.logger.warn({ jobId, cluster: job.cluster, err: describeFailure(err) }, 'check job not queued: queue unreachable');
    return { status: 'unavailable', jobId, reason: UNAVAILABLE_REASON };
  }

  /** On start-up the first connect takes a moment; an outage ('reconnecting', 'end') fails at once. */
  private async connected(): Promise<void> {
    const status = this.connection.status;
    if (status === 'ready' || (status !== 'wait' && status !== 'connecting' && status !== 'connect')) return;
    await new Promise<void>((resolve) => {
      const done = (): void => {
        this.connection.off('ready', done);
        this.connection.off('close', done);
        resolve();
      };
      this.connection.once('ready', done);
      this.connection.once('close', done);
    });
  }

  private async enqueue(job: AgentJob, jobId: string): Promise<SubmitReceipt> {
    await this.connected();
    const queue = this.queueFor(job.cluster);
    const window = this.options.dedupWindowMs ?? DEFAULT_DEDUP_WINDOW_MS;
    const keepMs = dispatchMarkerTtlMs(job.deadline, this.now(), window);
    const retry = this.options.retry ?? DEFAULT_RETRY;
    const keep = this.options.keepFinishedSeconds ?? 3600;
    const bucket = deadlineBucket(job.deadline);
    const watchdog: DeadlineBucket = { v: 1, bucket };
    const arming = this.options.watchdog !== false && !this.armed.has(bucket);
    // The writes go out together (one auto-pipelined round trip), the check job first so an agent
    // can start on it soonest. Each is idempotent: the marker only tells a duplicate apart, and
    // re-adding an existing job id is a BullMQ no-op, so a duplicate also repairs a first submit that
    // failed halfway. If the check job fails to land, the watchdog finds no job at the deadline and
    // stays silent (the requester heard "unavailable").
    const [marker, ...adds] = await Promise.allSettled([
      this.connection.set(dispatchKey(this.prefix, jobId), '1', 'PX', keepMs, 'NX'),
      // The job name says the kind (`check` or `rollback-plan`); the payload's schema decides.
      queue.add(isRollbackJob(job) ? job.kind : 'check', job, {
        jobId,
        attempts: retry.attempts,
        backoff: { type: 'exponential', delay: retry.backoffMs },
        removeOnComplete: { age: keep, count: 10_000 },
        removeOnFail: { age: 24 * 3600 },
      }),
      ...(this.options.watchdog === false ? [] : [
        this.connection.sadd(deadlineBucketKey(this.prefix, bucket), deadlineMember(job.cluster, jobId)),
        // The second's one watchdog, armed once per dispatcher (re-adding it is a BullMQ no-op anyway).
        ...(arming ? [
          this.connection.pexpire(deadlineBucketKey(this.prefix, bucket), keepMs + keep * 1000),
          this.deadlines.add('deadline', watchdog, {
            jobId: deadlineBucketJobId(bucket),
            delay: Math.max(0, bucket * 1000 - this.now()),
            // Tries for about eight minutes (1 s doubling): well past a pending report claim's expiry.
            attempts: 10,
            backoff: { type: 'exponential', delay: 1000 },
            removeOnComplete: { age: keep },
            removeOnFail: { age: 24 * 3600 },
          }),
        ] : []),
      ]),
    ]);
    if (arming) {
      if (adds.every((r) => r.status === 'fulfilled')) this.armed.add(bucket);
      // Seconds already past need no memory.
      const past = Math.floor(this.now() / 1000);
      for (const b of this.armed) if (b < past) this.armed.delete(b);
    }
    const setByUs = marker.status === 'fulfilled' && marker.value === 'OK';
    const failure = [marker, ...adds].find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failure) {
      // Free the marker only if this submit set it, so the same request can be queued once Redis answers.
      if (setByUs) this.connection.del(dispatchKey(this.prefix, jobId)).catch(() => undefined);
      const reason: unknown = failure.reason;
      throw reason;
    }
    return { status: setByUs ? 'queued' : 'duplicate', jobId };
  }


  /** True when Redis answers (for /readyz). */
  async ping(): Promise<boolean> {
    try {
      return (await this.connection.ping()) === 'PONG';
    } catch {
      return false;
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const untrack of this.untrack) untrack();
    await Promise.allSettled([...this.queues.values(), this.deadlines].map((q) => q.close()));
    await closeConnection(this.connection);
  }
}
