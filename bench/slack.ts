// Slack ack latency: 100 concurrent signed `/helm-triage` commands against our app, side by side in the
// same run with a bare Bolt app whose only listener acks (the floor). Target: our p99 ≤ 1.2× the floor's.
// Also: time from the command to the first reply (chat.postMessage) and to the updated reply (chat.update).
// Each app runs in its own child process; this process generates load and hosts the local Slack API.
import { fork, type ChildProcess } from 'node:child_process';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { startSlackApiServer, type SlackApiServer } from '../test/support/slack-api-server.js';
import { sendCommand } from '../test/support/slack-requests.js';
import { percentile } from './support/stats.js';

const CONCURRENCY = Number(process.env.BENCH_SLACK_CONCURRENCY ?? 100);
const ROUNDS = Number(process.env.BENCH_SLACK_ROUNDS ?? 5);
const SECRET = 'bench-signing-secret-0123456789';
const TARGET_RATIO = 1.2;

// Our own example of a failed upgrade (immutable Deployment selector).
const PASTE = [
  '$ helm upgrade shop-web ./charts/web -n shop --atomic',
  'Error: UPGRADE FAILED: cannot patch "shop-web" with kind Deployment: Deployment.apps "shop-web" is invalid: spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string{"app":"shop-web-v2"}}: field is immutable',
].join('\n');

type Role = 'ours' | 'floor';

function isPort(m: unknown): m is { port: number } {
  return typeof m === 'object' && m !== null && 'port' in m && typeof m.port === 'number';
}

function startChild(role: Role, apiUrl: string, token: string): Promise<{ child: ChildProcess; port: number }> {
  const child = fork(fileURLToPath(import.meta.url), [], {
    execArgv: ['--import', 'tsx'],
    env: { ...process.env, HT_BENCH_SLACK_CHILD: role, HT_BENCH_SLACK_API: apiUrl, HT_BENCH_SLACK_TOKEN: token },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`bench child ${role} exited early (${code})`)));
    child.once('message', (m: unknown) => (isPort(m) ? resolve({ child, port: m.port }) : reject(new Error('bad child message'))));
  });
}

async function child(role: Role): Promise<void> {
  const apiUrl = process.env.HT_BENCH_SLACK_API ?? '';
  const token = process.env.HT_BENCH_SLACK_TOKEN ?? '';
  if (role === 'floor') {
    const { App, LogLevel } = await import('@slack/bolt');
    const app = new App({ token, signingSecret: SECRET, botId: 'BBOT0001', botUserId: 'UBOT0001', clientOptions: { slackApiUrl: apiUrl }, logLevel: LogLevel.ERROR });
    app.command('/helm-triage', async ({ ack }) => ack());
    const server = await app.start({ port: 0, host: '127.0.0.1' });
    const addr = server.address();
    process.send?.({ port: typeof addr === 'object' && addr ? addr.port : 0 });
    return;
  }
  const { pino } = await import('pino');
  const { loadConfig } = await import('../src/config.js');
  const { createLogger } = await import('../src/log.js');
  const { loadPlaybooks } = await import('../src/playbooks/load.js');
  const { InProcessDispatcher } = await import('../src/queue/in-process.js');
  const { createSlackApp } = await import('../src/slack/app.js');
  const { MemoryKeyValueStore } = await import('../src/store/memory-kv.js');
  const { KeyValueTriageStore } = await import('../src/store/triages.js');
  const config = loadConfig({ SLACK_BOT_TOKEN: token, SLACK_SIGNING_SECRET: SECRET, SLACK_API_URL: apiUrl, PUBLIC_BASE_URL: 'https://triage.example.test', CLUSTER_NAME: 'bench' });
  const logger = createLogger({ level: 'info' }, pino.destination({ dest: '/dev/null', sync: true }));
  const kv = new MemoryKeyValueStore();
  let playbooks;
  try {
    playbooks = loadPlaybooks();
  } catch (err) {
    // The product playbooks are being edited: measure with the Slack tests' fixture instead.
    console.log(`  (product playbooks did not load: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}; using test/slack/fixtures/playbooks)`);
    playbooks = loadPlaybooks(fileURLToPath(new URL('../test/slack/fixtures/playbooks', import.meta.url)));
  }
  const unused = async (): Promise<never> => {
    throw new Error('the bench runs checks without a cluster');
  };
  const app = await createSlackApp({
    config, playbooks, kv, triageStore: new KeyValueTriageStore(kv, 3_600_000), logger, botId: 'BBOT0001', botUserId: 'UBOT0001',
    clientOptions: { retryConfig: { retries: 0 } },
    // Checks "run" instantly: the bench measures the Slack side, not the cluster.
    dispatcher: (reporter) => new InProcessDispatcher({
      cluster: 'bench', reporter, kv, playbooks, logger,
      kube: { version: unused, get: unused, serves: unused, list: () => ({ [Symbol.asyncIterator]: () => ({ next: unused }) }) },
      runChecks: async ({ checks }) => checks.map((check) => ({ check, status: 'confirmed' as const, summary: `${check}: confirmed (bench)`, evidence: [] })),
    }),
  });
  const { port } = await app.start({ port: 0, host: '127.0.0.1' });
  process.send?.({ port });
}

const fmt = (ms: number): string => `${ms.toFixed(1)} ms`;

async function burst(url: string, round: number, role: Role, slack: SlackApiServer): Promise<{ acks: number[]; sentAt: Map<string, number>; errors: number }> {
  const sentAt = new Map<string, number>();
  let errors = 0;
  const acks = await Promise.all(Array.from({ length: CONCURRENCY }, async (_, i) => {
    const channel = `C${role === 'ours' ? 'O' : 'F'}${round}X${i}`;
    sentAt.set(channel, Date.now());
    const res = await sendCommand(url, SECRET, { text: PASTE, channel_id: channel, user_id: `U${round}X${i}`, response_url: slack.responseUrl(channel) });
    if (res.status !== 200) errors += 1;
    return res.ms;
  }));
  return { acks, sentAt, errors };
}

export async function run(): Promise<void> {
  const slack = await startSlackApiServer();
  const children: ChildProcess[] = [];
  try {
    const ours = await startChild('ours', slack.apiUrl, slack.token);
    children.push(ours.child);
    const floor = await startChild('floor', slack.apiUrl, slack.token);
    children.push(floor.child);
    const urls: Record<Role, string> = { ours: `http://127.0.0.1:${ours.port}/slack/events`, floor: `http://127.0.0.1:${floor.port}/slack/events` };

    // Warm-up: JIT, connection pools, playbook compilation.
    await burst(urls.ours, -1, 'ours', slack);
    await slack.waitFor('warm-up updates', () => slack.callsTo('chat.update').length >= CONCURRENCY, 60_000).catch(() => undefined);
    await burst(urls.floor, -1, 'floor', slack);
    await new Promise((r) => setTimeout(r, 500));
    slack.reset();

    const acks: Record<Role, number[]> = { ours: [], floor: [] };
    const roundP99: Record<Role, number[]> = { ours: [], floor: [] };
    const errors: Record<Role, number> = { ours: 0, floor: 0 };
    const sent = new Map<string, number>();
    let lastGapMs = 1000;
    for (let round = 0; round < ROUNDS; round += 1) {
      // Alternate who goes first so neither always meets a warmer machine.
      const order: Role[] = round % 2 === 0 ? ['ours', 'floor'] : ['floor', 'ours'];
      for (const role of order) {
        const r = await burst(urls[role], round, role, slack);
        const sortedRound = [...r.acks].sort((x, y) => x - y);
        roundP99[role].push(percentile(sortedRound, 99));
        if (process.env.BENCH_SLACK_VERBOSE) {
          const sorted = sortedRound;
          console.log(`  round ${round} ${role}: p50 ${fmt(percentile(sorted, 50))} p99 ${fmt(percentile(sorted, 99))}`);
        }
        acks[role].push(...r.acks);
        errors[role] += r.errors;
        if (role === 'ours') {
          for (const [c, t] of r.sentAt) sent.set(c, t);
          // Let our app finish its post-ack work before the next burst, so each burst measures acks alone.
          const waitStart = Date.now();
          await slack.waitFor('this burst\'s updates', () => slack.callsTo('chat.update').length >= sent.size, 60_000).catch(() => undefined);
          lastGapMs = Date.now() - waitStart;
        } else {
          // Same idle gap after the floor's burst, so both meet equally idle connections and caches.
          await new Promise((res) => setTimeout(res, lastGapMs));
        }
        // Settle time for both (the last update's bookkeeping, garbage collection) before the next burst.
        await new Promise((res) => setTimeout(res, 1000));
      }
    }
    const expected = sent.size;
    await slack.waitFor('every reply and update', () => slack.callsTo('chat.update').length >= expected, 60_000).catch(() => undefined);
    const outcomes = new Map<string, number>();
    for (const call of slack.callsTo('chat.update')) {
      const text = String(call.params.text ?? '');
      const key = text.includes('—') ? text.slice(text.lastIndexOf('—') + 2) : 'no verdict';
      outcomes.set(key, (outcomes.get(key) ?? 0) + 1);
    }

    const firstReply: number[] = [];
    const updated: number[] = [];
    for (const call of slack.calls) {
      const channel = typeof call.params.channel === 'string' ? call.params.channel : '';
      const t0 = sent.get(channel);
      if (t0 === undefined) continue;
      if (call.method === 'chat.postMessage') firstReply.push(call.at - t0);
      if (call.method === 'chat.update') updated.push(call.at - t0);
    }

    const sort = (xs: number[]) => [...xs].sort((x, y) => x - y);
    const o = sort(acks.ours);
    const f = sort(acks.floor);
    const ratio = percentile(o, 99) / percentile(f, 99);
    console.log(`slack ack latency, ${CONCURRENCY} concurrent signed slash commands × ${ROUNDS} rounds (n=${o.length} each)`);
    console.log(`  ours : p50 ${fmt(percentile(o, 50))}  p99 ${fmt(percentile(o, 99))}  errors ${errors.ours}`);
    console.log(`  floor: p50 ${fmt(percentile(f, 50))}  p99 ${fmt(percentile(f, 99))}  errors ${errors.floor}  (bare Bolt app that only acks)`);
    console.log(`  p99 ratio ours/floor: ${ratio.toFixed(2)} (target ≤ ${TARGET_RATIO}) ${ratio <= TARGET_RATIO ? 'OK' : 'ABOVE TARGET'}`);
    const median = (xs: number[]) => percentile(sort(xs), 50);
    const perRound = median(roundP99.ours) / median(roundP99.floor);
    console.log(`  median of per-round p99s: ours ${fmt(median(roundP99.ours))}, floor ${fmt(median(roundP99.floor))}, ratio ${perRound.toFixed(2)} (less sensitive to one stalled round; load average ${loadavg().map((l) => l.toFixed(1)).join(' ')})`);
    const fr = sort(firstReply);
    const up = sort(updated);
    console.log(`  time to first reply (chat.postMessage): p50 ${fmt(percentile(fr, 50))}  p99 ${fmt(percentile(fr, 99))}  (n=${fr.length}/${expected})`);
    console.log(`  time to updated reply (chat.update):    p50 ${fmt(percentile(up, 50))}  p99 ${fmt(percentile(up, 99))}  (n=${up.length}/${expected}; ${[...outcomes].map(([k, v]) => `${k}: ${v}`).join(', ')})`);
  } finally {
    for (const c of children) {
      c.removeAllListeners('exit');
      c.kill('SIGTERM');
    }
    await slack.close();
  }
}

const role = process.env.HT_BENCH_SLACK_CHILD;
if (role === 'ours' || role === 'floor') {
  child(role).catch((err: unknown) => {
    console.error(err);
    process.exit(1);
  });
} else if (process.argv[1] === fileURLToPath(import.meta.url)) {
  run().catch((err: unknown) => {
    console.error(err);
    process.exitCode = 1;
  });
}
