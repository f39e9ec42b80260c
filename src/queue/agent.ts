import { hostname } from 'node:os';
import { Queue, UnrecoverableError, Worker, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import { pino } from 'pino';
import type { ReadOnlyKube } from '../kube/types.js';
import type { Logger } from '../log.js';
import { metrics } from '../metrics.js';
import type { PlaybookSet } from '../playbooks/load.js';
import { closeConnection, workerConnection } from './connections.js';
import { describeFailure } from './failure.js';
import { resultJobId } from './job-id.js';
import { DEFAULT_PREFIX, RESULTS_QUEUE, checkQueueName } from './names.js';
import { errorResult, isExpired, processCheckJob, recordResult, type CheckRunner } from './process-job.js';
import { DEFAULT_RETRY, shouldRetry } from './retry.js';
import { checkJobSchema, type CheckJob, type CheckResult, type ResultEnvelope } from './types.js';

// The agent runs inside one cluster with read-only credentials and a Redis connection, nothing
// else: no Slack token, no import of src/slack. It answers each check job of its cluster's queue by
// publishing a result on the results queue, which the bot consumes (at least once; see report-once).

export interface AgentOptions {
  redisUrl: string;
  cluster: string;
  kube: ReadOnlyKube;
  playbooks?: PlaybookSet;
  /** Jobs run at once; each mostly waits on the API server, so this can be well above the core count. */
  concurrency?: number;
  logger?: Logger;
  prefix?: string;
  /** Shown in results and logs; defaults to host/pid. */
  name?: string;
  runChecks?: CheckRunner;
  perCheckTimeoutMs?: number;
  /** BullMQ lock: a killed agent's job is taken over after about lockDuration + stalledInterval. */
  lockDuration?: number;
  stalledInterval?: number;
  /** Seconds a blocking fetch waits on an empty queue before looping. */
  drainDelay?: number;
  now?: () => number;
}

export interface Agent {
  readonly name: string;
  readonly cluster: string;
  /** Resolves when the worker is connected and taking jobs. */
  ready(): Promise<void>;
  /** Stops taking jobs, lets in-flight ones finish (each is bounded by its deadline), closes connections. */
  close(): Promise<void>;
}

interface AgentReturn {
  outcome: CheckResult['outcome'] | 'expired';
}

export function startAgent(options: AgentOptions): Agent {
  const logger = options.logger ?? pino({ level: 'silent' });
  const prefix = options.prefix ?? DEFAULT_PREFIX;
  const name = options.name ?? `${hostname()}/${process.pid}`;
  const now = options.now ?? Date.now;
  const log = logger.child({ agent: name, cluster: options.cluster });

  const workerRedis: Redis = workerConnection(options.redisUrl, log);
  // Publishing waits for Redis (offline queue on): a result must not be lost to a short outage.
  const publishRedis: Redis = workerConnection(options.redisUrl, log);
  const results = new Queue(RESULTS_QUEUE, { connection: publishRedis, prefix });
  results.on('error', (err: Error) => log.debug({ err: err.message }, 'results queue error'));

  const publish = async (job: CheckJob, result: CheckResult): Promise<void> => {
    const envelope: ResultEnvelope = { v: 1, job, result };
    await results.add('result', envelope, {
      jobId: resultJobId(result.jobId),
      attempts: 5,
      backoff: { type: 'exponential', delay: 1000 },
      removeOnComplete: { age: 3600 },
      removeOnFail: { age: 24 * 3600 },
    });
    recordResult(job, result);
  };

  const processor = async (bullJob: Job, _token?: string, signal?: AbortSignal): Promise<AgentReturn> => {
    const jobId = bullJob.id ?? 'unknown';
    const parsed = checkJobSchema.safeParse(bullJob.data);
    if (!parsed.success) {
      log.error({ jobId }, 'check job payload does not match schema v1 (bot and agent versions differ?)');
      throw new UnrecoverableError('invalid check job payload: upgrade the agent or the bot so their schema versions match');
    }
    const job = parsed.data;
    if (isExpired(job, now())) {
      // The watchdog has told the requester already; running now would only load the cluster.
      log.info({ jobId }, 'check job past its deadline; skipped');
      return { outcome: 'expired' };
    }
    const started = now();
    try {
      const { kube, playbooks, runChecks, perCheckTimeoutMs } = options;
      const result = await processCheckJob(jobId, job, { kube, playbooks, runChecks, perCheckTimeoutMs, agent: name, now }, signal);
      await publish(job, result);
      log.info({ jobId, outcome: result.outcome, ms: now() - started, attempt: bullJob.attemptsMade + 1 }, 'check job answered');
      return { outcome: result.outcome };
    } catch (err) {
      const attemptsMade = bullJob.attemptsMade + 1;
      const policy = { attempts: bullJob.opts.attempts ?? 1, backoffMs: backoffOf(bullJob) };
      if (shouldRetry(err, attemptsMade, policy, now(), job.deadline)) {
        metrics.retries.inc({ cluster: job.cluster });
        log.warn({ jobId, attempt: attemptsMade, err: describeFailure(err) }, 'check job failed (transient); will retry');
        throw err;
      }
      log.error({ jobId, attempt: attemptsMade, err: describeFailure(err) }, 'check job failed; answering with the error');
      await publish(job, errorResult(jobId, job, name, describeFailure(err), now()));
      throw new UnrecoverableError(describeFailure(err));
    }
  };

  const worker = new Worker(checkQueueName(options.cluster), processor, {
    connection: workerRedis,
    prefix,
    concurrency: options.concurrency ?? 8,
    lockDuration: options.lockDuration ?? 30_000,
    stalledInterval: options.stalledInterval ?? 30_000,
    // A second stall still gets one more try; after that the deadline watchdog answers.
    maxStalledCount: 2,
    drainDelay: options.drainDelay ?? 5,
    removeOnComplete: { age: 3600, count: 10_000 },
    removeOnFail: { age: 24 * 3600 },
  });
  worker.on('error', (err: Error) => log.warn({ err: err.message }, 'worker error'));
  worker.on('stalled', (jobId: string) => log.warn({ jobId }, 'check job stalled (its agent died?); re-queued'));

  let closing: Promise<void> | undefined;
  return {
    name,
    cluster: options.cluster,
    ready: async () => {
      await worker.waitUntilReady();
    },
    close: () => {
      closing ??= (async () => {
        log.info('agent stopping: finishing in-flight checks');
        await worker.close();
        await results.close();
        await Promise.all([closeConnection(workerRedis), closeConnection(publishRedis)]);
        log.info('agent stopped');
      })();
      return closing;
    },
  };
}

function backoffOf(job: Job): number {
  const backoff = job.opts.backoff;
  if (typeof backoff === 'number') return backoff;
  return backoff?.delay ?? DEFAULT_RETRY.backoffMs;
}
