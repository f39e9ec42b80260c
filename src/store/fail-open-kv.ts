import type { Logger } from '../log.js';
import type { KeyValueStore } from './kv.js';

/**
 * The bot's view of the shared store while Redis is unreachable: answer at once as if the store were
 * empty, so a user still gets the text diagnosis. What is lost during an outage is bookkeeping only
 * (dedup of a Slack retry, a rate-limit count, a permalink) — never the answer. Not for exactly-once
 * guards whose failure would double a side effect (the result consumer uses the plain store).
 */
export class FailOpenKeyValueStore implements KeyValueStore {
  private lastWarned = 0;

  constructor(
    private readonly inner: KeyValueStore,
    /** False while the connection is down: skip the round trip instead of waiting for a timeout. */
    private readonly isUp: () => boolean,
    private readonly logger?: Logger,
    private readonly now: () => number = Date.now,
  ) {}

  private async attempt<T>(op: string, run: () => Promise<T>, fallback: T): Promise<T> {
    if (this.isUp()) {
      try {
        return await run();
      } catch (err) {
        this.warn(op, err instanceof Error ? err.message : String(err));
        return fallback;
      }
    }
    this.warn(op, 'connection down');
    return fallback;
  }

  private warn(op: string, why: string): void {
    const t = this.now();
    if (t - this.lastWarned < 10_000) return;
    this.lastWarned = t;
    this.logger?.warn({ op, why }, 'shared store unavailable: answering without dedup, rate limits or permalinks until Redis returns');
  }

  get(key: string): Promise<string | null> {
    return this.attempt('get', () => this.inner.get(key), null);
  }

  set(key: string, value: string, ttlMs: number): Promise<void> {
    return this.attempt('set', () => this.inner.set(key, value, ttlMs), undefined);
  }

  setIfAbsent(key: string, value: string, ttlMs: number): Promise<boolean> {
    return this.attempt('setIfAbsent', () => this.inner.setIfAbsent(key, value, ttlMs), true);
  }

  incr(key: string, ttlMs: number): Promise<number> {
    return this.attempt('incr', () => this.inner.incr(key, ttlMs), 1);
  }

  del(key: string): Promise<void> {
    return this.attempt('del', () => this.inner.del(key), undefined);
  }

  ping(): Promise<boolean> {
    return this.inner.ping();
  }

  close(): Promise<void> {
    return this.inner.close();
  }
}
