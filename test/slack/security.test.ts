import { describe, expect, it } from 'vitest';
import { eventEnvelope, sendCommand, sendEvent } from '../support/slack-requests.js';
import { SELECTOR_PASTE, SIGNING_SECRET, useHarness } from './harness.js';

const now = () => Math.floor(Date.now() / 1000);

describe('Slack request signatures (uses ports)', () => {
  const ctx = useHarness();

  it('accepts a correctly signed request', async () => {
    expect((await sendCommand(ctx.h.url, SIGNING_SECRET, { text: 'help' })).status).toBe(200);
  });

  it('rejects a forged signature with 401 and does nothing', async () => {
    const res = await sendCommand(ctx.h.url, SIGNING_SECRET, { text: SELECTOR_PASTE }, { signWith: 'not-the-real-secret' });
    expect(res.status).toBe(401);
    await new Promise((r) => setTimeout(r, 100));
    expect(ctx.h.slack.callsTo('chat.postMessage')).toHaveLength(0);
  });

  it('rejects a stale timestamp (replay) with 401', async () => {
    expect((await sendCommand(ctx.h.url, SIGNING_SECRET, { text: 'help' }, { timestamp: now() - 6 * 60 })).status).toBe(401);
  });

  it('rejects a timestamp more than 5 minutes in the future with 401, and accepts small skew', async () => {
    expect((await sendCommand(ctx.h.url, SIGNING_SECRET, { text: 'help' }, { timestamp: now() + 6 * 60 })).status).toBe(401);
    expect((await sendCommand(ctx.h.url, SIGNING_SECRET, { text: 'help' }, { timestamp: now() + 60 })).status).toBe(200);
  });

  it('answers 404 for paths it does not serve', async () => {
    const res = await fetch(ctx.h.url.replace('/slack/events', '/elsewhere'), { method: 'POST', body: 'x' });
    expect(res.status).toBe(404);
  });
});

describe('pasted text never pings and never leaks (uses ports)', () => {
  const ctx = useHarness();

  const injected = [
    '$ helm upgrade web ./chart -n shop',
    'Error: UPGRADE FAILED: Deployment.apps "web" is invalid: spec.selector: Invalid value: <!channel> <!here> <@U0VICTIM1> <!subteam^S0TEAM|@oncall> & more: field is immutable',
  ].join('\n');

  it('escapes <!channel>, <!here>, <@U…> and & from the paste in every message sent to Slack', async () => {
    await sendCommand(ctx.h.url, SIGNING_SECRET, { text: injected, response_url: ctx.h.slack.responseUrl('inj') });
    await sendEvent(ctx.h.url, SIGNING_SECRET, eventEnvelope({ type: 'message', channel: 'C0CHAN002', channel_type: 'channel', user: 'U0USER001', text: injected, ts: '1690000001.000001' }));
    await ctx.h.slack.waitFor('two replies', () => ctx.h.slack.callsTo('chat.postMessage').length === 2);
    const sent = JSON.stringify([ctx.h.slack.calls.map((c) => c.params), ctx.h.slack.responses.map((r) => r.body)]);
    for (const raw of ['<!channel>', '<!here>', '<@U0VICTIM1>', '<!subteam']) expect(sent).not.toContain(raw);
    // The normalizer may already have defused some mentions; whatever is left must arrive escaped.
    expect(sent).toContain('&amp; more');
    expect(sent).toMatch(/&lt;!subteam|@oncall/);
    for (const post of ctx.h.slack.callsTo('chat.postMessage')) {
      expect(post.params.link_names).toBeUndefined();
      expect(post.params.parse).toBe('none');
    }
  });

  it('keeps secrets in a paste out of logs, Slack messages, stored triages and check jobs', async () => {
    const secretToken = 'xoxb-123456789-SECRETVALUE-abcdef';
    const paste = `${SELECTOR_PASTE}\nAuthorization: Bearer sk-live-SUPERSECRET-0000\nhelm upgrade web ./chart --set token=${secretToken}`;
    await sendCommand(ctx.h.url, SIGNING_SECRET, { text: paste });
    const { job } = await ctx.h.slack.waitFor('job', () => ctx.dispatcher.jobs[0]);
    const triageId = job.requester.kind === 'slack' ? job.requester.triageId ?? '' : '';
    const stored = JSON.stringify(await ctx.h.triages.get(triageId));
    const everywhere = [ctx.h.logs.join('\n'), JSON.stringify(ctx.h.slack.calls.map((c) => c.params)), stored, JSON.stringify(job)];
    for (const place of everywhere) {
      expect(place).not.toContain('SECRETVALUE');
      expect(place).not.toContain('SUPERSECRET');
    }
    expect(stored).toContain('selector-change');
    expect(ctx.h.logs.join('\n')).toContain('slack triage answered');
  });
});
