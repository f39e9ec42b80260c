// `/helm-triage rollback-plan …` and the "Plan a rollback" button through the real Slack app against the
// local Slack API (signed requests). The dispatcher records jobs; the reporter is the app's own, fed a plan.
import { describe, expect, it } from 'vitest';
import { parseRollbackPlanCommand } from '../../src/slack/command-options.js';
import { KeyValueRollbackPlanStore } from '../../src/store/rollback-plans.js';
import { rollbackRequestFrom } from '../../src/slack/listeners/actions/rollback-plan.js';
import { willFailPlan } from '../render/rollback-fixtures.js';
import { buttonClick, sendCommand, sendInteraction } from '../support/slack-requests.js';
import { PUBLIC_BASE_URL, RecordingDispatcher, SELECTOR_PASTE, SIGNING_SECRET, okResult, payloadText, startHarness, useHarness } from './harness.js';

describe('parseRollbackPlanCommand', () => {
  it('reads release, revision, namespace, cluster, --force and --private in any order after the subcommand', () => {
    expect(parseRollbackPlanCommand('rollback-plan web 3 -n prod')).toEqual({ kind: 'ok', options: { release: 'web', revision: 3, namespace: 'prod', private: false, force: false } });
    expect(parseRollbackPlanCommand('  --private rollback-plan -n=prod web --cluster eu-1 --force')).toEqual({
      kind: 'ok', options: { release: 'web', namespace: 'prod', cluster: 'eu-1', private: true, force: true },
    });
    expect(parseRollbackPlanCommand('--cluster eu-1 rollback-plan web')).toMatchObject({ kind: 'ok', options: { cluster: 'eu-1', namespace: 'default' } });
  });

  it('leaves pastes alone, even when they mention the word', () => {
    expect(parseRollbackPlanCommand('Error: UPGRADE FAILED rollback-plan web')).toEqual({ kind: 'not-rollback-plan' });
    expect(parseRollbackPlanCommand(SELECTOR_PASTE)).toEqual({ kind: 'not-rollback-plan' });
    expect(parseRollbackPlanCommand('')).toEqual({ kind: 'not-rollback-plan' });
  });

  it('says what is wrong instead of guessing', () => {
    const usage = (text: string) => {
      const parsed = parseRollbackPlanCommand(text);
      return parsed.kind === 'usage' ? parsed.message : `not a usage error: ${parsed.kind}`;
    };
    expect(usage('rollback-plan')).toMatch(/^Which release\?/);
    expect(usage('rollback-plan Web_App')).toMatch(/is not a Helm release name/);
    expect(usage('rollback-plan web three')).toMatch(/^The revision must be a number like 3/);
    expect(usage('rollback-plan web 0')).toMatch(/^The revision must be a number/);
    expect(usage('rollback-plan web 3 4')).toMatch(/^Too many arguments/);
    expect(usage('rollback-plan web -n')).toMatch(/`-n` needs a name after it/);
    expect(usage('rollback-plan web --dry-run')).toMatch(/I don't know the option `--dry-run`/);
    expect(usage('rollback-plan web')).toMatch(/^not a usage error: ok/);
  });
});

describe('rollbackRequestFrom (the button)', () => {
  it('plans the diagnosed release; a revision only when the failed command was a rollback to it', () => {
    expect(rollbackRequestFrom({ release: 'web', namespace: 'shop', verb: 'upgrade', revision: 7 })).toEqual({ release: 'web', namespace: 'shop' });
    expect(rollbackRequestFrom({ release: 'web', verb: 'rollback', revision: 1 })).toEqual({ release: 'web', namespace: 'default', revision: 1 });
    expect(rollbackRequestFrom({ release: 'web', namespace: 'storefront', verb: 'rollback', revision: 1, flags: ['--force'] })).toEqual({ release: 'web', namespace: 'storefront', revision: 1, force: true });
    expect(rollbackRequestFrom({ release: 'web', verb: 'upgrade', flags: ['--force'] })).toEqual({ release: 'web', namespace: 'default' });
    expect(rollbackRequestFrom({ namespace: 'shop' })).toBeNull();
  });
});

describe('/helm-triage rollback-plan (uses ports: local Slack API + app)', () => {
  const ctx = useHarness();

  it('replies at once, queues a rollback-plan job for the channel\'s cluster, and updates the same reply with the plan once', async () => {
    const started = performance.now();
    const res = await sendCommand(ctx.h.url, SIGNING_SECRET, { text: 'rollback-plan web 3 -n prod', channel_id: 'C0ROLL001' });
    expect(res.status).toBe(200);
    const post = await ctx.h.slack.waitFor('pending reply', () => ctx.h.slack.callsTo('chat.postMessage')[0]);
    const firstReplyMs = performance.now() - started;
    expect(payloadText(post.params)).toContain('Planning rollback of `web` to revision 3 in `prod` on cluster `test-cluster`');
    const { job, jobId } = await ctx.h.slack.waitFor('rollback job', () => ctx.dispatcher.rollbackJobs[0]);
    expect(job).toMatchObject({ v: 1, kind: 'rollback-plan', cluster: 'test-cluster', request: { release: 'web', namespace: 'prod', revision: 3 } });
    expect(job.requester).toMatchObject({ kind: 'slack', channel: 'C0ROLL001', messageTs: post.response?.ts });
    expect(job.deadline - job.createdAt).toBe(ctx.h.config.CHECK_DEADLINE_SECONDS * 1000);
    expect(ctx.dispatcher.jobs).toHaveLength(0);
    // The app keeps its plans in the shared store: any replica (and the web page) reads the same record.
    const plans = new KeyValueRollbackPlanStore(ctx.h.kv, 60_000);
    expect(await plans.get(job.planId)).toMatchObject({ cluster: 'test-cluster', request: job.request, slack: { channel: 'C0ROLL001', ts: post.response?.ts } });
    expect((await plans.get(job.planId))?.plan).toBeUndefined();

    const plan = willFailPlan({ request: { release: 'web', namespace: 'prod', revision: 3, context: 'test-cluster' } });
    const result = { ...okResult(jobId, job.cluster), findings: [], verdict: null, plan };
    await ctx.h.app.reporter.report(job, result);
    await ctx.h.app.reporter.report(job, result);
    const update = await ctx.h.slack.waitFor('updated reply', () => ctx.h.slack.callsTo('chat.update')[0]);
    expect(update.params.ts).toBe(post.response?.ts);
    const body = payloadText(update.params);
    expect(body).toContain('⛔ *Will fail*');
    expect(body).toContain(`${PUBLIC_BASE_URL}/rollback-plans/${job.planId}`);
    expect(ctx.h.slack.callsTo('chat.update')).toHaveLength(1);
    expect(await plans.get(job.planId)).toMatchObject({ plan: { verdict: { kind: 'will-fail' } }, answer: { outcome: 'ok' } });
    // The first reply goes out well inside Slack's 3 s, whatever the queue does.
    expect(firstReplyMs).toBeLessThan(3000);
  });

  it('answers usage errors privately and queues nothing', async () => {
    await sendCommand(ctx.h.url, SIGNING_SECRET, { text: 'rollback-plan web three -n prod', response_url: ctx.h.slack.responseUrl('usage') });
    const answer = await ctx.h.slack.waitFor('usage answer', () => ctx.h.slack.responses.find((r) => r.id === 'usage'));
    expect(String(answer.body.text)).toContain('The revision must be a number like 3');
    expect(answer.body.response_type).toBe('ephemeral');
    expect(ctx.dispatcher.rollbackJobs).toHaveLength(0);
    expect(ctx.h.slack.callsTo('chat.postMessage')).toHaveLength(0);
  });

  it('says so when the queue is down, on the same reply', async () => {
    ctx.dispatcher.status = 'unavailable';
    await sendCommand(ctx.h.url, SIGNING_SECRET, { text: 'rollback-plan web -n prod --cluster eu-1' });
    const update = await ctx.h.slack.waitFor('unavailable', () => ctx.h.slack.callsTo('chat.update')[0]);
    expect(payloadText(update.params)).toContain('No rollback plan for `web` in `prod` on cluster `eu-1`: queue unreachable (test).');
  });
});

describe('"Plan a rollback" on a diagnosis (uses ports: local Slack API + app)', () => {
  it('plans the diagnosed release in the diagnosis\' thread, once however often it is clicked', async () => {
    const dispatcher = new RecordingDispatcher();
    const h = await startHarness({ dispatcher, env: { CHANNEL_CLUSTERS: 'C0DIAG001=shop-eu' } });
    try {
      await sendCommand(h.url, SIGNING_SECRET, { text: SELECTOR_PASTE, channel_id: 'C0DIAG001' });
      const { job, jobId } = await h.slack.waitFor('check job', () => dispatcher.jobs[0]);
      await h.app.reporter.report(job, okResult(jobId, job.cluster));
      const update = await h.slack.waitFor('diagnosis', () => h.slack.callsTo('chat.update')[0]);
      const button = JSON.stringify(update.params.blocks).match(/"action_id":"ht_rollback_plan","text":\{[^}]*\},"value":"([^"]+)"/);
      const triageId = button?.[1] ?? '';
      expect(triageId).not.toBe('');
      const messageTs = String(update.params.ts);
      const click = buttonClick({ actionId: 'ht_rollback_plan', value: triageId, channel: 'C0DIAG001', messageTs, responseUrl: h.slack.responseUrl('rb') });
      await Promise.all([sendInteraction(h.url, SIGNING_SECRET, click), sendInteraction(h.url, SIGNING_SECRET, click)]);
      const { job: rollback } = await h.slack.waitFor('rollback job', () => dispatcher.rollbackJobs[0]);
      expect(rollback.request).toEqual({ release: 'web', namespace: 'shop' });
      expect(rollback.cluster).toBe('shop-eu');
      const replies = h.slack.callsTo('chat.postMessage');
      expect(replies).toHaveLength(2);
      expect(replies[1]?.params.thread_ts).toBe(messageTs);
      expect(payloadText(replies[1]?.params ?? {})).toContain('Planning rollback of `web` to the last good revision in `shop` on cluster `shop-eu`');
      await new Promise((r) => setTimeout(r, 200));
      expect(dispatcher.rollbackJobs).toHaveLength(1);
      expect(h.slack.responses.filter((r) => r.id === 'rb')).toHaveLength(0);
    } finally {
      await h.close();
    }
  });
});
