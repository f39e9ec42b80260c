import { Job, Queue, QueueEvents, UnrecoverableError, Worker, type QueueEventsListener } from 'bullmq';
import type { Redis } from 'ioredis';
import { pino } from 'pino';
import type { Logger } from '../log.js';
import type { KeyValueStore } from '../store/kv.js';
import { closeWithin, settlesWithin, workerConnection } from './connections.js';
import { describeFailure } from './failure.js';
import { parseDeadlineMember } from './job-id.js';
import { ANSWER_EVENT, DEADLINES_QUEUE, DEFAULT_PREFIX, MAX_FOLLOWED_CLUSTERS, answersStreamName, checkQueueName, deadlineBucketKey } from './names.js';
import { errorResult, noAgentResult } from './process-job.js';
import { REPORT_PENDING, ReportOnce, resultGuardKey } from './report-once.js';
import { checkJobSchema, deadlineBucketSchema, reportedJob, resultEnvelopeSchema, type CheckResult, type ReportedJob, type ResultReporter } from './types.js';

// Runs in every bot replica (and in `diagnose --via-queue`). Two ways an answer reaches the reporter,
// both through one exactly-once guard, so whichever comes first is reported and the other dropped:
// - fast: each followed cluster's answers stream (BullMQ QueueEvents), where agents announce each
//   answer the moment the checks finish: one Redis hop. Every replica reads every answer; the guard
//   picks one reporter.
// - durable: the delayed watchdog on the deadlines queue (one per second of deadlines). At a
//   request's deadline it reports what the check job holds by then (its returned answer, its failure,
//   or "no agent"), so an answer whose announcement was missed (replica restarting, stream trimmed)
//   is reported late rather than never.

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

type Handled = 'reported' | 'duplicate' | 'never-queued' | 'not-ours';

/** The agents' custom event (src/queue/agent.ts): the envelope travels as JSON text. */
interface AnswerListener extends QueueEventsListener {
  [ANSWER_EVENT]: (args: { jobId?: string; envelope?: string }, id: string) => void;
}

function parseAnswer(envelope: string | undefined): ReturnType<typeof resultEnvelopeSchema.safeParse> | undefined {
  if (envelope === undefined) return undefined;
  try {
    return resultEnvelopeSchema.safeParse(JSON.parse(envelope));
  } catch {
    return undefined;
  }
}

/** A newly followed stream is read from this far back: answers that landed just before are not missed. */
const EVENT_LOOKBACK_MS = 60_000;
/** How long close() waits for BullMQ before dropping the sockets (it waits forever for a Redis that is down). */
const CLOSE_GRACE_MS = 2000;
/** A failing reporter (Slack down) is tried again this often before the watchdog's last try. */
const REPORT_RETRY_DELAYS_MS = [1000, 2000, 4000];

export function startResultConsumer(options: ResultConsumerOptions): ResultConsumer {
  const logger = options.logger ?? pino({ level: 'silent' });
  const prefix = options.prefix ?? DEFAULT_PREFIX;
  const now = options.now ?? Date.now;
  const accepts = options.accepts ?? (() => true);
  const once = new ReportOnce(options.kv, options.reporter, logger);
  const lookupRedis: Redis = workerConnection(options.redisUrl, logger);
  const followed = new Map<string, { events: QueueEvents; connection: Redis }>();
  const lookups = new Map<string, Queue>();
  const retries = new Set<NodeJS.Timeout>();
  /** Reports under way from the answers streams: close() lets them finish. */
  const reporting = new Set<Promise<unknown>>();
  let closing: Promise<void> | undefined;

  const deliver = async (job: ReportedJob, result: CheckResult): Promise<Handled> => {
    if (!accepts(job)) return 'not-ours';
    return once.deliver(job, result);
  };

  /** Reports an event's answer; a failing reporter is retried a few times, then left to the watchdog. */
  const deliverSoon = (job: ReportedJob, result: CheckResult, attempt = 0): void => {
    const delivery = deliver(job, result).catch((err: unknown) => {
      const delay = REPORT_RETRY_DELAYS_MS[attempt];
      logger.warn({ jobId: result.jobId, attempt: attempt + 1, err: describeFailure(err) }, delay === undefined
        ? 'reporting a result failed; the deadline watchdog tries once more'
        : 'reporting a result failed; trying again');
      if (delay === undefined || closing) return;
      const timer = setTimeout(() => {
        retries.delete(timer);
        deliverSoon(job, result, attempt + 1);
      }, delay);
      retries.add(timer);
    });
    reporting.add(delivery);
    void delivery.finally(() => reporting.delete(delivery));
  };

  /** For the watchdog: reading a cluster's check jobs. */
  const checkQueue = (cluster: string): Queue => {
    let queue = lookups.get(cluster);
    if (!queue) {
      queue = new Queue(checkQueueName(cluster), { connection: lookupRedis, prefix });
      queue.on('error', (err: Error) => logger.debug({ err: err.message }, 'check queue error'));
      lookups.set(cluster, queue);
    }
    return queue;
  };

  const unfollowed = new Set<string>();
  const watch = (cluster: string): void => {
    if (followed.has(cluster) || closing) return;
    if (followed.size >= MAX_FOLLOWED_CLUSTERS) {
      if (unfollowed.size < MAX_FOLLOWED_CLUSTERS && !unfollowed.has(cluster)) {
        unfollowed.add(cluster);
        logger.warn({ cluster, max: MAX_FOLLOWED_CLUSTERS }, 'following no more clusters; answers for this one arrive at its deadline');
      }
      return;
    }
    let streamName: string;
    try {
      streamName = answersStreamName(cluster);
    } catch (err) {
      logger.warn({ cluster, err: describeFailure(err) }, 'not following a cluster with an invalid name');
      return;
    }
    const connection = workerConnection(options.redisUrl, logger);
    const events = new QueueEvents(streamName, {
      connection,
      prefix,
      // Stream ids start with a millisecond timestamp: read from a minute back.
      lastEventId: `${now() - EVENT_LOOKBACK_MS}-0`,
    });
    events.on('error', (err: Error) => logger.debug({ cluster, err: err.message }, 'event stream error (reconnecting)'));
    events.on<AnswerListener, typeof ANSWER_EVENT>(ANSWER_EVENT, ({ jobId, envelope }: { jobId?: string; envelope?: string }) => {
      const answer = parseAnswer(envelope);
      if (!answer?.success) return logger.warn({ jobId }, 'unreadable answer on the answers stream (agent and bot versions differ?); the deadline watchdog answers');
      deliverSoon(answer.data.job, answer.data.result);
    });
    followed.set(cluster, { events, connection });
    logger.debug({ cluster }, 'following the answers of a cluster');
  };

  /** One request at its deadline: report what its check job holds now, unless something was reported. */
  const settle = async (member: string, firstLook: boolean): Promise<Handled> => {
    const where = parseDeadlineMember(member);
    if (!where) return 'never-queued';
    const { cluster, jobId } = where;
    // Reported already (the usual case): one read, no lookup.
    const claim = await options.kv.get(resultGuardKey(jobId));
    // Being reported right now: BullMQ retries this second's watchdog, and by then it is settled
    // either way (reported, released by a failed report, or expired with a dead replica).
    if (claim === REPORT_PENDING) throw new Error(`the answer to ${jobId} is being reported; looking again later`);
    if (claim !== null) return 'duplicate';
    const checkJob = await Job.fromId(checkQueue(cluster), jobId);
    if (!checkJob) {
      // Never landed (the requester heard "unavailable" at submit) or already trimmed away.
      logger.info({ jobId }, 'no check job at its deadline; nothing to report');
      return 'never-queued';
    }
    const parsed = checkJobSchema.safeParse(checkJob.data);
    if (!parsed.success) {
      logger.warn({ jobId }, 'a check job past its deadline has an unreadable payload (bot versions differ?); nobody can be told');
      return 'not-ours';
    }
    const job = reportedJob(parsed.data);
    if (checkJob.finishedOn) {
      const answer = resultEnvelopeSchema.safeParse(checkJob.returnvalue);
      if (answer.success) return deliver(answer.data.job, answer.data.result);
      if (checkJob.failedReason) return deliver(job, errorResult(jobId, job, undefined, checkJob.failedReason, now()));
      return deliver(job, noAgentResult(jobId, job, now()));
    }
    const state = await checkJob.getState();
    // It finished between the two reads: read it again on the next look rather than guess.
    if (state === 'completed' || state === 'failed') throw new Error(`${jobId} finished while being looked at; looking again`);
    if (state === 'active') {
      // An answer finished at the deadline may be a moment from landing: look once more before saying so.
      if (firstLook) throw new Error(`the checks of ${jobId} are still running at the deadline; looking again`);
      // An agent took it and neither answered nor let go: stuck, or killed with its lock still held.
      return deliver(job, { ...noAgentResult(jobId, job, now(), `an agent started the checks for cluster ${job.cluster} but did not answer by the deadline (it may have stopped)`), outcome: 'timeout' });
    }
    if (checkJob.failedReason) {
      return deliver(job, errorResult(jobId, job, undefined, `${checkJob.failedReason} (still failing at the deadline)`, now()));
    }
    const handled = await deliver(job, noAgentResult(jobId, job, now()));
    // Nobody took it, and past its deadline nobody should: don't leave it waiting for an agent forever.
    await checkJob.remove().catch(() => undefined);
    return handled;
  };

  /** A deadline second's watchdog: settles every request of that second; BullMQ retries it if Redis fails midway. */
  const atDeadline = async (bullJob: Job): Promise<Record<Handled, number>> => {
    if (bullJob.name !== 'deadline') throw new UnrecoverableError(`unknown deadlines job "${bullJob.name}"`);
    const parsed = deadlineBucketSchema.safeParse(bullJob.data);
    if (!parsed.success) throw new UnrecoverableError('invalid deadline payload: upgrade the bot replicas to one version');
    const members = await lookupRedis.smembers(deadlineBucketKey(prefix, parsed.data.bucket));
    const counts: Record<Handled, number> = { reported: 0, duplicate: 0, 'never-queued': 0, 'not-ours': 0 };
    const failures: unknown[] = [];
    const firstLook = bullJob.attemptsMade === 0;
    for (const settled of await Promise.allSettled(members.map((m) => settle(m, firstLook)))) {
      if (settled.status === 'fulfilled') counts[settled.value]++;
      else failures.push(settled.reason);
    }
    if (failures.length > 0) {
      if (bullJob.attemptsMade + 1 >= (bullJob.opts.attempts ?? 1)) {
        logger.error({ bucket: parsed.data.bucket, unsettled: failures.length, err: describeFailure(failures[0]) }, 'giving up on requests at this deadline: their requesters get no check results');
      }
      throw new Error(`${failures.length} of ${members.length} requests at this deadline could not be settled: ${describeFailure(failures[0])}`);
    }
    return counts;
  };

  for (const cluster of options.clusters ?? []) watch(cluster);

  const watchdogRedis = options.watchdogs === false ? undefined : workerConnection(options.redisUrl, logger);
  const worker = watchdogRedis && new Worker(DEADLINES_QUEUE, atDeadline, {
    connection: watchdogRedis,
    prefix,
    concurrency: options.concurrency ?? 16,
    drainDelay: options.drainDelay ?? 5,
    removeOnComplete: { age: 3600, count: 10_000 },
    removeOnFail: { age: 24 * 3600 },
  });
  worker?.on('error', (err: Error) => logger.warn({ err: err.message }, 'deadline watchdog error'));
  worker?.on('failed', (job: Job | undefined, err: Error) =>
    logger.warn({ jobId: job?.id, err: err.message }, 'a deadline watchdog failed; BullMQ retries it'),
  );

  return {
    watch,
    ready: async () => {
      await Promise.all([worker?.waitUntilReady(), ...[...followed.values()].map((f) => f.events.waitUntilReady())]);
    },
    close: () => {
      closing ??= (async () => {
        for (const t of retries) clearTimeout(t);
        // Reports under way finish first (bounded), so a stopping replica leaves no claim pending.
        await settlesWithin(Promise.allSettled([...reporting]), CLOSE_GRACE_MS * 5);
        const connections = [lookupRedis, ...(watchdogRedis ? [watchdogRedis] : []), ...[...followed.values()].map((f) => f.connection)];
        const closeBullMq = async (): Promise<void> => {
          await worker?.close();
          await Promise.allSettled([...[...followed.values()].map((f) => f.events.close()), ...[...lookups.values()].map((q) => q.close())]);
        };
        if (!(await closeWithin(closeBullMq, connections, CLOSE_GRACE_MS))) {
          logger.warn('Redis did not answer while closing; dropped the connections');
        }
      })();
      return closing;
    },
  };
}
