// `serve` as composed for production: startServe() with the environment a deployment sets, a signed slash
// command over HTTP, the local Slack API, the local Kubernetes API and (distributed mode) a real Redis and a
// real agent. Proves the wiring itself: reply at once, then the same message updated with the verdict.
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../src/cli/serve.js';
import type { KubeApiServer } from '../support/kube-api-server.js';
import type { TestRedis } from '../support/redis.js';
import { needs } from '../support/needs.js';
import { loadScenario } from '../support/scenario.js';
import { blocksText, startServeStack, type ServeStack } from '../support/serve.js';
import type { SlackApiServer } from '../support/slack-api-server.js';
import { sendCommand } from '../support/slack-requests.js';

const SECRET = 'serve-test-signing-secret';
const PASTE = [
  '$ helm rollback web 1 -n storefront --force',
  'Error: failed to replace object: Service "web" is invalid: spec.loadBalancerClass: Invalid value: "null": may not change once set',
].join('\n');
const scenario = loadScenario(join(import.meta.dirname, '..', 'scenarios', 'lbc-class-confirmed.yaml'));

async function waitReady(url: string, timeoutMs = 15_000): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const status = (await fetch(`${url}/readyz`, { headers: { accept: 'application/json' } })).status;
    if (status === 200 || Date.now() > deadline) return status;
    await new Promise((r) => setTimeout(r, 200));
  }
}

async function commandRoundTrip(server: RunningServer, slack: SlackApiServer, channel = 'C0SERVE01'): Promise<{ posted: string; updated: string }> {
  const res = await sendCommand(`${server.url}/slack/events`, SECRET, { text: PASTE, channel_id: channel });
  expect(res.status).toBe(200);
  const post = await slack.waitFor('chat.postMessage', () => slack.callsTo('chat.postMessage')[0], 10_000);
  const update = await slack.waitFor('chat.update with the verdict', () => slack.callsTo('chat.update').find((c) => /confirmed/i.test(blocksText(c.params))), 20_000);
  return { posted: blocksText(post.params), updated: blocksText(update.params) };
}

describe('serve, distributed mode (uses redis-server, an agent and local Slack/Kubernetes API servers)', needs('redis-server'), () => {
  let redis: TestRedis;
  let kube: KubeApiServer;
  let slack: SlackApiServer;
  let server: RunningServer;

  let stack: ServeStack | undefined;

  beforeAll(async () => {
    // A non-default prefix on both sides: the bot must take it from QUEUE_PREFIX.
    stack = await startServeStack({ scenario, secret: SECRET, distributed: { prefix: '{ht-serve}', agentName: `serve-test-${randomUUID().slice(0, 6)}` } });
    ({ kube, slack, server } = stack);
    redis = stack.redis as TestRedis;
  });
  afterAll(async () => {
    await stack?.close();
  });

  it('answers a slash command at once, then updates the same message with the confirmed verdict', async () => {
    expect(server.mode).toBe('distributed');
    expect(server.slack).toBe('http');
    const { posted, updated } = await commandRoundTrip(server, slack);
    expect(posted).toContain('loadBalancerClass');
    expect(updated).toMatch(/v2\.7\.1/);
    expect(slack.callsTo('chat.postMessage')).toHaveLength(1);
    const ts = slack.callsTo('chat.postMessage')[0]?.response?.ts;
    expect(slack.callsTo('chat.update').every((c) => c.params.ts === ts)).toBe(true);
    expect(kube.writeAttempts).toHaveLength(0);
  });

  it('still answers with the text diagnosis while Redis is down, saying checks are unavailable, and recovers', async () => {
    await redis.stop();
    try {
      slack.reset();
      const res = await sendCommand(`${server.url}/slack/events`, SECRET, { text: PASTE, channel_id: 'C0SERVE02' });
      expect(res.status).toBe(200);
      const post = await slack.waitFor('a reply while Redis is down', () => slack.callsTo('chat.postMessage')[0], 15_000);
      expect(blocksText(post.params)).toContain('loadBalancerClass');
      // The same message then says why no checks will follow.
      const note = await slack.waitFor('the unavailable note', () => slack.callsTo('chat.update').find((c) => /unavailable/i.test(blocksText(c.params))), 15_000);
      expect(note.params.ts).toBe(post.response?.ts);
    } finally {
      await redis.start();
    }
    // Recovery without a restart: once the bot reports ready again, a new request is checked as usual.
    expect(await waitReady(server.url)).toBe(200);
    await new Promise((r) => setTimeout(r, 1500)); // the producer's reconnect backoff is at most 1 s
    slack.reset();
    const { updated } = await commandRoundTrip(server, slack, 'C0SERVE03');
    expect(updated).toMatch(/v2\.7\.1/);
  }, 60_000);

  it('serves health, readiness (Redis reachable) and a runbook page on the same port', async () => {
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
    // Polls: an earlier test restarted Redis, and the bot reconnects by itself (no restart).
    expect(await waitReady(server.url)).toBe(200);
    const page = await fetch(`${server.url}/runbooks/immutable-load-balancer-class?release=web&namespace=storefront`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('helm history web -n storefront');
  });
});

describe('serve, embedded mode without Redis (uses local Slack/Kubernetes API servers)', () => {
  let kube: KubeApiServer;
  let slack: SlackApiServer;
  let server: RunningServer;

  let stack: ServeStack | undefined;

  beforeAll(async () => {
    stack = await startServeStack({ scenario, secret: SECRET });
    ({ kube, slack, server } = stack);
  });
  afterAll(async () => {
    await stack?.close();
  });

  it('runs the checks in-process and updates the reply', async () => {
    expect(server.mode).toBe('embedded');
    const { updated } = await commandRoundTrip(server, slack);
    expect(updated).toMatch(/mservice\.elbv2\.k8s\.aws/);
    expect(kube.writeAttempts).toHaveLength(0);
  });
});
