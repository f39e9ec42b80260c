import { afterEach, describe, expect, it } from 'vitest';
import type { KeyValueStore } from '../../src/store/kv.js';
import { MemoryKeyValueStore } from '../../src/store/memory-kv.js';
import { eventEnvelope, sendEvent, uniqueEventId } from '../support/slack-requests.js';
import { payloadText, RecordingDispatcher, SELECTOR_PASTE, SIGNING_SECRET, startHarness, type Harness, useHarness } from './harness.js';

let tsSeq = 0;
function userTs(): string {
  tsSeq += 1;
  return `1690000000.${String(tsSeq).padStart(6, '0')}`;
}

function message(fields: Record<string, unknown>): Record<string, unknown> {
  return { type: 'message', channel: 'C0CHAN001', channel_type: 'channel', user: 'U0USER001', text: SELECTOR_PASTE, ts: userTs(), ...fields };
}

/** Gives the app time to (not) answer; quietness can only be observed by waiting. */
const settle = () => new Promise((r) => setTimeout(r, 250));

/** A working store whose `nth` write to a key starting with `prefix` fails once, like a Redis blip at that step. */
class FailingWriteStore implements KeyValueStore {
  private readonly inner = new MemoryKeyValueStore();
  private seen = 0;
  failed = false;
  constructor(private readonly prefix: string, private readonly nth = 1) {}
  get(key: string) { return this.inner.get(key); }
  async set(key: string, value: string, ttlMs: number) {
    if (key.startsWith(this.prefix) && ++this.seen === this.nth) {
      this.failed = true;
      throw new Error(`injected write failure for ${this.prefix}`);
    }
    return this.inner.set(key, value, ttlMs);
  }
  setIfAbsent(key: string, value: string, ttlMs: number) { return this.inner.setIfAbsent(key, value, ttlMs); }
  incr(key: string, ttlMs: number) { return this.inner.incr(key, ttlMs); }
  del(key: string) { return this.inner.del(key); }
  ping() { return this.inner.ping(); }
  close() { return this.inner.close(); }
}

function succeeded(h: Harness) {
  return h.slack.callsTo('chat.postMessage').filter((c) => c.response?.ok === true);
}

describe('pasted logs in channels (uses ports: local Slack API + app)', () => {
  const ctx = useHarness();

  it('answers a pasted Helm failure in a thread under it, and queues the checks', async () => {
    const ev = message({});
    const res = await sendEvent(ctx.h.url, SIGNING_SECRET, eventEnvelope(ev));
    expect(res.status).toBe(200);
    const post = await ctx.h.slack.waitFor('threaded reply', () => ctx.h.slack.callsTo('chat.postMessage')[0]);
    expect(post.params.thread_ts).toBe(ev.ts);
    expect(post.params.channel).toBe('C0CHAN001');
    const { job } = await ctx.h.slack.waitFor('job', () => ctx.dispatcher.jobs[0]);
    expect(job.requester).toMatchObject({ channel: 'C0CHAN001', messageTs: '1700000000.000001' });
  });

  it('answers a Slack retry of the same event only once', async () => {
    const envelope = eventEnvelope(message({}), uniqueEventId());
    await sendEvent(ctx.h.url, SIGNING_SECRET, envelope);
    await sendEvent(ctx.h.url, SIGNING_SECRET, envelope, { retryNum: 1, retryReason: 'http_timeout' });
    await ctx.h.slack.waitFor('reply', () => ctx.h.slack.callsTo('chat.postMessage')[0]);
    await settle();
    expect(ctx.h.slack.callsTo('chat.postMessage')).toHaveLength(1);
  });

  it('stays quiet for bots, edits, deletes, joins and chat without failures', async () => {
    const quiet = [
      message({ bot_id: 'B0OTHER01' }),
      message({ subtype: 'bot_message', bot_id: 'B0OTHER01' }),
      message({ subtype: 'message_changed', message: { text: SELECTOR_PASTE } }),
      message({ subtype: 'message_deleted' }),
      message({ subtype: 'channel_join', text: '<@U0USER001> has joined the channel' }),
      message({ text: 'morning all, coffee anyone?' }),
      message({ text: 'Error: something unrelated happened in my spreadsheet macro today' }),
      message({ channel_type: 'im' }),
    ];
    for (const ev of quiet) await sendEvent(ctx.h.url, SIGNING_SECRET, eventEnvelope(ev));
    // Control: a plain human paste afterwards is answered, and it is the only answer.
    const control = message({});
    await sendEvent(ctx.h.url, SIGNING_SECRET, eventEnvelope(control));
    await ctx.h.slack.waitFor('reply to the control', () => ctx.h.slack.callsTo('chat.postMessage')[0]);
    await settle();
    expect(ctx.h.slack.callsTo('chat.postMessage').map((c) => c.params.thread_ts)).toEqual([control.ts]);
    expect(ctx.h.slack.callsTo('chat.postEphemeral')).toHaveLength(0);
  });

  it('never answers in the bot\'s own threads', async () => {
    await sendEvent(ctx.h.url, SIGNING_SECRET, eventEnvelope(message({ thread_ts: '1680000000.000001', parent_user_id: 'UBOT0001' })));
    await settle();
    expect(ctx.h.slack.callsTo('chat.postMessage')).toHaveLength(0);
  });

  it('never answers under a message the bot posted (remembered), e.g. a slash-command reply', async () => {
    const first = message({});
    await sendEvent(ctx.h.url, SIGNING_SECRET, eventEnvelope(first));
    await ctx.h.slack.waitFor('first reply', () => ctx.h.slack.callsTo('chat.postMessage')[0]);
    // Someone pastes another failure under the bot's reply thread (parent_user_id unknown to us here).
    await sendEvent(ctx.h.url, SIGNING_SECRET, eventEnvelope(message({ thread_ts: first.ts, text: SELECTOR_PASTE.replace('web', 'api') })));
    await settle();
    expect(ctx.h.slack.callsTo('chat.postMessage')).toHaveLength(1);
  });

  it('the same failure pasted again within the window links to the earlier triage instead of repeating it', async () => {
    await sendEvent(ctx.h.url, SIGNING_SECRET, eventEnvelope(message({})));
    await ctx.h.slack.waitFor('first reply', () => ctx.h.slack.callsTo('chat.postMessage')[0]);
    const again = message({ user: 'U0SECOND1' });
    await sendEvent(ctx.h.url, SIGNING_SECRET, eventEnvelope(again));
    const notice = await ctx.h.slack.waitFor('repeat notice', () => ctx.h.slack.callsTo('chat.postMessage')[1]);
    expect(notice.params.thread_ts).toBe(again.ts);
    expect(String(notice.params.text)).toContain('Same failure as one triaged a moment ago');
    expect(payloadText(notice.params)).toContain('https://test.slack.com/archives/C0CHAN001/p1700000000000001');
    expect(ctx.h.slack.callsTo('chat.getPermalink')).toHaveLength(1);
    expect(ctx.dispatcher.jobs).toHaveLength(1);
  });

  it('reads a shared text file (files.info + authorized download) and answers in its thread', async () => {
    ctx.h.slack.addFile({ id: 'F0SNIP001', content: `helm output follows\n${SELECTOR_PASTE}\n` });
    const ev = message({ subtype: 'file_share', text: '', files: [{ id: 'F0SNIP001' }] });
    await sendEvent(ctx.h.url, SIGNING_SECRET, eventEnvelope(ev));
    const post = await ctx.h.slack.waitFor('reply to the snippet', () => ctx.h.slack.callsTo('chat.postMessage')[0]);
    expect(post.params.thread_ts).toBe(ev.ts);
    expect(ctx.h.slack.callsTo('files.info')[0]?.params.file).toBe('F0SNIP001');
    expect(ctx.h.slack.fileDownloads).toEqual([{ id: 'F0SNIP001', authorized: true }]);
  });

  it('skips files above the size cap without downloading them', async () => {
    ctx.h.slack.addFile({ id: 'F0HUGE001', content: SELECTOR_PASTE, reportedSize: 50 * 1024 * 1024 });
    await sendEvent(ctx.h.url, SIGNING_SECRET, eventEnvelope(message({ subtype: 'file_share', text: '', files: [{ id: 'F0HUGE001' }] })));
    await ctx.h.slack.waitFor('files.info', () => ctx.h.slack.callsTo('files.info')[0]);
    await settle();
    expect(ctx.h.slack.fileDownloads).toHaveLength(0);
    expect(ctx.h.slack.callsTo('chat.postMessage')).toHaveLength(0);
  });
});

describe('pasted logs: configuration (uses ports)', () => {
  let h: Harness;
  afterEach(async () => h?.close());

  it('stays quiet below AUTO_REPLY_MIN_CONFIDENCE and when AUTO_REPLY is off', async () => {
    h = await startHarness({ env: { AUTO_REPLY_MIN_CONFIDENCE: '1' } });
    await sendEvent(h.url, SIGNING_SECRET, eventEnvelope(message({})));
    await settle();
    expect(h.slack.callsTo('chat.postMessage')).toHaveLength(0);
    await h.close();
    h = await startHarness({ env: { AUTO_REPLY: 'false' } });
    await sendEvent(h.url, SIGNING_SECRET, eventEnvelope(message({})));
    await settle();
    expect(h.slack.callsTo('chat.postMessage')).toHaveLength(0);
  });

  it('a paste refused by RATE_LIMIT_PER_MINUTE leaves its thread open: the next paste there after the window is answered', async () => {
    // Start on a minute boundary at or just before real time (signed requests must not look like they come from the future).
    let now = Math.floor(Date.now() / 60_000) * 60_000;
    h = await startHarness({ env: { RATE_LIMIT_PER_MINUTE: '1' }, clock: () => now });
    await sendEvent(h.url, SIGNING_SECRET, eventEnvelope(message({ user: 'U0RATE001' })));
    await h.slack.waitFor('first reply', () => h.slack.callsTo('chat.postMessage')[0]);
    // A different failure (other release), so the repeat rule cannot be what keeps the second paste quiet.
    const refused = message({ user: 'U0RATE001', text: SELECTOR_PASTE.replace('web', 'api') });
    await sendEvent(h.url, SIGNING_SECRET, eventEnvelope(refused));
    await settle();
    expect(h.slack.callsTo('chat.postMessage')).toHaveLength(1);

    now += 60_000;
    await sendEvent(h.url, SIGNING_SECRET, eventEnvelope(message({ user: 'U0RATE001', text: SELECTOR_PASTE.replace('web', 'api'), thread_ts: refused.ts })));
    const reply = await h.slack.waitFor('reply in the refused thread', () => h.slack.callsTo('chat.postMessage')[1]);
    expect(reply.params.thread_ts).toBe(refused.ts);
    expect(String(reply.params.text)).not.toContain('Same failure as one triaged a moment ago');
  });
});

describe('pasted logs: a failed reply (uses ports)', () => {
  let h: Harness;
  afterEach(async () => h?.close());

  it('a reply Slack refused leaves the thread open: the next paste in that thread is answered, once', async () => {
    h = await startHarness({ dispatcher: new RecordingDispatcher() });
    // Refuses the threaded reply and the DM fallback alike: nothing reaches Slack for this paste.
    h.slack.failNext('chat.postMessage', 'not_in_channel', 2);
    const first = message({});
    await sendEvent(h.url, SIGNING_SECRET, eventEnvelope(first));
    await h.slack.waitFor('both refused posts', () => h.slack.callsTo('chat.postMessage')[1]);
    await h.slack.waitFor('the failure logged', () => h.logs.some((l) => l.includes('slack handler failed')));
    expect(succeeded(h)).toHaveLength(0);

    await sendEvent(h.url, SIGNING_SECRET, eventEnvelope(message({ thread_ts: first.ts })));
    const reply = await h.slack.waitFor('reply to the second paste', () => succeeded(h)[0]);
    expect(reply.params.thread_ts).toBe(first.ts);
    expect(String(reply.params.text)).not.toContain('Same failure as one triaged a moment ago');
    await settle();
    expect(succeeded(h)).toHaveLength(1);
  });

  it('a failure before anything was posted (storing the triage) leaves the thread open too', async () => {
    const kv = new FailingWriteStore('triage:', 1);
    h = await startHarness({ kv, dispatcher: new RecordingDispatcher() });
    const first = message({});
    await sendEvent(h.url, SIGNING_SECRET, eventEnvelope(first));
    await h.slack.waitFor('the failure logged', () => h.logs.some((l) => l.includes('slack handler failed')));
    expect(kv.failed).toBe(true);
    expect(h.slack.callsTo('chat.postMessage')).toHaveLength(0);

    await sendEvent(h.url, SIGNING_SECRET, eventEnvelope(message({ thread_ts: first.ts })));
    const reply = await h.slack.waitFor('reply to the second paste', () => succeeded(h)[0]);
    expect(reply.params.thread_ts).toBe(first.ts);
    await settle();
    expect(succeeded(h)).toHaveLength(1);
  });

  // The one later step that leaves only the thread claim guarding the thread: the post went out, then remembering
  // the bot message failed. (chat.update after posting cannot fail the flow, runTriage catches it; later failures,
  // e.g. updating the stored triage, happen once the bot-message mark is written, which keeps the thread quiet too.)
  it('a reply that was posted before a later step failed (remembering the bot message) is not repeated in that thread', async () => {
    const kv = new FailingWriteStore('slack:botmsg:');
    h = await startHarness({ kv, dispatcher: new RecordingDispatcher() });
    const first = message({});
    await sendEvent(h.url, SIGNING_SECRET, eventEnvelope(first));
    await h.slack.waitFor('the failure logged', () => h.logs.some((l) => l.includes('slack handler failed')));
    expect(kv.failed).toBe(true);
    expect(succeeded(h).map((c) => c.params.thread_ts)).toEqual([first.ts]);

    await sendEvent(h.url, SIGNING_SECRET, eventEnvelope(message({ thread_ts: first.ts })));
    await settle();
    expect(h.slack.callsTo('chat.postMessage')).toHaveLength(1);
  });
});
