import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedisKeyValueStore } from '../../src/store/redis-kv.js';
import { KeyValueTriageStore } from '../../src/store/triages.js';
import { has, needs } from '../support/needs.js';
import { startTestRedis, type TestRedis } from '../support/redis.js';
import { fixtureDiagnosis } from './fixtures.js';
import { DAY, makeHarness } from './harness.js';

let redis: TestRedis;
beforeAll(async () => {
  if (has('redis-server')) redis = await startTestRedis();
});
afterAll(async () => {
  await redis?.close();
});

describe('readiness and permalinks over real Redis (needs redis-server)', needs('redis-server'), () => {
  it('is ready while Redis answers, 503 with the reason when it stops, ready again when it returns', async () => {
    if (!redis.owned) throw new Error('this test stops Redis: install redis-server so the test can run its own');
    // Default ioredis options, as a deployment would use: commands queue while reconnecting.
    const client = new Redis(redis.url);
    client.on('error', () => undefined);
    const kv = new RedisKeyValueStore(client, `test-web-${process.pid}-${Date.now()}:`);
    const triageStore = new KeyValueTriageStore(kv, 14 * DAY);
    const h = makeHarness({ kv, triageStore });
    try {
      const record = await triageStore.create({ source: 'api', diagnosis: fixtureDiagnosis('Error: stored in redis') });
      const page = await h.server.app.inject({ url: `/t/${record.id}` });
      expect(page.statusCode).toBe(200);
      expect(page.body).toContain('Error: stored in redis');

      const ok = await h.server.app.inject({ url: '/readyz', headers: { accept: 'application/json' } });
      expect(ok.statusCode).toBe(200);

      await redis.stop();
      const down = await h.server.app.inject({ url: '/readyz', headers: { accept: 'application/json' } });
      expect(down.statusCode).toBe(503);
      const body = down.json<{ ready: boolean; checks: Array<{ name: string; ok: boolean; detail?: string }> }>();
      expect(body.ready).toBe(false);
      expect(body.checks.find((c) => !c.ok)?.detail).toMatch(/REDIS_URL|within/);

      await redis.start();
      let status = 0;
      for (let i = 0; i < 50 && status !== 200; i++) {
        status = (await h.server.app.inject({ url: '/readyz' })).statusCode;
        if (status !== 200) await new Promise((r) => setTimeout(r, 100));
      }
      expect(status).toBe(200);
    } finally {
      await h.server.close();
      client.disconnect();
    }
  });
});
