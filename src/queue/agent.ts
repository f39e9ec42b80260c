import { hostname } from 'node:os';
import { QueueEventsProducer, UnrecoverableError, WaitingError, Worker, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import { pino } from 'pino';
import type { ReadOnlyKube } from '../kube/types.js';
import type { Logger } from '../log.js';
import type { PlaybookSet } from '../playbooks/load.js';
import { closeWithin, workerConnection } from './connections.js';
import { describeFailure } from './failure.js';
import { ANSWER_EVENT, DEFAULT_PREFIX, answersStreamName, checkQueueName } from './names.js';
import type { PlanRollback } from '../rollback/plan.js';
import { errorResult, isExpired, recordResult, retryAfterFailure, type CheckRunner } from './process-job.js';
import { processAgentJob } from './process-rollback-job.js';
import { DEFAULT_RETRY } from './retry.js';
import { agentJobSchema, reportedJob, type AgentJob, type CheckResult, type ResultEnvelope } from './types.js';

// The agent runs inside one cluster with read-only credentials and a Redis connection, nothing
// else: no Slack token, no import of src/slack. It announces each answer on its cluster's answers
// stream, where every bot replica's result consumer reads it (at least once; see report-once), and
// also returns it as the job's return value, where the deadline watchdog finds it if the
// announcement was missed. An answer is an envelope: the result plus the job minus its text.

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
  /** Plans rollback-plan jobs; defaults to src/rollback/plan.ts. */
  planRollback?: PlanRollback;
  perCheckTimeoutMs?: number;
  /** BullMQ lock: a killed agent's job is taken over after about lockDuration + stalledInterval (see LOCK_DURATION_MS). */
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
  /** Stops taking jobs, hands in-flight ones back to the queue (another agent starts them at once), closes connections. */
  close(): Promise<void>;
}

/** What a check job returns: the answer, or a note that it expired unrun (the watchdog answered). */
type AgentReturn = ResultEnvelope | { v: 1; skipped: 'expired' };

/** Answers kept on a cluster's stream (approximate, Redis trims in whole nodes): minutes at full load. */
const ANSWERS_KEPT = 10_000;
/** After the last in-flight deadline, how long close() still waits for BullMQ (forever if Redis is down). */
const CLOSE_GRACE_MS = 2000;
/**
 * A job's lock, renewed every half of it while the agent lives. A SIGKILLed agent's lock lapses within this,
 * and the next stalled check of any live agent (every STALLED_INTERVAL_MS) puts the job back: another agent
 * starts it ≤ LOCK_DURATION_MS + STALLED_INTERVAL_MS (7 s) after the kill, well inside a 30 s triage deadline.
 * An agent whose event loop stalls longer than half the lock loses the job to another one; the answer is still
 * reported once (report-once), only the checks ran twice.
 */
export const LOCK_DURATION_MS = 5_000;
export const STALLED_INTERVAL_MS = 2_000;

export function startAgent(options: AgentOptions): Agent {
  const logger = options.logger ?? pino({ level: 'silent' });
  const prefix = options.prefix ?? DEFAULT_PREFIX;
  const name = options.name ?? `${hostname()}/${process.pid}`;
  const now = options.now ?? Date.now;
  const log = logger.child({ agent: name, cluster: options.cluster });

  const workerRedis: Redis = workerConnection(options.redisUrl, log);
  /** Deadlines of the jobs running now: close() waits for them, and not much longer. */
  const inFlight = new Map<string, number>();
  const answers = new QueueEventsProducer(answersStreamName(options.cluster), { connection: workerRedis, prefix });
  answers.on('error', (err: Error) => log.debug({ err: err.message }, 'answers stream error'));

  /** Announces the answer; if that fails, the watchdog still finds it in the job's return value. */
  const announce = async (job: AgentJob, result: CheckResult): Promise<ResultEnvelope> => {
    const envelope: ResultEnvelope = { v: 1, job: reportedJob(job), result };
    try {
      await answers.publishEvent({ eventName: ANSWER_EVENT, jobId: result.jobId, envelope: JSON.stringify(envelope) }, ANSWERS_KEPT);
    } catch (err) {
      log.warn({ jobId: result.jobId, err: describeFailure(err) }, 'announcing an answer failed; the deadline watchdog reports it');
    }
    return envelope;
  };

  const processor = async (bullJob: Job, token?: string, signal?: AbortSignal): Promise<AgentReturn> => {
    const jobId = bullJob.id ?? 'unknown';
    // Check jobs and rollback-plan jobs (src/queue/types.ts); anything else is from a newer bot.
    const parsed = agentJobSchema.safeParse(bullJob.data);
    if (!parsed.success) {
      log.error({ jobId, name: bullJob.name }, 'check job payload does not match schema v1 (bot and agent versions differ?)');
      throw new UnrecoverableError('invalid check job payload: upgrade the agent or the bot so their schema versions match');
    }
    const job = parsed.data;
    if (isExpired(job, now())) {
      // The watchdog has told the requester already; running now would only load the cluster.
      log.info({ jobId }, 'check job past its deadline; skipped');
      return { v: 1, skipped: 'expired' };
    }
    const started = now();
    inFlight.set(jobId, job.deadline);
    try {
      const { kube, playbooks, runChecks, perCheckTimeoutMs, planRollback } = options;
      const result = await processAgentJob(jobId, job, { kube, playbooks, runChecks, perCheckTimeoutMs, planRollback, agent: name, now }, signal);
      if (handingBack && signal?.aborted === true && token !== undefined) {
        // Stopping (SIGTERM): the checks were cut short, so this is no answer. Another agent starts the job now.
        await bullJob.moveToWait(token);
        log.info({ jobId }, 'agent stopping: check job handed back to the queue');
        throw new WaitingError();
      }
      recordResult(job, result);
      log.info({ jobId, outcome: result.outcome, ms: now() - started, attempt: bullJob.attemptsMade + 1 }, 'check job answered');
      return await announce(job, result);
    } catch (err) {
      if (err instanceof WaitingError) throw err;
      const attemptsMade = bullJob.attemptsMade + 1;
      const policy = { attempts: bullJob.opts.attempts ?? 1, backoffMs: backoffOf(bullJob) };
      if (retryAfterFailure(err, { jobId, job, attempt: attemptsMade, policy, now: now(), logger: log })) throw err;
      // Failed for good: the requester hears why, and the job is marked failed for operators.
      log.error({ jobId, attempt: attemptsMade, err: describeFailure(err) }, 'check job failed; answering with the error');
      const failure = errorResult(jobId, job, name, describeFailure(err), now());
      recordResult(job, failure);
      await announce(job, failure);
      throw new UnrecoverableError(describeFailure(err));
    } finally {
      inFlight.delete(jobId);
    }
  };

  const worker = new Worker(checkQueueName(options.cluster), processor, {
    connection: workerRedis,
    prefix,
    concurrency: options.concurrency ?? 8,
    lockDuration: options.lockDuration ?? LOCK_DURATION_MS,
    stalledInterval: options.stalledInterval ?? STALLED_INTERVAL_MS,
    // A second stall still gets one more try; after that the job fails and the requester hears why.
    maxStalledCount: 2,
    drainDelay: options.drainDelay ?? 5,
    removeOnComplete: { age: 3600, count: 10_000 },
    removeOnFail: { age: 24 * 3600 },
  });
  worker.on('error', (err: Error) => log.warn({ err: err.message }, 'worker error'));
  worker.on('stalled', (jobId: string) => log.warn({ jobId }, 'check job stalled (its agent died?); re-queued'));

  let closing: Promise<void> | undefined;
  /** Set by close(): jobs cut short from now on go back to the queue instead of being answered. */
  let handingBack = false;
  return {
    name,
    cluster: options.cluster,
    ready: async () => {
      await worker.waitUntilReady();
    },
    close: () => {
      closing ??= (async () => {
        log.info({ inFlight: inFlight.size }, 'agent stopping: handing in-flight check jobs back to the queue');
        // In-flight jobs go back to the queue at once (another agent, or this one's replacement, starts them
        // without waiting for the lock to lapse); a job whose answer is already on its way still completes.
        handingBack = true;
        const closeBullMq = async (): Promise<void> => {
          const closed = worker.close();
          worker.cancelAllJobs('agent stopping');
          await closed;
          await answers.close();
        };
        // Handing back takes a round trip or two; past that only a Redis that is down holds BullMQ up.
        if (!(await closeWithin(closeBullMq, [workerRedis], CLOSE_GRACE_MS))) {
          log.warn('Redis did not answer while stopping; dropped the connection (unfinished jobs are taken over by another agent)');
        }
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
