// Real Redis for tests. Prefers a private redis-server on a free port (so fault tests can stop and
// restart it); falls back to REDIS_URL (or 127.0.0.1:6379) where the binary is missing. Suites that
// need it say so with needs('redis') / needs('redis-server') (test/support/needs.ts).
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { Redis } from 'ioredis';
import { locate } from './prereqs.js';

export interface TestRedis {
  url: string;
  port: number;
  /** True when this helper owns the server and can stop/start it. */
  owned: boolean;
  stop(): Promise<void>;
  start(): Promise<void>;
  close(): Promise<void>;
}


export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

async function waitForPing(url: string, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, enableOfflineQueue: false, retryStrategy: () => null });
    client.on('error', () => undefined);
    try {
      await client.connect();
      if ((await client.ping()) === 'PONG') {
        client.disconnect();
        return;
      }
    } catch {
      // not up yet
    }
    client.disconnect();
    if (Date.now() > deadline) throw new Error(`redis at ${url} did not answer within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export async function startTestRedis(): Promise<TestRedis> {
  const binary = locate('redis-server');
  if (binary === undefined) {
    const url = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
    await waitForPing(url);
    const port = Number(new URL(url).port || 6379);
    return {
      url, port, owned: false,
      stop: async () => { throw new Error('cannot stop a shared Redis (no redis-server binary here)'); },
      start: async () => undefined,
      close: async () => undefined,
    };
  }
  const port = await freePort();
  const url = `redis://127.0.0.1:${port}`;
  let child: ChildProcess | undefined;
  const start = async (): Promise<void> => {
    child = spawn(binary, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--logfile', ''], { stdio: 'ignore' });
    await waitForPing(url);
  };
  const stop = async (): Promise<void> => {
    const c = child;
    child = undefined;
    if (!c || c.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      c.once('exit', () => resolve());
      c.kill('SIGKILL');
    });
  };
  await start();
  return { url, port, owned: true, stop, start, close: stop };
}
