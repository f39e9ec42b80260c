// A failed Helm output pasted in a channel the bot is in → one threaded reply, and only when confident.
// Quiet by default: bots, edits, deletes, the bot's own threads, a thread already answered, low
// confidence and repeats (linked instead of answered again) all stay silent.
import type { AllMiddlewareArgs, SlackEventMiddlewareArgs } from '@slack/bolt';
import { z } from 'zod';
import { permalinkUrl, renderRepeatNotice } from '../../../render/slack.js';
import { looksLikeFailure, skipReason, type MessageEventLike } from '../../auto-reply-rules.js';
import { readSnippet } from '../../file-snippet.js';
import { failureFingerprint } from '../../fingerprint.js';
import { guarded } from '../../guard.js';
import { keys, TTL } from '../../keys.js';
import { underRateLimit } from '../../rate-limit.js';
import type { SlackServices } from '../../services.js';
import { describeError, NothingPostedError } from '../../slack-errors.js';
import { diagnoseText, runTriage } from '../../triage-flow.js';
import type { Diagnosis } from '../../../triage/types.js';

const repeatRecordSchema = z.object({ triageId: z.string(), channel: z.string(), ts: z.string().optional() });
type RepeatRecord = z.infer<typeof repeatRecordSchema>;

function firstFileId(files: unknown[] | undefined): string | undefined {
  const first: unknown = files?.[0];
  if (typeof first === 'object' && first !== null && 'id' in first && typeof first.id === 'string') return first.id;
  return undefined;
}

function eventId(body: unknown): string | undefined {
  if (typeof body === 'object' && body !== null && 'event_id' in body && typeof body.event_id === 'string') return body.event_id;
  return undefined;
}

export function pastedLog(services: SlackServices) {
  return async ({ event, body }: SlackEventMiddlewareArgs<'message'> & AllMiddlewareArgs): Promise<void> => {
    const msg: MessageEventLike = event;
    const { kv, logger, config } = services;
    const skip = skipReason(msg, services.botUserId, config.AUTO_REPLY);
    if (skip) return;
    const channel = msg.channel ?? '';
    const ts = msg.ts ?? '';
    const user = msg.user ?? '';
    await guarded(logger, 'pasted-log', async () => {
      await services.ackGate.idle();
      // Slack retries (possibly to another replica) carry the same event_id.
      const id = eventId(body) ?? `${channel}:${ts}`;
      if (!(await kv.setIfAbsent(keys.event(id), '1', TTL.event))) return;
      const threadTs = msg.thread_ts ?? ts;
      if (msg.thread_ts && (await kv.get(keys.botMessage(channel, msg.thread_ts))) !== null) return;
      if ((await kv.get(keys.autoReply(channel, threadTs))) !== null) return;

      let text = msg.text ?? '';
      const fileId = msg.subtype === 'file_share' ? firstFileId(msg.files) : undefined;
      if (fileId) {
        const snippet = await readSnippet(fileId, {
          client: services.client, token: services.botToken, maxBytes: services.maxSnippetBytes, allowedHosts: services.fileHosts, fetchFn: services.fetch,
        }).catch((err: unknown) => {
          logger.warn({ err: describeError(err), channel }, 'could not read shared file');
          return { skipped: 'not-found' as const };
        });
        if ('text' in snippet) text = text ? `${text}\n${snippet.text}` : snippet.text;
        else logger.debug({ channel, skipped: snippet.skipped }, 'shared file not diagnosed');
      }
      if (!looksLikeFailure(text)) return;

      const diagnosis = diagnoseText(services, text);
      if (diagnosis.playbook === null || diagnosis.confidence < config.AUTO_REPLY_MIN_CONFIDENCE) return;
      // Rate limit before the thread claim: a refused paste must not mark a thread nobody answered,
      // or a later paste there (once the limit resets) would stay silent for the whole thread window.
      if (!(await underRateLimit(kv, user, config.RATE_LIMIT_PER_MINUTE, services.now()))) return;
      // At most one automatic reply per thread, decided across replicas.
      const threadKey = keys.autoReply(channel, threadTs);
      if (!(await kv.setIfAbsent(threadKey, 'claimed', TTL.autoReplyThread))) return;
      try {
        await answer(services, { text, channel, threadTs, user, diagnosis });
      } catch (err) {
        // Reopen the thread only when Slack certainly got nothing: if a reply may be out, another would repeat it.
        if (err instanceof NothingPostedError) await kv.del(threadKey);
        throw err;
      }
    });
  };
}

async function answer(services: SlackServices, paste: { text: string; channel: string; threadTs: string; user: string; diagnosis: Diagnosis }): Promise<void> {
  const { kv } = services;
  const { channel, threadTs, diagnosis } = paste;
  const repeatKey = keys.repeat(channel, failureFingerprint(diagnosis));
  if (!(await kv.setIfAbsent(repeatKey, 'pending', TTL.repeatWindow))) {
    await linkToEarlier(services, repeatKey, channel, threadTs, diagnosis.title);
    return;
  }
  try {
    const outcome = await runTriage(services, {
      source: 'paste', text: paste.text, channel, userId: paste.user, diagnosis,
      placement: { kind: 'channel', channel, threadTs },
    });
    const record: RepeatRecord = { triageId: outcome.triageId, channel: outcome.ref.channel, ...(outcome.ref.via === 'chat' ? { ts: outcome.ref.ts } : {}) };
    await kv.set(repeatKey, JSON.stringify(record), TTL.repeatWindow);
  } catch (err) {
    await kv.del(repeatKey);
    throw err;
  }
}

async function linkToEarlier(services: SlackServices, repeatKey: string, channel: string, threadTs: string, title: string | null): Promise<void> {
  const raw = await services.kv.get(repeatKey);
  let earlier: RepeatRecord | null = null;
  try {
    const parsed = repeatRecordSchema.safeParse(raw && raw !== 'pending' ? JSON.parse(raw) : null);
    earlier = parsed.success ? parsed.data : null;
  } catch {
    earlier = null;
  }
  let messageLink: string | undefined;
  if (earlier?.ts) {
    const res = await services.client.chat.getPermalink({ channel: earlier.channel, message_ts: earlier.ts }).catch(() => null);
    messageLink = res?.permalink;
  }
  const permalink = earlier && services.publicBaseUrl ? permalinkUrl(services.publicBaseUrl, earlier.triageId) : undefined;
  await services.publisher.post({ kind: 'channel', channel, threadTs }, renderRepeatNotice({ title, permalink, earlierMessageLink: messageLink }));
}
