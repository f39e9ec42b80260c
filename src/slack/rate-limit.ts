import type { KeyValueStore } from '../store/kv.js';
import { keys, TTL } from './keys.js';

/** Fixed one-minute window per user, shared by every replica through the store. */
export async function underRateLimit(kv: KeyValueStore, userId: string, perMinute: number, now: number): Promise<boolean> {
  const minute = Math.floor(now / TTL.rateWindow);
  const count = await kv.incr(keys.rate(userId, minute), TTL.rateWindow * 2);
  return count <= perMinute;
}
