// End to end: signed slash command → Bolt app → text reply → BullMQ (real Redis) → agent against the local
// Kubernetes API → result consumer → SlackReporter → the same message updated once. Nothing is faked but
// Slack (local Slack API server) and the cluster (local Kubernetes API server).
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAgent, type Agent } from '../../src/queue/agent.js';
import { BullMqDispatcher } from '../../src/queue/dispatcher.js';
import { startResultConsumer, type ResultConsumer } from '../../src/queue/result-consumer.js';
import { RedisKeyValueStore } from '../../src/store/redis-kv.js';
import { kubeFor, startKubeApiServer, type KubeApiServer } from '../support/kube-api-server.js';
import { needs } from '../support/needs.js';
import { startTestRedis, type TestRedis } from '../support/redis.js';
import { startSlackApiServer, type SlackApiServer } from '../support/slack-api-server.js';
import { buttonClick, eventEnvelope, sendCommand, sendEvent, sendInteraction, uniqueEventId } from '../support/slack-requests.js';
import { payloadText, SELECTOR_PASTE, SIGNING_SECRET, startHarness, type Harness } from './harness.js';

async function deleteKeys(url: string, pattern: string): Promise<void> {
  const redis = new Redis(url, { maxRetriesPerRequest: 1 });
  redis.on('error', () => undefined);
  try {
    let cursor = '0';
    do {
      const [next, found] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 500);
      cursor = next;
      if (found.length > 0) await redis.del(...found);
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}

describe('Slack end to end with Redis, BullMQ, an agent and the local Kubernetes API (uses redis-server and ports)', needs('redis'), () => {
  const prefix = `ht-slack-${randomUUID().slice(0, 8)}`;
  let redis: TestRedis;
  let kvRedis: Redis;
  let kube: KubeApiServer;
  let slack: SlackApiServer;
  let dispatcher: BullMqDispatcher;
  let agent: Agent;
  let consumer: ResultConsumer;
  let a: Harness;
  let b: Harness;

  beforeAll(async () => {
    redis = await startTestRedis();
    kvRedis = new Redis(redis.url, { maxRetriesPerRequest: 1 });
    kube = await startKubeApiServer({
      objects: [
        { helmRelease: { name: 'web', namespace: 'shop', revision: 6, status: 'superseded' } },
        { helmRelease: { name: 'web', namespace: 'shop', revision: 7, status: 'failed', description: 'Upgrade "web" failed: spec.selector: field is immutable' } },
        // orders-db pins its image tag in the user-supplied values; ledger-db pins nothing.
        { helmRelease: { name: 'orders-db', namespace: 'data', revision: 5, status: 'superseded', config: { image: { tag: '11' } } } },
        { helmRelease: { name: 'orders-db', namespace: 'data', revision: 6, status: 'deployed', config: { image: { tag: '11' } } } },
        { helmRelease: { name: 'ledger-db', namespace: 'data', revision: 3, status: 'deployed', config: { persistence: { size: '20Gi' } } } },
      ],
    });
    slack = await startSlackApiServer();
    const kv = new RedisKeyValueStore(kvRedis, `${prefix}:kv:`);
    // A 1 ms dedup window: every request is a new job, so only the app's own idempotency keeps replies single.
    dispatcher = new BullMqDispatcher({ redisUrl: redis.url, prefix, dedupWindowMs: 1 });
    // Two bot replicas behind one "load balancer": same Redis, same Slack.
    a = await startHarness({ slack, kv, dispatcher });
    b = await startHarness({ slack, kv, dispatcher, knownIdentity: true });
    agent = startAgent({ redisUrl: redis.url, prefix, cluster: 'test-cluster', kube: kubeFor(kube), playbooks: a.playbooks, drainDelay: 1 });
    consumer = startResultConsumer({ redisUrl: redis.url, prefix, kv, reporter: a.app.reporter, drainDelay: 1, clusters: ['test-cluster'] });
    dispatcher.onQueue((cluster) => consumer.watch(cluster));
    await Promise.all([agent.ready(), consumer.ready()]);
  });

  afterAll(async () => {
    await Promise.allSettled([agent?.close(), consumer?.close()]);
    await dispatcher?.close();
    await Promise.allSettled([a?.close(), b?.close()]);
    await slack?.close();
    await kube?.close();
    if (redis) await deleteKeys(redis.url, `${prefix}:*`).catch(() => undefined);
    kvRedis?.disconnect();
    await redis?.close();
  });

  it('command → immediate text reply → the same message updated once with cluster evidence', async () => {
    slack.reset();
    const res = await sendCommand(a.url, SIGNING_SECRET, { text: SELECTOR_PASTE, channel_id: 'C0E2E0001' });
    expect(res.status).toBe(200);
    const post = await slack.waitFor('text reply', () => slack.callsTo('chat.postMessage')[0]);
    expect(payloadText(post.params)).toContain('Running read-only checks');
    const update = await slack.waitFor('updated reply', () => slack.callsTo('chat.update')[0], 15_000);
    expect(update.params.ts).toBe(post.response?.ts);
    expect(update.params.ts).toMatch(/^\d+\.\d+$/);
    expect(update.params.channel).toBe('C0E2E0001');
    const body = payloadText(update.params);
    expect(body).toContain('✅ release web revision 7 (failed)');
    expect(body).toContain('Checked on cluster `test-cluster`');
    await new Promise((r) => setTimeout(r, 500));
    expect(slack.callsTo('chat.update')).toHaveLength(1);
    expect(slack.callsTo('chat.postMessage')).toHaveLength(1);
    expect(kube.writeAttempts).toHaveLength(0);
  });

  it('a Slack retry landing on the other replica does not answer twice', async () => {
    slack.reset();
    const envelope = eventEnvelope({ type: 'message', channel: 'C0E2E0002', channel_type: 'channel', user: 'U0USER001', text: SELECTOR_PASTE, ts: '1690000100.000001' }, uniqueEventId());
    await Promise.all([
      sendEvent(a.url, SIGNING_SECRET, envelope),
      sendEvent(b.url, SIGNING_SECRET, envelope, { retryNum: 1, retryReason: 'http_timeout' }),
    ]);
    await slack.waitFor('threaded reply', () => slack.callsTo('chat.postMessage')[0]);
    await slack.waitFor('update', () => slack.callsTo('chat.update')[0], 15_000);
    await new Promise((r) => setTimeout(r, 500));
    expect(slack.callsTo('chat.postMessage')).toHaveLength(1);
    expect(slack.callsTo('chat.update')).toHaveLength(1);
  });

  it('duplicate "Re-run checks" clicks on two replicas re-run once and update once', async () => {
    slack.reset();
    await sendCommand(a.url, SIGNING_SECRET, { text: `--release web ${SELECTOR_PASTE}`, channel_id: 'C0E2E0003' });
    const first = await slack.waitFor('first update', () => slack.callsTo('chat.update')[0], 15_000);
    const rerun = JSON.stringify(first.params.blocks).match(/"action_id":"ht_rerun","text":\{[^}]*\},"value":"([^"]+)"/);
    const triageId = rerun?.[1] ?? '';
    expect(triageId).not.toBe('');
    const click = buttonClick({ actionId: 'ht_rerun', value: triageId, channel: 'C0E2E0003', messageTs: String(first.params.ts), responseUrl: slack.responseUrl('rerun') });
    await Promise.all([sendInteraction(a.url, SIGNING_SECRET, click), sendInteraction(b.url, SIGNING_SECRET, click)]);
    // The click sets "running" (update 2), the new job's result replaces it (update 3), and nothing more.
    await slack.waitFor('re-run settled', () => slack.callsTo('chat.update').length >= 3, 15_000);
    await new Promise((r) => setTimeout(r, 500));
    expect(slack.callsTo('chat.update')).toHaveLength(3);
    expect(payloadText(slack.callsTo('chat.update')[1]?.params ?? {})).toContain('Running read-only checks');
    expect(slack.responses.filter((r) => r.id === 'rerun')).toHaveLength(0);
    const last = payloadText(slack.callsTo('chat.update')[2]?.params ?? {});
    expect(last).toContain('✅ release web revision 7 (failed)');
  });

  it('an abstaining first reply still checks the candidates, and the update shows the diagnosis the cluster confirmed', async () => {
    slack.reset();
    const prose = 'since we moved the pipeline to `helm upgrade orders-db ./postgres -n data --reuse-values`, after every upgrade the pod is back on image postgres:11 although values.yaml says 15';
    await sendCommand(a.url, SIGNING_SECRET, { text: prose, channel_id: 'C0E2E0004' });
    const post = await slack.waitFor('text reply', () => slack.callsTo('chat.postMessage')[0]);
    const first = payloadText(post.params);
    expect(first).toContain('No confident diagnosis');
    expect(first).toContain('I am checking the closest candidates on the cluster');
    const update = await slack.waitFor('updated reply', () => slack.callsTo('chat.update')[0], 15_000);
    expect(update.params.ts).toBe(post.response?.ts);
    const body = payloadText(update.params);
    expect(body).toContain('A stored value pins the image');
    expect(body).not.toContain('No confident diagnosis');
    expect(body).toContain('The first reply was a guess (no confident diagnosis from the text): the cluster confirmed `pinned-values`');
    expect(body).toContain('confirmed by the cluster: revision 6 of orders-db stores user-supplied image.tag=\\"11\\"');
    expect(body).toContain('helm get values orders-db -n data');
    expect(body).toContain('--reset-then-reuse-values');
    await new Promise((r) => setTimeout(r, 300));
    expect(slack.callsTo('chat.update')).toHaveLength(1);
    expect(kube.writeAttempts).toHaveLength(0);
  });

  it('an abstaining first reply whose candidate the cluster refutes stays an abstention', async () => {
    slack.reset();
    const prose = 'since we moved the pipeline to `helm upgrade ledger-db ./postgres -n data --reuse-values`, after every upgrade the pod is back on image postgres:11 although values.yaml says 15';
    await sendCommand(a.url, SIGNING_SECRET, { text: prose, channel_id: 'C0E2E0005' });
    await slack.waitFor('text reply', () => slack.callsTo('chat.postMessage')[0]);
    const update = await slack.waitFor('updated reply', () => slack.callsTo('chat.update')[0], 15_000);
    const body = payloadText(update.params);
    expect(body).toContain('No confident diagnosis');
    expect(body).toContain('no diagnosis: pinned-values refuted (revision 3 of ledger-db stores no user-supplied image values');
    expect(body).not.toContain('first reply was a guess');
  });
});
