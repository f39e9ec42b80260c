// A small key-value store with TTLs: dedup keys, rate limits, thread bookkeeping, permalinks.
// Memory for the single-replica embedded mode, Redis for everything else; same behaviour tests for both.

export interface KeyValueStore {
  get(key: string): Promise<string | null>;
  set(key: string, value: string, ttlMs: number): Promise<void>;
  /** Atomic set-if-absent; true when this call created the key. The basis of every "exactly once". */
  setIfAbsent(key: string, value: string, ttlMs: number): Promise<boolean>;
  /** Atomic increment; the TTL is set when the key is created. */
  incr(key: string, ttlMs: number): Promise<number>;
  del(key: string): Promise<void>;
  /** True when the backing store answers (for /readyz). */
  ping(): Promise<boolean>;
  close(): Promise<void>;
}
