import { Redis } from 'ioredis';
import type { Logger } from '../log.js';

// Two kinds of Redis connection (LIBRARY-NOTES §B):
// - producers fail fast: no offline queue, one retry, a command timeout, so a submit during an
//   outage answers "unavailable" at once instead of hanging; ioredis keeps reconnecting underneath,
//   so the same dispatcher works again when Redis is back;
// - workers block (BZPOPMIN), so BullMQ needs maxRetriesPerRequest: null and waits for Redis.

/** Reconnect quickly (at most 1 s apart): recovery after an outage should take about a second. */
const retryStrategy = (attempt: number): number => Math.min(50 * 2 ** Math.min(attempt, 5), 1000);

function quietErrors(redis: Redis, logger: Logger | undefined, role: string): Redis {
  let last = 0;
  redis.on('error', (err: Error) => {
    // Reconnect loops repeat the same error many times a second; one line per 10 s is enough.
    const now = Date.now();
    if (now - last < 10_000) return;
    last = now;
    logger?.warn({ role, err: err.message }, 'redis connection error (reconnecting)');
  });
  return redis;
}

export function producerConnection(url: string, logger?: Logger, commandTimeoutMs = 2000): Redis {
  return quietErrors(
    new Redis(url, {
      maxRetriesPerRequest: 1,
      enableOfflineQueue: false,
      commandTimeout: commandTimeoutMs,
      connectTimeout: 2000,
      // A submit's writes leave in one round trip.
      enableAutoPipelining: true,
      retryStrategy,
    }),
    logger,
    'producer',
  );
}

export function workerConnection(url: string, logger?: Logger): Redis {
  return quietErrors(new Redis(url, { maxRetriesPerRequest: null, connectTimeout: 5000, retryStrategy }), logger, 'worker');
}

/** True if `work` settled within `ms` (it keeps running either way). */
export async function settlesWithin(work: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<false>((resolve) => { timer = setTimeout(() => resolve(false), ms); });
  try {
    return await Promise.race([work.then(() => true, () => true), late]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Closes BullMQ's objects, then `connections` politely, giving up after `ms`: BullMQ's close waits for a
 * (re)connect that never comes while Redis is down. Then the sockets are dropped. False if it gave up.
 */
export async function closeWithin(closeBullMq: () => Promise<unknown>, connections: readonly Redis[], ms: number): Promise<boolean> {
  const graceful = (async () => {
    await closeBullMq();
    await Promise.all(connections.map(closeConnection));
  })();
  if (await settlesWithin(graceful, ms)) return true;
  for (const c of connections) c.disconnect();
  return false;
}

/** Quit politely; when Redis is gone, just drop the socket. */
export async function closeConnection(redis: Redis): Promise<void> {
  if (redis.status === 'end') return;
  try {
    if (redis.status === 'ready') await redis.quit();
    else redis.disconnect();
  } catch {
    redis.disconnect();
  }
}
