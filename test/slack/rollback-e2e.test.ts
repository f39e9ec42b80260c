// End to end, as `serve` composes it: a signed `/helm-triage rollback-plan` → the bot replies at once →
// a rollback-plan job on Redis (BullMQ) → the agent plans it with the real planner against the local
// Kubernetes API (release records of the founding loadBalancerClass case) → the same reply is updated
// with the plan → the permalink page on the same port shows the whole diff. Also from a diagnosis'
// "Plan a rollback" button, and in the embedded mode (no Redis). Nothing is faked but Slack (local Slack
// API) and the cluster (local Kubernetes API); the cluster sees GETs only.
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../src/cli/serve.js';
import { artifactsDir, launchBrowser } from '../support/browser.js';
import type { KubeApiServer } from '../support/kube-api-server.js';
import { has, needs } from '../support/needs.js';
import { loadScenario } from '../support/scenario.js';
import { SERVE_BASE_URL, blocksText, startServeStack, type ServeStack } from '../support/serve.js';
import type { SlackApiServer } from '../support/slack-api-server.js';
import { buttonClick, sendCommand, sendInteraction } from '../support/slack-requests.js';

const SECRET = 'rollback-e2e-signing-secret';
const BASE = SERVE_BASE_URL;
const scenario = loadScenario(join(import.meta.dirname, '..', 'scenarios', 'rollback', 'lbc-force.yaml'));
/** The failed rollback of the founding case, as pasted. */
const PASTE = [
  '$ helm rollback web 1 -n storefront --force',
  'Error: failed to replace object: Service "web" is invalid: spec.loadBalancerClass: Invalid value: "null": may not change once set',
].join('\n');

/** The plan's id from the "Full plan and diff" link of an updated reply. */
function planIdOf(params: Record<string, unknown>): string {
  return new RegExp(`${BASE}/rollback-plans/([A-Za-z0-9_-]{24})`).exec(JSON.stringify(params.blocks))?.[1] ?? '';
}

interface RoundTrip { firstReplyMs: number; posted: string; updated: string; planId: string; ts: string }

async function rollbackRoundTrip(server: RunningServer, slack: SlackApiServer, channel: string): Promise<RoundTrip> {
  slack.reset();
  const started = performance.now();
  const res = await sendCommand(`${server.url}/slack/events`, SECRET, { text: 'rollback-plan web 1 -n storefront --force', channel_id: channel });
  expect(res.status).toBe(200);
  const post = await slack.waitFor('the pending reply', () => slack.callsTo('chat.postMessage')[0], 10_000);
  const firstReplyMs = performance.now() - started;
  const update = await slack.waitFor('the reply updated with the plan', () => slack.callsTo('chat.update')[0], 20_000);
  expect(update.params.ts).toBe(post.response?.ts);
  return { firstReplyMs, posted: blocksText(post.params), updated: blocksText(update.params), planId: planIdOf(update.params), ts: String(post.response?.ts) };
}

async function expectFullDiffPage(server: RunningServer, planId: string): Promise<string> {
  const page = await fetch(`${server.url}/rollback-plans/${planId}`);
  expect(page.status).toBe(200);
  const html = (await page.text()).replaceAll('<wbr>', '');
  expect(html).toContain('<h1>Rollback plan: web → revision 1</h1>');
  expect(html).toContain('<span class="badge bad">Will fail</span>');
  expect(html).toContain('loadBalancerClass service.k8s.aws/nlb');
  // The whole diff: the one changed object, its field path, from → to.
  expect(html).toContain('<details class="object"><summary><span class="badge warn">changed</span> <code>Service storefront/web</code>');
  expect(html).toContain('<code class="path">metadata.labels[&quot;app.kubernetes.io/version&quot;]</code><div class="fromto"><span class="from"><code>2.4</code></span>');
  expect(html).toContain('<span class="to"><span class="absent">(absent)</span></span>');
  expect(html).toContain('Chart <code>web-1.1.0</code> → <code>web-1.0.0</code>.');
  expect(html).toContain('<code id="rollback-1">helm rollback web 1 -n storefront</code>');
  // User-supplied values never reach the page in clear.
  expect(html).not.toContain('hunter2-s3cret-Pw');
  return html;
}

describe('rollback plan from Slack, distributed (uses redis-server, an agent, Chromium and local Slack/Kubernetes API servers)', needs('redis-server'), () => {
  let kube: KubeApiServer;
  let slack: SlackApiServer;
  let server: RunningServer;
  let stack: ServeStack | undefined;
  const prefix = `{ht-rb-${randomUUID().slice(0, 6)}}`;

  beforeAll(async () => {
    stack = await startServeStack({ scenario, secret: SECRET, distributed: { prefix, agentName: 'rb-e2e-agent' } });
    ({ kube, slack, server } = stack);
  });
  afterAll(async () => {
    await stack?.close();
  });

  it('command → "planning…" at once → the same reply updated with "will fail" and the field → the page has the full diff; GETs only', async () => {
    const writes = kube.writeAttempts.length;
    const trip = await rollbackRoundTrip(server, slack, 'C0RBE2E01');
    expect(trip.posted).toContain('Planning rollback of `web` to revision 1 in `storefront` with `--force` on cluster `prod-eu`');
    expect(trip.firstReplyMs).toBeLessThan(3000);
    console.log(`rollback-plan e2e (distributed): first Slack reply ${trip.firstReplyMs.toFixed(0)} ms after the signed command`);
    expect(trip.updated).toContain('⛔ *Will fail* with --force: Service storefront/web');
    expect(trip.updated).toContain('loadBalancerClass service.k8s.aws/nlb');
    expect(trip.updated).toContain('```helm rollback web 1 -n storefront```');
    expect(trip.updated).toContain('`metadata.labels[\\"app.kubernetes.io/version\\"]`');
    expect(trip.planId).not.toBe('');
    await new Promise((r) => setTimeout(r, 500));
    expect(slack.callsTo('chat.update')).toHaveLength(1);
    expect(slack.callsTo('chat.postMessage')).toHaveLength(1);
    const html = await expectFullDiffPage(server, trip.planId);
    expect(kube.writeAttempts.length).toBe(writes);
    expect(kube.writeAttempts).toHaveLength(0);

    if (!has('chromium')) return;
    let browser: Browser | undefined;
    try {
      browser = await launchBrowser();
      for (const width of [375, 1280]) {
        const context = await browser.newContext({ viewport: { width, height: 800 } });
        const page = await context.newPage();
        await page.goto(`${server.url}/rollback-plans/${trip.planId}`);
        await page.locator('details.object > summary').first().click();
        expect(Number(await page.evaluate('document.documentElement.scrollWidth - window.innerWidth'))).toBeLessThanOrEqual(0);
        await page.screenshot({ path: join(artifactsDir(), `rollback-plan-e2e-${width}.png`), fullPage: true });
        await context.close();
      }
    } finally {
      await browser?.close();
    }
    expect(html.length).toBeGreaterThan(0);
  }, 60_000);

  it('"Plan a rollback" on the diagnosis of the failed rollback plans that very rollback in its thread', async () => {
    slack.reset();
    await sendCommand(`${server.url}/slack/events`, SECRET, { text: PASTE, channel_id: 'C0RBE2E02' });
    const diagnosis = await slack.waitFor('the diagnosis with checks', () => slack.callsTo('chat.update').find((c) => /confirmed/i.test(blocksText(c.params))), 20_000);
    const triageId = /"action_id":"ht_rollback_plan","text":\{[^}]*\},"value":"([^"]+)"/.exec(JSON.stringify(diagnosis.params.blocks))?.[1] ?? '';
    expect(triageId).not.toBe('');
    const messageTs = String(diagnosis.params.ts);
    const res = await sendInteraction(`${server.url}/slack/events`, SECRET, buttonClick({ actionId: 'ht_rollback_plan', value: triageId, channel: 'C0RBE2E02', messageTs }));
    expect(res.status).toBe(200);
    const reply = await slack.waitFor('the pending reply in the thread', () => slack.callsTo('chat.postMessage').find((c) => c.params.thread_ts === messageTs), 10_000);
    expect(blocksText(reply.params)).toContain('Planning rollback of `web` to revision 1 in `storefront`');
    const plan = await slack.waitFor('the thread reply updated with the plan', () => slack.callsTo('chat.update').find((c) => c.params.ts === reply.response?.ts), 20_000);
    expect(blocksText(plan.params)).toContain('⛔ *Will fail* with --force');
    await expectFullDiffPage(server, planIdOf(plan.params));
    expect(kube.writeAttempts).toHaveLength(0);
  }, 60_000);
});

describe('rollback plan from Slack, embedded mode without Redis (uses local Slack/Kubernetes API servers)', () => {
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

  it('plans in-process, updates the reply once, and serves the page', async () => {
    expect(server.mode).toBe('embedded');
    const trip = await rollbackRoundTrip(server, slack, 'C0RBEMB01');
    console.log(`rollback-plan e2e (embedded): first Slack reply ${trip.firstReplyMs.toFixed(0)} ms after the signed command`);
    expect(trip.updated).toContain('⛔ *Will fail* with --force');
    await expectFullDiffPage(server, trip.planId);
    await new Promise((r) => setTimeout(r, 300));
    expect(slack.callsTo('chat.update')).toHaveLength(1);
    expect(kube.writeAttempts).toHaveLength(0);
  }, 30_000);
});
