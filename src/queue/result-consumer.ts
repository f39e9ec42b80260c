// Why a composer: both ways an answer reaches the reporter (src/queue/answers-follower.ts, fast;
// src/queue/deadline-watchdog.ts, durable) go through one exactly-once guard (src/queue/report-once.ts),
// so whichever comes first is reported and the other dropped. Runs in every bot replica and in
// `diagnose --via-queue`.
import { pino } from 'pino';
import type { Logger } from '../log.js';
import type { CheckResult } from '../model/checks.js';
import type { KeyValueStore } from '../store/kv.js';
import { followAnswers } from './answers-follower.js';
import { closeWithin } from './connections.js';
import { startDeadlineWatchdog } from './deadline-watchdog.js';
import { DEFAULT_PREFIX } from './names.js';
import { ReportOnce, type DeliveryOutcome } from './report-once.js';
import type { ReportedJob, ResultReporter } from './types.js';

export interface ResultConsumerOptions {
  redisUrl: string;
  reporter: ResultReporter;
  /** Shared by all replicas (RedisKeyValueStore) so the guard holds across them. */
  kv: KeyValueStore;
  /** Clusters to follow from the start; `watch()` adds more (the dispatcher's new queues). */
  clusters?: readonly string[];
  /** Which requesters this consumer answers (the bot: Slack; the CLI: its own request). Default: all. */
  accepts?: (job: ReportedJob) => boolean;
  /** Run the deadline watchdogs (default). The CLI waits on its own timer instead. */
  watchdogs?: boolean;
  prefix?: string;
  logger?: Logger;
  /** Deadline seconds handled at once. */
  concurrency?: number;
  drainDelay?: number;
  now?: () => number;
}

export interface ResultConsumer {
  /** Follows one more cluster's answers (idempotent). */
  watch(cluster: string): void;
  /** Resolves when the watchdog worker and every followed cluster's event reader are connected. */
  ready(): Promise<void>;
  close(): Promise<void>;
}

/** How long close() waits for BullMQ before dropping the sockets (it waits forever for a Redis that is down). */
const CLOSE_GRACE_MS = 2000;

export function startResultConsumer(options: ResultConsumerOptions): ResultConsumer {
  const logger = options.logger ?? pino({ level: 'silent' });
  const prefix = options.prefix ?? DEFAULT_PREFIX;
  const now = options.now ?? Date.now;
  const accepts = options.accepts ?? (() => true);
  const once = new ReportOnce(options.kv, options.reporter, logger);
  const deliver = async (job: ReportedJob, result: CheckResult): Promise<DeliveryOutcome | 'not-ours'> => {
    if (!accepts(job)) return 'not-ours';
    return once.deliver(job, result);
  };
  let closing: Promise<void> | undefined;

  const follower = followAnswers({ redisUrl: options.redisUrl, prefix, logger, now, deliver });
  for (const cluster of options.clusters ?? []) follower.watch(cluster);
  const watchdog = options.watchdogs === false ? undefined : startDeadlineWatchdog({
    redisUrl: options.redisUrl, prefix, kv: options.kv, logger, now, deliver, concurrency: options.concurrency, drainDelay: options.drainDelay,
  });

  return {
    watch: (cluster) => follower.watch(cluster),
    ready: async () => {
      await Promise.all([watchdog?.ready(), follower.ready()]);
    },
    close: () => {
      closing ??= (async () => {
        // Reports under way finish first (bounded), so a stopping replica leaves no claim pending.
        await follower.stop(CLOSE_GRACE_MS * 5);
        const connections = [...(watchdog?.connections() ?? []), ...follower.connections()];
        const closeBullMq = async (): Promise<void> => {
          await watchdog?.closeWorker();
          await Promise.allSettled([follower.close(), watchdog?.closeLookups()]);
        };
        if (!(await closeWithin(closeBullMq, connections, CLOSE_GRACE_MS))) {
          logger.warn('Redis did not answer while closing; dropped the connections');
        }
      })();
      return closing;
    },
  };
}
