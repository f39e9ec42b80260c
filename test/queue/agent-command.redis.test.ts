// `helm-triage agent` end to end: real Redis, the local Kubernetes API server through a kubeconfig
// file, the real checks; shutdown is driven by the test instead of SIGTERM.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { Command } from 'commander';
import { Redis } from 'ioredis';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerAgent } from '../../src/cli/agent.js';
import { BullMqDispatcher } from '../../src/queue/dispatcher.js';
import { startResultConsumer } from '../../src/queue/result-consumer.js';
import { RedisKeyValueStore } from '../../src/store/redis-kv.js';
import { startKubeApiServer, writeKubeconfig, type KubeApiServer } from '../support/kube-api-server.js';
import { needs } from '../support/needs.js';
import { freePort, startTestRedis, type TestRedis } from '../support/redis.js';
import { RecordingReporter, cleanupPrefix, makeJob, uniquePrefix } from './support.js';

describe('helm-triage agent command (real Redis, local Kubernetes API server on a port)', needs('redis'), () => {
  let redis: TestRedis;
  let kube: KubeApiServer;
  beforeAll(async () => {
    redis = await startTestRedis();
    kube = await startKubeApiServer({ version: { major: '1', minor: '21', gitVersion: 'v1.21.5' } });
  });
  afterAll(async () => {
    await kube.close();
    await redis.close();
  });

  it('answers check jobs for its cluster with the real checks and exits cleanly on shutdown', async () => {
    const prefix = uniquePrefix();
    let stop: (signal: string) => void = () => undefined;
    const shutdown = new Promise<string>((resolve) => { stop = resolve; });
    let ready = false;
    const program = new Command().exitOverride();
    registerAgent(program, undefined, {
      env: { REDIS_URL: redis.url, CLUSTER_NAME: 'ignored-by-flag', HOST: '127.0.0.1' },
      waitForShutdown: () => shutdown,
      logger: pino({ level: 'silent' }),
      onReady: () => { ready = true; },
    });
    const metricsPort = await freePort();
    const running = program.parseAsync([
      'node', 'helm-triage', 'agent', '--cluster', 'lab', '--kubeconfig', writeKubeconfig(kube), '--concurrency', '2', '--queue-prefix', prefix,
      '--metrics-port', String(metricsPort),
    ]);

    const reporter = new RecordingReporter();
    const kvRedis = new Redis(redis.url);
    const consumer = startResultConsumer({ redisUrl: redis.url, prefix, reporter, kv: new RedisKeyValueStore(kvRedis, `${prefix}:kv:`), drainDelay: 1, clusters: ['lab'] });
    const dispatcher = new BullMqDispatcher({ redisUrl: redis.url, prefix });
    try {
      const receipt = await dispatcher.submit(makeJob({ cluster: 'lab', checks: ['server-version'] }));
      expect(receipt.status).toBe('queued');
      const [report] = await reporter.waitFor(1, 10_000);
      expect(ready).toBe(true);
      expect(report?.result.outcome).toBe('ok');
      expect(report?.result.findings).toEqual([expect.objectContaining({ check: 'server-version', status: 'confirmed' })]);
      expect(kube.writeAttempts).toHaveLength(0);
      const scraped = await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text();
      expect(scraped).toMatch(/helm_triage_check_outcomes_total\{cluster="lab",outcome="ok"\} [1-9]/);
      expect(scraped).toContain('helm_triage_check_job_duration_seconds_bucket');
      stop('SIGTERM');
      await running;
    } finally {
      stop('SIGTERM');
      await dispatcher.close();
      await consumer.close();
      kvRedis.disconnect();
      await cleanupPrefix(redis.url, prefix);
    }
  });

  it('a real agent process stops within seconds of SIGTERM while Redis is unreachable', async () => {
    const main = fileURLToPath(new URL('../../src/cli/main.ts', import.meta.url));
    const port = await freePort(); // nothing listens there
    const child = spawn(process.execPath, ['--import', 'tsx', main, 'agent', '--cluster', 'lab', '--kubeconfig', writeKubeconfig(kube)], {
      env: { ...process.env, REDIS_URL: `redis://127.0.0.1:${port}`, LOG_LEVEL: 'info' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => { out += d.toString(); });
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    // Started (modules loaded, connecting in vain) before the signal.
    for (let i = 0; i < 100 && !out.includes('redis connection error'); i++) await new Promise((r) => setTimeout(r, 100));
    expect(out).toContain('redis connection error');
    const signalled = Date.now();
    child.kill('SIGTERM');
    const code = await Promise.race([exited, new Promise<'still running'>((r) => setTimeout(() => r('still running'), 8000))]);
    if (code === 'still running') child.kill('SIGKILL');
    expect(code).toBe(0);
    expect(Date.now() - signalled).toBeLessThan(6000);
    expect(out).toContain('dropped the connection');
  }, 20_000);

  it('refuses to start without REDIS_URL, saying what to set', async () => {
    const program = new Command().exitOverride();
    registerAgent(program, undefined, { env: {}, waitForShutdown: () => Promise.resolve('SIGTERM') });
    await expect(program.parseAsync(['node', 'helm-triage', 'agent', '--cluster', 'lab'])).rejects.toThrow(/needs REDIS_URL/);
  });

  it('rejects a bad --concurrency', async () => {
    const program = new Command().exitOverride();
    registerAgent(program, undefined, { env: { REDIS_URL: redis.url }, waitForShutdown: () => Promise.resolve('SIGTERM') });
    await expect(program.parseAsync(['node', 'helm-triage', 'agent', '--concurrency', 'lots'])).rejects.toThrow(/--concurrency must be/);
  });
});
