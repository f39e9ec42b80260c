import { describe, expect, it } from 'vitest';
import { FailOpenKeyValueStore } from '../../src/store/fail-open-kv.js';
import type { KeyValueStore } from '../../src/store/kv.js';
import { MemoryKeyValueStore } from '../../src/store/memory-kv.js';

const broken: KeyValueStore = {
  get: () => Promise.reject(new Error('down')),
  set: () => Promise.reject(new Error('down')),
  setIfAbsent: () => Promise.reject(new Error('down')),
  incr: () => Promise.reject(new Error('down')),
  del: () => Promise.reject(new Error('down')),
  ping: () => Promise.resolve(false),
  close: () => Promise.resolve(),
};

describe('FailOpenKeyValueStore', () => {
  it('passes through while the store is up', async () => {
    const kv = new FailOpenKeyValueStore(new MemoryKeyValueStore(), () => true);
    expect(await kv.setIfAbsent('k', 'v', 1000)).toBe(true);
    expect(await kv.setIfAbsent('k', 'v', 1000)).toBe(false);
    expect(await kv.incr('n', 1000)).toBe(1);
    expect(await kv.incr('n', 1000)).toBe(2);
  });

  it('answers as an empty store when calls fail, and reports the real readiness', async () => {
    const kv = new FailOpenKeyValueStore(broken, () => true);
    expect(await kv.get('k')).toBeNull();
    expect(await kv.setIfAbsent('k', 'v', 1000)).toBe(true);
    expect(await kv.incr('n', 1000)).toBe(1);
    await expect(kv.set('k', 'v', 1000)).resolves.toBeUndefined();
    expect(await kv.ping()).toBe(false);
  });

  it('skips the round trip while the connection is known to be down', async () => {
    let calls = 0;
    const counting: KeyValueStore = { ...broken, get: () => { calls++; return Promise.resolve('x'); } };
    const kv = new FailOpenKeyValueStore(counting, () => false);
    expect(await kv.get('k')).toBeNull();
    expect(calls).toBe(0);
  });
});
