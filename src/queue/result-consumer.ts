import { Queue, UnrecoverableError, Worker, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import { pino } from 'pino';
import type { Logger } from '../log.js';
import type { KeyValueStore } from '../store/kv.js';
import { closeConnection, workerConnection } from './connections.js';
import { DEFAULT_PREFIX, RESULTS_QUEUE, checkQueueName } from './names.js';
import { noAgentResult } from './process-job.js';
import { ReportOnce } from './report-once.js';
import { deadlineEnvelopeSchema, resultEnvelopeSchema, type ResultReporter } from './types.js';

// Runs in every bot replica. Consumes the results queue: agents' answers ('result') and the
// dispatcher's delayed watchdogs ('deadline'). Both go through one exactly-once guard, so whichever
// arrives first is reported and the other is dropped, on whichever replica it lands.

export interface ResultConsumerOptions {
  redisUrl: string;
  reporter: ResultReporter;
  /** Shared by all replicas (RedisKeyValueStore) so the guard holds across them. */
  kv: KeyValueStore;
  prefix?: string;
  logger?: Logger;
  /** Reports handled at once (each is mostly a Slack API call). */
  concurrency?: number;
  drainDelay?: number;
  now?: () => number;
}

export interface ResultConsumer {
  ready(): Promise<void>;
  close(): Promise<void>;
}

type Handled = 'reported' | 'duplicate' | 'never-queued';

export function startResultConsumer(options: ResultConsumerOptions): ResultConsumer {
  const logger = options.logger ?? pino({ level: 'silent' });
  const prefix = options.prefix ?? DEFAULT_PREFIX;
  const now = options.now ?? Date.now;
  const once = new ReportOnce(options.kv, options.reporter, logger);
  const redis: Redis = workerConnection(options.redisUrl, logger);
  const lookupRedis: Redis = workerConnection(options.redisUrl, logger);
  const checkQueues = new Map<string, Queue>();

  const checkQueue = (cluster: string): Queue => {
    let queue = checkQueues.get(cluster);
    if (!queue) {
      queue = new Queue(checkQueueName(cluster), { connection: lookupRedis, prefix });
      queue.on('error', (err: Error) => logger.debug({ err: err.message }, 'check queue error'));
      checkQueues.set(cluster, queue);
    }
    return queue;
  };

  const processor = async (job: Job): Promise<Handled> => {
    if (job.name === 'result') {
      const parsed = resultEnvelopeSchema.safeParse(job.data);
      if (!parsed.success) throw new UnrecoverableError('invalid result payload: upgrade the agent or the bot so their schema versions match');
      return once.deliver(parsed.data.job, parsed.data.result);
    }
    if (job.name === 'deadline') {
      const parsed = deadlineEnvelopeSchema.safeParse(job.data);
      if (!parsed.success) throw new UnrecoverableError('invalid deadline payload: upgrade the bot replicas to one version');
      const { jobId, job: checkJob } = parsed.data;
      // The watchdog is queued before its check job; if the check job never made it, the requester
      // was told "unavailable" at submit time and must not hear "no agent" now.
      if ((await checkQueue(checkJob.cluster).getJobState(jobId)) === 'unknown') {
        logger.debug({ jobId }, 'deadline for a job that was never queued; ignored');
        return 'never-queued';
      }
      return once.deliver(checkJob, noAgentResult(jobId, checkJob, now()));
    }
    throw new UnrecoverableError(`unknown results job "${job.name}"`);
  };

  const worker = new Worker(RESULTS_QUEUE, processor, {
    connection: redis,
    prefix,
    concurrency: options.concurrency ?? 16,
    drainDelay: options.drainDelay ?? 5,
    removeOnComplete: { age: 3600, count: 10_000 },
    removeOnFail: { age: 24 * 3600 },
  });
  worker.on('error', (err: Error) => logger.warn({ err: err.message }, 'result consumer error'));
  worker.on('failed', (job: Job | undefined, err: Error) =>
    logger.warn({ jobId: job?.id, kind: job?.name, err: err.message }, 'reporting a result failed; BullMQ retries it'),
  );

  let closing: Promise<void> | undefined;
  return {
    ready: async () => {
      await worker.waitUntilReady();
    },
    close: () => {
      closing ??= (async () => {
        await worker.close();
        await Promise.allSettled([...checkQueues.values()].map((q) => q.close()));
        await Promise.all([closeConnection(redis), closeConnection(lookupRedis)]);
      })();
      return closing;
    },
  };
}
