import type { Redis } from 'ioredis';
import type { KeyValueStore } from './kv.js';

// INCR then PEXPIRE only when the key is new, in one round trip and atomically.
const INCR_WITH_TTL = `local n = redis.call('INCR', KEYS[1]) if n == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end return n`;

/** Redis-backed store shared by every bot replica. Keys are namespaced by `prefix`. */
export class RedisKeyValueStore implements KeyValueStore {
  constructor(private readonly redis: Redis, private readonly prefix = 'helm-triage:') {}

  private k(key: string): string {
    return this.prefix + key;
  }

  async get(key: string): Promise<string | null> {
    return this.redis.get(this.k(key));
  }

  async set(key: string, value: string, ttlMs: number): Promise<void> {
    await this.redis.set(this.k(key), value, 'PX', Math.max(1, Math.round(ttlMs)));
  }

  async setIfAbsent(key: string, value: string, ttlMs: number): Promise<boolean> {
    const reply = await this.redis.set(this.k(key), value, 'PX', Math.max(1, Math.round(ttlMs)), 'NX');
    return reply === 'OK';
  }

  async incr(key: string, ttlMs: number): Promise<number> {
    const n = await this.redis.eval(INCR_WITH_TTL, 1, this.k(key), String(Math.max(1, Math.round(ttlMs))));
    return Number(n);
  }

  async del(key: string): Promise<void> {
    await this.redis.del(this.k(key));
  }

  async ping(): Promise<boolean> {
    try {
      return (await this.redis.ping()) === 'PONG';
    } catch {
      return false;
    }
  }

  async close(): Promise<void> {
    // The connection is shared and owned by whoever created it.
  }
}
