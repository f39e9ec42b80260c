// Behaviour of both KeyValueStore implementations; the Redis one needs a real redis-server (started on a free port).
import { afterAll, beforeAll, describe, expect, it, type TestOptions } from 'vitest';
import { Redis } from 'ioredis';
import { randomUUID } from 'node:crypto';
import type { KeyValueStore } from '../../src/store/kv.js';
import { MemoryKeyValueStore } from '../../src/store/memory-kv.js';
import { RedisKeyValueStore } from '../../src/store/redis-kv.js';
import { has, needs } from '../support/needs.js';
import { startTestRedis, type TestRedis } from '../support/redis.js';

let redisServer: TestRedis;
let redis: Redis;

beforeAll(async () => {
  if (!has('redis')) return;
  redisServer = await startTestRedis();
  redis = new Redis(redisServer.url);
});
afterAll(async () => {
  redis?.disconnect();
  await redisServer?.close();
});

const stores: Array<[string, () => KeyValueStore, TestOptions]> = [
  ['memory', () => new MemoryKeyValueStore(), {}],
  ['redis (real server)', () => new RedisKeyValueStore(redis, `test:${randomUUID()}:`), needs('redis')],
];

for (const [name, make, options] of stores) describe(`KeyValueStore: ${name}`, options, () => {
  it('creates a key only once with setIfAbsent', async () => {
    const kv = make();
    expect(await kv.setIfAbsent('a', '1', 10_000)).toBe(true);
    expect(await kv.setIfAbsent('a', '2', 10_000)).toBe(false);
    expect(await kv.get('a')).toBe('1');
  });

  it('counts with incr and forgets deleted keys', async () => {
    const kv = make();
    expect(await kv.incr('n', 10_000)).toBe(1);
    expect(await kv.incr('n', 10_000)).toBe(2);
    await kv.del('n');
    expect(await kv.get('n')).toBeNull();
  });

  it('expires keys after their TTL', async () => {
    const kv = make();
    await kv.set('t', 'x', 30);
    await new Promise((r) => setTimeout(r, 80));
    expect(await kv.get('t')).toBeNull();
    expect(await kv.ping()).toBe(true);
  });
});

describe('MemoryKeyValueStore', () => {
  it('takes the clock as an input and stays within its size bound', async () => {
    let now = 1_000;
    const kv = new MemoryKeyValueStore(() => now, 3);
    await kv.set('a', '1', 100);
    now += 101;
    expect(await kv.get('a')).toBeNull();
    for (const k of ['b', 'c', 'd', 'e']) await kv.set(k, k, 1_000);
    expect(await kv.get('b')).toBeNull();
    expect(await kv.get('e')).toBe('e');
  });
});
