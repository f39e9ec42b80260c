import { afterEach, describe, expect, it } from 'vitest';
import { sendCommand, sendInteraction, modalSubmission, uniqueTriggerId } from '../support/slack-requests.js';
import { ReplyBeingUpdatedError } from '../../src/slack/reporter.js';
import { okResult, payloadText, RecordingDispatcher, SELECTOR_PASTE, SIGNING_SECRET, startHarness, type Harness, useHarness } from './harness.js';

describe('/helm-triage over HTTP (uses ports: local Slack API + app)', () => {
  const ctx = useHarness();

  it('a reply another replica is updating is not skipped: the report fails retryably, and succeeds once the claim is gone', async () => {
    await sendCommand(ctx.h.url, SIGNING_SECRET, { text: SELECTOR_PASTE, channel_id: 'C0CHAN001', response_url: ctx.h.slack.responseUrl('r9') });
    const { job, jobId } = await ctx.h.slack.waitFor('a check job', () => ctx.dispatcher.jobs[0]);
    await ctx.h.kv.set(`slack:report:${jobId}`, 'updating', 60_000); // what a replica mid-update (or one that died) holds
    await expect(ctx.h.app.reporter.report(job, okResult(jobId, job.cluster))).rejects.toBeInstanceOf(ReplyBeingUpdatedError);
    expect(ctx.h.slack.callsTo('chat.update')).toHaveLength(0);
    await ctx.h.kv.del(`slack:report:${jobId}`); // that claim expired
    await ctx.h.app.reporter.report(job, okResult(jobId, job.cluster));
    expect(ctx.h.slack.callsTo('chat.update')).toHaveLength(1);
    expect(await ctx.h.kv.get(`slack:report:${jobId}`)).toBe('done');
    await ctx.h.app.reporter.report(job, okResult(jobId, job.cluster)); // done: skipped quietly
    expect(ctx.h.slack.callsTo('chat.update')).toHaveLength(1);
  });

  it('acks at once, posts the text diagnosis in the channel, then updates that same message once with the evidence', async () => {
    const res = await sendCommand(ctx.h.url, SIGNING_SECRET, { text: SELECTOR_PASTE, channel_id: 'C0CHAN001', response_url: ctx.h.slack.responseUrl('r1') });
    expect(res.status).toBe(200);
    expect(res.body).toBe('');

    const post = await ctx.h.slack.waitFor('chat.postMessage', () => ctx.h.slack.callsTo('chat.postMessage')[0]);
    expect(post.params.channel).toBe('C0CHAN001');
    expect(String(post.params.text)).toContain('Deployment selector cannot change');
    expect(post.params.link_names).toBeUndefined();
    expect(payloadText(post.params)).toContain('Running read-only checks on cluster');

    const submitted = await ctx.h.slack.waitFor('a check job', () => ctx.dispatcher.jobs[0]);
    const { job, jobId } = submitted;
    expect(job.playbook).toBe('selector-change');
    expect(job.cluster).toBe('test-cluster');
    expect(job.requester).toMatchObject({ kind: 'slack', channel: 'C0CHAN001', messageTs: '1700000000.000001' });
    const triageId = job.requester.kind === 'slack' ? job.requester.triageId : undefined;
    expect(triageId).toMatch(/^[A-Za-z0-9_-]{24}$/);

    await ctx.h.app.reporter.report(job, okResult(jobId, job.cluster));
    await ctx.h.app.reporter.report(job, okResult(jobId, job.cluster)); // a queue re-delivery
    const updates = ctx.h.slack.callsTo('chat.update');
    expect(updates).toHaveLength(1);
    expect(updates[0]?.params.ts).toBe('1700000000.000001');
    const body = payloadText(updates[0]?.params ?? {});
    expect(body).toContain('✅ revision 7 failed');
    expect(body).toContain('❌ no webhook involved');
    expect(body).toContain('❔ could not read events');
    expect(body).toContain(`/t/${triageId}`);
    expect(body).toContain('/runbooks/selector-change?release=web&namespace=shop');
    expect(ctx.h.slack.callsTo('chat.postMessage')).toHaveLength(1);
    const stored = await ctx.h.triages.get(triageId ?? '');
    expect(stored?.verdict?.status).toBe('confirmed');
    expect(stored?.slack).toEqual({ channel: 'C0CHAN001', ts: '1700000000.000001' });
  });

  it('answers `help` with usage, privately, through response_url', async () => {
    await sendCommand(ctx.h.url, SIGNING_SECRET, { text: 'help', response_url: ctx.h.slack.responseUrl('help') });
    const r = await ctx.h.slack.waitFor('help reply', () => ctx.h.slack.responses.find((x) => x.id === 'help'));
    expect(r.body.response_type).toBe('ephemeral');
    expect(JSON.stringify(r.body)).toContain('--namespace');
    expect(ctx.h.slack.callsTo('chat.postMessage')).toHaveLength(0);
  });

  it('opens a modal when there is no text; its submission answers in the original channel', async () => {
    const trigger = uniqueTriggerId();
    await sendCommand(ctx.h.url, SIGNING_SECRET, { text: '  ', trigger_id: trigger, channel_id: 'C0MODAL01' });
    const open = await ctx.h.slack.waitFor('views.open', () => ctx.h.slack.callsTo('views.open')[0]);
    expect(open.params.trigger_id).toBe(trigger);
    const view = open.params.view as { private_metadata: string; blocks: Array<{ element?: { multiline?: boolean } }> };
    expect(view.blocks[0]?.element?.multiline).toBe(true);

    const sub = await sendInteraction(ctx.h.url, SIGNING_SECRET, modalSubmission({ text: SELECTOR_PASTE, privateMetadata: view.private_metadata }));
    expect(sub.status).toBe(200);
    const post = await ctx.h.slack.waitFor('reply in channel', () => ctx.h.slack.callsTo('chat.postMessage')[0]);
    expect(post.params.channel).toBe('C0MODAL01');
    expect(String(post.params.text)).toContain('Deployment selector cannot change');
  });

  it('with --private answers ephemerally through response_url and later replaces that answer', async () => {
    await sendCommand(ctx.h.url, SIGNING_SECRET, { text: `--private --release api ${SELECTOR_PASTE}`, response_url: ctx.h.slack.responseUrl('priv') });
    const first = await ctx.h.slack.waitFor('ephemeral reply', () => ctx.h.slack.responses.find((x) => x.id === 'priv'));
    expect(first.body.response_type).toBe('ephemeral');
    expect(JSON.stringify(first.body)).toContain('release `api`');
    const { job, jobId } = await ctx.h.slack.waitFor('job', () => ctx.dispatcher.jobs[0]);
    expect(job.facts.release).toBe('api');
    expect(job.requester).toMatchObject({ responseUrl: ctx.h.slack.responseUrl('priv') });
    await ctx.h.app.reporter.report(job, okResult(jobId, job.cluster));
    const replaced = ctx.h.slack.responses.filter((x) => x.id === 'priv');
    expect(replaced).toHaveLength(2);
    expect(replaced[1]?.body.replace_original).toBe(true);
    expect(ctx.h.slack.callsTo('chat.postMessage')).toHaveLength(0);
  });

  it('routes checks by --cluster, else CHANNEL_CLUSTERS, else CLUSTER_NAME', async () => {
    await sendCommand(ctx.h.url, SIGNING_SECRET, { text: `--cluster prod-eu ${SELECTOR_PASTE}` });
    const { job } = await ctx.h.slack.waitFor('job', () => ctx.dispatcher.jobs[0]);
    expect(job.cluster).toBe('prod-eu');
  });

  it('answers through response_url when the bot is not in the channel', async () => {
    ctx.h.slack.failNext('chat.postMessage', 'not_in_channel');
    await sendCommand(ctx.h.url, SIGNING_SECRET, { text: SELECTOR_PASTE, channel_id: 'C0NOTIN01', response_url: ctx.h.slack.responseUrl('nic') });
    const r = await ctx.h.slack.waitFor('response_url reply', () => ctx.h.slack.responses.find((x) => x.id === 'nic'));
    expect(r.body.response_type).toBe('in_channel');
    expect(JSON.stringify(r.body)).toContain('Deployment selector cannot change');
    const { job } = await ctx.h.slack.waitFor('job', () => ctx.dispatcher.jobs[0]);
    expect(job.requester).toMatchObject({ channel: 'C0NOTIN01', responseUrl: ctx.h.slack.responseUrl('nic') });
    expect(job.requester.kind === 'slack' && job.requester.messageTs).toBeFalsy();
  });

  it('retries a chat.postMessage that Slack rate-limits (429) and loses nothing', async () => {
    ctx.h.slack.rateLimitNext('chat.postMessage', 1);
    await sendCommand(ctx.h.url, SIGNING_SECRET, { text: SELECTOR_PASTE });
    await ctx.h.slack.waitFor('retried post', () => ctx.h.slack.callsTo('chat.postMessage').length === 2, 8000);
    await ctx.h.slack.waitFor('job after the retry', () => ctx.dispatcher.jobs[0], 8000);
    expect(ctx.dispatcher.jobs[0]?.job.requester).toMatchObject({ messageTs: '1700000000.000001' });
  });

  it('handles the same trigger_id once, even when Slack sends it twice', async () => {
    const trigger = uniqueTriggerId();
    await Promise.all([
      sendCommand(ctx.h.url, SIGNING_SECRET, { text: SELECTOR_PASTE, trigger_id: trigger }),
      sendCommand(ctx.h.url, SIGNING_SECRET, { text: SELECTOR_PASTE, trigger_id: trigger }, { retryNum: 1 }),
    ]);
    await ctx.h.slack.waitFor('post', () => ctx.h.slack.callsTo('chat.postMessage')[0]);
    await new Promise((r) => setTimeout(r, 200));
    expect(ctx.h.slack.callsTo('chat.postMessage')).toHaveLength(1);
    expect(ctx.dispatcher.jobs).toHaveLength(1);
  });

  it('says so in the message when the check queue is unavailable, and keeps the text diagnosis', async () => {
    ctx.dispatcher.status = 'unavailable';
    await sendCommand(ctx.h.url, SIGNING_SECRET, { text: SELECTOR_PASTE });
    const update = await ctx.h.slack.waitFor('update', () => ctx.h.slack.callsTo('chat.update')[0]);
    expect(payloadText(update.params)).toContain('Cluster checks unavailable: queue unreachable (test)');
    expect(payloadText(update.params)).toContain('Root cause');
  });
});

describe('/helm-triage limits (uses ports)', () => {
  let h: Harness;
  afterEach(async () => h?.close());

  it('rate-limits per user with a polite ephemeral message', async () => {
    h = await startHarness({ env: { RATE_LIMIT_PER_MINUTE: '2' } });
    for (let i = 0; i < 3; i += 1) {
      await sendCommand(h.url, SIGNING_SECRET, { text: SELECTOR_PASTE, user_id: 'U0RATE001', response_url: h.slack.responseUrl(`rl${i}`) });
    }
    const limited = await h.slack.waitFor('rate-limit reply', () => h.slack.responses.find((x) => x.id === 'rl2'));
    expect(limited.body.response_type).toBe('ephemeral');
    expect(String(limited.body.text)).toMatch(/wait a minute/);
    await h.slack.waitFor('two posts', () => h.slack.callsTo('chat.postMessage').length === 2);
    await sendCommand(h.url, SIGNING_SECRET, { text: SELECTOR_PASTE, user_id: 'U0OTHER01' });
    await h.slack.waitFor('another user is not limited', () => h.slack.callsTo('chat.postMessage').length === 3);
  });

  it('gives channels outside CHECK_CHANNELS the text diagnosis only, with a note', async () => {
    const dispatcher = new RecordingDispatcher();
    h = await startHarness({ dispatcher, env: { CHECK_CHANNELS: 'C0ALLOWED' } });
    await sendCommand(h.url, SIGNING_SECRET, { text: SELECTOR_PASTE, channel_id: 'C0ELSEWHR' });
    const post = await h.slack.waitFor('post', () => h.slack.callsTo('chat.postMessage')[0]);
    expect(payloadText(post.params)).toContain('Text diagnosis only');
    expect(payloadText(post.params)).toContain('Root cause');
    await sendCommand(h.url, SIGNING_SECRET, { text: SELECTOR_PASTE, channel_id: 'C0ALLOWED' });
    await h.slack.waitFor('job from the allowed channel', () => dispatcher.jobs[0]);
    expect(dispatcher.jobs).toHaveLength(1);
    expect(dispatcher.jobs[0]?.job.requester).toMatchObject({ channel: 'C0ALLOWED' });
  });

  it('checks CHECK_USERGROUPS membership through usergroups.users.list, cached', async () => {
    const dispatcher = new RecordingDispatcher();
    h = await startHarness({ dispatcher, env: { CHECK_USERGROUPS: 'S0ONCALL1' } });
    h.slack.setUsergroup('S0ONCALL1', ['U0ONCALL1']);
    await sendCommand(h.url, SIGNING_SECRET, { text: SELECTOR_PASTE, user_id: 'U0VISITOR' });
    const post = await h.slack.waitFor('post', () => h.slack.callsTo('chat.postMessage')[0]);
    expect(payloadText(post.params)).toContain('CHECK_USERGROUPS');
    await sendCommand(h.url, SIGNING_SECRET, { text: SELECTOR_PASTE, user_id: 'U0ONCALL1' });
    await h.slack.waitFor('job for the on-call member', () => dispatcher.jobs[0]);
    expect(h.slack.callsTo('usergroups.users.list')).toHaveLength(1);
  });
});
