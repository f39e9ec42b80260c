// Web pages under load: requests/s and p99 for GET /runbooks/:id and GET /t/:id with 50 concurrent
// keep-alive clients on loopback, side by side with a bare node:http server returning a static page of
// the same size (the floor). Target: each route at ≥ 0.5× the floor's throughput.
// Each server runs in its own child process so the load generator does not share its event loop.
import { fork, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:http';
import { Agent, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';

const CONCURRENCY = 50;
const REQUESTS = Number(process.env.BENCH_WEB_REQUESTS ?? 10000);
const MAX_SECONDS = Number(process.env.BENCH_WEB_SECONDS ?? 10);
const WARMUP = Number(process.env.BENCH_WEB_WARMUP ?? 3000);

interface Ready {
  port: number;
  paths: { runbook: string; triage: string };
  sizes: { runbook: number; triage: number };
}

interface Result {
  rps: number;
  p50: number;
  p99: number;
  count: number;
  errors: number;
}

function isReady(m: unknown): m is Ready {
  return typeof m === 'object' && m !== null && 'port' in m && 'paths' in m && 'sizes' in m;
}

function startChild(role: 'web' | 'floor', sizes?: Ready['sizes']): Promise<{ child: ChildProcess; ready: Ready }> {
  const child = fork(fileURLToPath(import.meta.url), [], {
    execArgv: ['--import', 'tsx'],
    env: { ...process.env, HT_BENCH_WEB_CHILD: role, HT_BENCH_WEB_SIZES: JSON.stringify(sizes ?? {}) },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`bench ${role} server exited early (code ${code})`)));
    child.on('message', (m) => {
      if (isReady(m)) resolve({ child, ready: m });
    });
  });
}

function stopChild(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    child.removeAllListeners('exit');
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

function get(agent: Agent, port: number, path: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, agent, headers: { accept: 'text/html' } }, (res) => {
      res.resume();
      res.once('end', () => resolve(res.statusCode ?? 0));
    });
    req.once('error', reject);
    req.end();
  });
}

async function load(port: number, path: string, total: number): Promise<Result> {
  const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY });
  let issued = 0;
  let errors = 0;
  const latencies: number[] = [];
  const deadline = performance.now() + MAX_SECONDS * 1000;
  const worker = async (): Promise<void> => {
    while (issued < total && performance.now() < deadline) {
      issued++;
      const t0 = performance.now();
      try {
        const status = await get(agent, port, path);
        if (status !== 200) errors++;
      } catch {
        errors++;
      }
      latencies.push(performance.now() - t0);
    }
  };
  const start = performance.now();
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  const seconds = (performance.now() - start) / 1000;
  agent.destroy();
  latencies.sort((a, b) => a - b);
  const at = (q: number): number => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? 0;
  return { rps: latencies.length / seconds, p50: at(0.5), p99: at(0.99), count: latencies.length, errors };
}

function line(label: string, r: Result): string {
  return `${label.padEnd(34)} ${r.rps.toFixed(0).padStart(7)} req/s   p50 ${r.p50.toFixed(2).padStart(6)} ms   p99 ${r.p99.toFixed(2).padStart(6)} ms   (${r.count} requests, ${r.errors} errors)`;
}

const ROUNDS = 5;

/** Interleaves the targets round by round and keeps each one's median round: on a shared machine a
 *  noisy neighbour then hurts the web server and its floor alike, instead of whichever ran last. */
async function compare(targets: Array<{ port: number; path: string }>): Promise<Result[]> {
  for (const t of targets) await load(t.port, t.path, WARMUP);
  const rounds: Result[][] = targets.map(() => []);
  for (let r = 0; r < ROUNDS; r++) {
    for (const [i, t] of targets.entries()) rounds[i]?.push(await load(t.port, t.path, Math.ceil(REQUESTS / ROUNDS)));
  }
  return rounds.map((rs) => {
    const sorted = [...rs].sort((a, b) => a.rps - b.rps);
    const median = sorted[Math.floor(sorted.length / 2)] as Result;
    return { ...median, count: rs.reduce((n, x) => n + x.count, 0), errors: rs.reduce((n, x) => n + x.errors, 0) };
  });
}

export async function run(): Promise<void> {
  console.log(`web: ${CONCURRENCY} concurrent keep-alive clients on loopback, ${REQUESTS} requests per target in ${ROUNDS} interleaved rounds (median round shown; max ${MAX_SECONDS} s a round), after ${WARMUP} warm-up`);
  const web = await startChild('web');
  let floor: { child: ChildProcess; ready: Ready } | undefined;
  try {
    floor = await startChild('floor', web.ready.sizes);
    const [webRunbook, floorRunbook, webTriage, floorTriage] = (await compare([
      { port: web.ready.port, path: web.ready.paths.runbook },
      { port: floor.ready.port, path: '/runbook' },
      { port: web.ready.port, path: web.ready.paths.triage },
      { port: floor.ready.port, path: '/triage' },
    ])) as [Result, Result, Result, Result];
    const ratio = (a: Result, b: Result): string => `${(a.rps / b.rps).toFixed(2)}× floor ${a.rps / b.rps >= 0.5 ? '(target ≥ 0.5×: met)' : '(target ≥ 0.5×: MISSED)'}`;
    console.log(line(`GET /runbooks/:id (${web.ready.sizes.runbook} B)`, webRunbook));
    console.log(line(`  floor: static ${web.ready.sizes.runbook} B`, floorRunbook));
    console.log(`  → ${ratio(webRunbook, floorRunbook)}`);
    console.log(line(`GET /t/:id (${web.ready.sizes.triage} B)`, webTriage));
    console.log(line(`  floor: static ${web.ready.sizes.triage} B`, floorTriage));
    console.log(`  → ${ratio(webTriage, floorTriage)}`);
  } finally {
    await stopChild(web.child);
    if (floor) await stopChild(floor.child);
  }
}

// ---- child processes -------------------------------------------------------------------------

async function webChild(): Promise<void> {
  const [{ Registry }, { createLogger }, { loadPlaybooks }, { MemoryKeyValueStore }, { KeyValueTriageStore }, { diagnose }, { createWebServer }] = await Promise.all([
    import('prom-client'),
    import('../src/log.js'),
    import('../src/playbooks/load.js'),
    import('../src/store/memory-kv.js'),
    import('../src/store/triages.js'),
    import('../src/triage/diagnose.js'),
    import('../src/web/server.js'),
  ]);
  const playbooks = loadPlaybooks();
  const playbook = playbooks.playbooks[0];
  if (!playbook) throw new Error('bench/web: no playbooks found; run from the repository root');
  const example = playbook.examples.find((ex) => ex.expect === playbook.id)?.input ?? 'Error: UPGRADE FAILED';
  const kv = new MemoryKeyValueStore();
  const triageStore = new KeyValueTriageStore(kv, 86_400_000);
  const record = await triageStore.create({ source: 'api', diagnosis: diagnose(example, playbooks, { overrides: { release: 'shop', namespace: 'store' } }) });
  const server = createWebServer({
    playbooks, triageStore, kv, diagnose, config: {}, metrics: new Registry(), logger: createLogger({ level: 'silent' }),
  });
  const { port } = await server.listen({ port: 0 });
  const paths = { runbook: `/runbooks/${playbook.id}?release=shop&namespace=store`, triage: `/t/${record.id}` };
  const size = async (path: string): Promise<number> => (await server.app.inject({ url: path })).rawPayload.length;
  const ready: Ready = { port, paths, sizes: { runbook: await size(paths.runbook), triage: await size(paths.triage) } };
  process.on('SIGTERM', () => void server.close().then(() => process.exit(0)));
  process.send?.(ready);
}

async function floorChild(): Promise<void> {
  const sizes = JSON.parse(process.env.HT_BENCH_WEB_SIZES ?? '{}') as Partial<Ready['sizes']>;
  const page = (n: number): Buffer => Buffer.alloc(n, 'x');
  const bodies: Record<string, Buffer> = { '/runbook': page(sizes.runbook ?? 10_000), '/triage': page(sizes.triage ?? 10_000) };
  const server = createServer((req, res) => {
    const body = bodies[req.url ?? ''];
    if (!body) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'content-length': body.length }).end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  process.on('SIGTERM', () => server.close(() => process.exit(0)));
  process.send?.({ port, paths: { runbook: '/runbook', triage: '/triage' }, sizes: { runbook: bodies['/runbook']?.length ?? 0, triage: bodies['/triage']?.length ?? 0 } });
}

const role = process.env.HT_BENCH_WEB_CHILD;
if (role === 'web') void webChild();
else if (role === 'floor') void floorChild();
else if (process.argv[1] === fileURLToPath(import.meta.url)) await run();
