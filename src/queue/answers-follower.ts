// Why apart: the fast way an answer reaches the reporter, one Redis hop after the agent announces it on
// its cluster's answers stream (BullMQ QueueEvents); every replica reads every answer, the guard picks one.
import { QueueEvents, type QueueEventsListener } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Logger } from '../log.js';
import type { CheckResult } from '../model/checks.js';
import { settlesWithin, workerConnection } from './connections.js';
import { describeFailure } from './failure.js';
import { ANSWER_EVENT, MAX_FOLLOWED_CLUSTERS, answersStreamName } from './names.js';
import { resultEnvelopeSchema, type ReportedJob } from './types.js';

export interface AnswersFollowerOptions {
  redisUrl: string;
  prefix: string;
  logger: Logger;
  now: () => number;
  /** Reports one answer (through the exactly-once guard); a rejection is retried a few times. */
  deliver: (job: ReportedJob, result: CheckResult) => Promise<unknown>;
}

export interface AnswersFollower {
  /** Follows one more cluster's answers (idempotent). */
  watch(cluster: string): void;
  /** Resolves when every followed cluster's event reader is connected. */
  ready(): Promise<void>;
  /** Follows nothing more, retries nothing more, and waits (up to `graceMs`) for the reports under way. */
  stop(graceMs: number): Promise<void>;
  /** Closes the event readers (after stop()). */
  close(): Promise<unknown>;
  /** The Redis connections of the event readers, for the caller to quit or drop. */
  connections(): Redis[];
}

/** The agents' custom event (src/queue/agent.ts): the envelope travels as JSON text. */
interface AnswerListener extends QueueEventsListener {
  [ANSWER_EVENT]: (args: { jobId?: string; envelope?: string }, id: string) => void;
}

/** Pure: an answer event's envelope, parsed; undefined when absent or not JSON. */
export function parseAnswer(envelope: string | undefined): ReturnType<typeof resultEnvelopeSchema.safeParse> | undefined {
  if (envelope === undefined) return undefined;
  try {
    return resultEnvelopeSchema.safeParse(JSON.parse(envelope));
  } catch {
    return undefined;
  }
}

/** A newly followed stream is read from this far back: answers that landed just before are not missed. */
const EVENT_LOOKBACK_MS = 60_000;
/** A failing reporter (Slack down) is tried again this often before the watchdog's last try. */
const REPORT_RETRY_DELAYS_MS = [1000, 2000, 4000];

export function followAnswers(options: AnswersFollowerOptions): AnswersFollower {
  const { logger, prefix, now } = options;
  const followed = new Map<string, { events: QueueEvents; connection: Redis }>();
  const unfollowed = new Set<string>();
  const retries = new Set<NodeJS.Timeout>();
  /** Reports under way: stop() lets them finish. */
  const reporting = new Set<Promise<unknown>>();
  let stopped = false;

  /** Reports an event's answer; a failing reporter is retried a few times, then left to the watchdog. */
  const deliverSoon = (job: ReportedJob, result: CheckResult, attempt = 0): void => {
    const delivery = options.deliver(job, result).catch((err: unknown) => {
      const delay = REPORT_RETRY_DELAYS_MS[attempt];
      logger.warn({ jobId: result.jobId, attempt: attempt + 1, err: describeFailure(err) }, delay === undefined
        ? 'reporting a result failed; the deadline watchdog tries once more'
        : 'reporting a result failed; trying again');
      if (delay === undefined || stopped) return;
      const timer = setTimeout(() => {
        retries.delete(timer);
        deliverSoon(job, result, attempt + 1);
      }, delay);
      retries.add(timer);
    });
    reporting.add(delivery);
    void delivery.finally(() => reporting.delete(delivery));
  };

  const watch = (cluster: string): void => {
    if (followed.has(cluster) || stopped) return;
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

  return {
    watch,
    ready: async () => {
      await Promise.all([...followed.values()].map((f) => f.events.waitUntilReady()));
    },
    stop: async (graceMs) => {
      stopped = true;
      for (const t of retries) clearTimeout(t);
      await settlesWithin(Promise.allSettled([...reporting]), graceMs);
    },
    close: () => Promise.allSettled([...followed.values()].map((f) => f.events.close())),
    connections: () => [...followed.values()].map((f) => f.connection),
  };
}
