// Why apart: the durable way an answer reaches the reporter. At a request's deadline the delayed watchdog
// (one job per second of deadlines) reports what the check job holds by then, so an answer whose
// announcement was missed (replica restarting, stream trimmed) is reported late rather than never.
import { Job, Queue, UnrecoverableError, Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Logger } from '../log.js';
import type { CheckResult } from '../model/checks.js';
import type { KeyValueStore } from '../store/kv.js';
import { workerConnection } from './connections.js';
import { describeFailure } from './failure.js';
import { parseDeadlineMember } from './job-id.js';
import { DEADLINES_QUEUE, checkQueueName, deadlineBucketKey } from './names.js';
import { errorResult, noAgentResult } from './process-job.js';
import { REPORT_PENDING, resultGuardKey, type DeliveryOutcome } from './report-once.js';
import { agentJobSchema, deadlineBucketSchema, reportedJob, resultEnvelopeSchema, type ReportedJob } from './types.js';

/** What became of one request at its deadline. */
export type Settled = DeliveryOutcome | 'never-queued' | 'not-ours';

export interface DeadlineWatchdogOptions {
  redisUrl: string;
  prefix: string;
  /** Where the exactly-once guard keeps its claims (read here to skip what was reported already). */
  kv: KeyValueStore;
  logger: Logger;
  now: () => number;
  /** Reports one answer through the exactly-once guard ('not-ours': another requester's). */
  deliver: (job: ReportedJob, result: CheckResult) => Promise<DeliveryOutcome | 'not-ours'>;
  /** Deadline seconds handled at once. */
  concurrency?: number;
  drainDelay?: number;
}

export interface DeadlineWatchdog {
  /** Resolves when the watchdog worker is connected. */
  ready(): Promise<void>;
  /** Stops taking deadlines and waits for the ones under way. */
  closeWorker(): Promise<void>;
  /** Closes the check-queue readers (after closeWorker()). */
  closeLookups(): Promise<unknown>;
  /** Its Redis connections, for the caller to quit or drop. */
  connections(): Redis[];
}

export function startDeadlineWatchdog(options: DeadlineWatchdogOptions): DeadlineWatchdog {
  const { logger, prefix, now, deliver, kv } = options;
  const lookupRedis: Redis = workerConnection(options.redisUrl, logger);
  const lookups = new Map<string, Queue>();

  /** Reading a cluster's check jobs. */
  const checkQueue = (cluster: string): Queue => {
    let queue = lookups.get(cluster);
    if (!queue) {
      queue = new Queue(checkQueueName(cluster), { connection: lookupRedis, prefix });
      queue.on('error', (err: Error) => logger.debug({ err: err.message }, 'check queue error'));
      lookups.set(cluster, queue);
    }
    return queue;
  };

  /** One request at its deadline: report what its check job holds now, unless something was reported. */
  const settle = async (member: string, firstLook: boolean): Promise<Settled> => {
    const where = parseDeadlineMember(member);
    if (!where) return 'never-queued';
    const { cluster, jobId } = where;
    // Reported already (the usual case): one read, no lookup.
    const claim = await kv.get(resultGuardKey(jobId));
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
    const parsed = agentJobSchema.safeParse(checkJob.data);
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
  const atDeadline = async (bullJob: Job): Promise<Record<Settled, number>> => {
    if (bullJob.name !== 'deadline') throw new UnrecoverableError(`unknown deadlines job "${bullJob.name}"`);
    const parsed = deadlineBucketSchema.safeParse(bullJob.data);
    if (!parsed.success) throw new UnrecoverableError('invalid deadline payload: upgrade the bot replicas to one version');
    const members = await lookupRedis.smembers(deadlineBucketKey(prefix, parsed.data.bucket));
    const counts: Record<Settled, number> = { reported: 0, duplicate: 0, 'never-queued': 0, 'not-ours': 0 };
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

  const watchdogRedis = workerConnection(options.redisUrl, logger);
  const worker = new Worker(DEADLINES_QUEUE, atDeadline, {
    connection: watchdogRedis,
    prefix,
    concurrency: options.concurrency ?? 16,
    drainDelay: options.drainDelay ?? 5,
    removeOnComplete: { age: 3600, count: 10_000 },
    removeOnFail: { age: 24 * 3600 },
  });
  worker.on('error', (err: Error) => logger.warn({ err: err.message }, 'deadline watchdog error'));
  worker.on('failed', (job: Job | undefined, err: Error) =>
    logger.warn({ jobId: job?.id, err: err.message }, 'a deadline watchdog failed; BullMQ retries it'),
  );

  return {
    ready: () => worker.waitUntilReady().then(() => undefined),
    closeWorker: () => worker.close(),
    closeLookups: () => Promise.allSettled([...lookups.values()].map((q) => q.close())),
    connections: () => [lookupRedis, watchdogRedis],
  };
}
