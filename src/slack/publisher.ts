// Posting and updating the bot's replies. Knows the three ways a reply can live: a channel message
// (updatable with chat.update), a response_url message (updatable with replace_original), or an
// ephemeral message posted through the API (not updatable).
import type { webApi } from '@slack/bolt';
import type { SlackMessage } from '../render/slack.js';
import type { KeyValueStore } from '../store/kv.js';
import { keys, TTL } from './keys.js';
import { postToResponseUrl, type FetchLike } from './response-url.js';
import { isNotInChannel, NothingPostedError, refusedBySlack } from './slack-errors.js';

export type MessageRef =
  | { via: 'chat'; channel: string; ts: string }
  | { via: 'response_url'; channel: string; responseUrl: string }
  | { via: 'ephemeral'; channel: string };

export type Placement =
  | { kind: 'channel'; channel: string; threadTs?: string }
  | { kind: 'ephemeral'; channel: string; userId: string }
  | { kind: 'dm'; userId: string };

export interface PostOptions {
  /** Fallback when the bot cannot post in the channel. */
  responseUrl?: string;
  /** Last resort when there is no response_url: a DM to this user. */
  userId?: string;
}

export interface PostResult {
  ref: MessageRef;
  /** True when the bot had to answer somewhere else than asked (not in the channel). */
  fellBack: boolean;
}

/**
 * A refused chat.postMessage posted nothing. Only that call carries Slack's error codes here: a store failure
 * after a successful post (remembering the bot message) stays a plain error, since the message is out.
 */
function nothingPostedIfRefused(err: unknown): unknown {
  return refusedBySlack(err) ? new NothingPostedError(err) : err;
}

export class SlackPublisher {
  constructor(
    private readonly client: webApi.WebClient,
    private readonly kv: KeyValueStore,
    private readonly fetchFn: FetchLike = fetch,
  ) {}

  async post(placement: Placement, message: SlackMessage, options: PostOptions = {}): Promise<PostResult> {
    if (placement.kind === 'ephemeral') {
      if (options.responseUrl) {
        await postToResponseUrl(options.responseUrl, { ...message, response_type: 'ephemeral' }, this.fetchFn);
        return { ref: { via: 'response_url', channel: placement.channel, responseUrl: options.responseUrl }, fellBack: false };
      }
      await this.client.chat.postEphemeral({ channel: placement.channel, user: placement.userId, text: message.text, blocks: message.blocks, parse: 'none' });
      return { ref: { via: 'ephemeral', channel: placement.channel }, fellBack: false };
    }
    const channel = placement.kind === 'dm' ? placement.userId : placement.channel;
    const threadTs = placement.kind === 'channel' ? placement.threadTs : undefined;
    try {
      return { ref: await this.postMessage(channel, message, threadTs), fellBack: false };
    } catch (err) {
      if (!isNotInChannel(err)) throw nothingPostedIfRefused(err);
      if (options.responseUrl) {
        await postToResponseUrl(options.responseUrl, { ...message, response_type: 'in_channel' }, this.fetchFn);
        return { ref: { via: 'response_url', channel, responseUrl: options.responseUrl }, fellBack: true };
      }
      if (options.userId && placement.kind !== 'dm') {
        try {
          return { ref: await this.postMessage(options.userId, message, undefined), fellBack: true };
        } catch (dmErr) {
          throw nothingPostedIfRefused(dmErr);
        }
      }
      throw nothingPostedIfRefused(err);
    }
  }

  async update(ref: MessageRef, message: SlackMessage): Promise<void> {
    if (ref.via === 'chat') {
      await this.client.chat.update({ channel: ref.channel, ts: ref.ts, text: message.text, blocks: message.blocks, parse: 'none' });
    } else if (ref.via === 'response_url') {
      await postToResponseUrl(ref.responseUrl, { ...message, replace_original: true }, this.fetchFn);
    }
    // An ephemeral message posted through the API cannot be changed afterwards.
  }

  private async postMessage(channel: string, message: SlackMessage, threadTs: string | undefined): Promise<MessageRef> {
    const res = await this.client.chat.postMessage({
      channel,
      text: message.text,
      blocks: message.blocks,
      ...(threadTs ? { thread_ts: threadTs } : {}),
      parse: 'none',
      unfurl_links: false,
      unfurl_media: false,
    });
    const ts = res.ts;
    const posted = res.channel ?? channel;
    if (!ts) throw new Error('chat.postMessage returned no ts');
    // Remember the bot's own messages: pastes in their threads are never auto-answered.
    await this.kv.set(keys.botMessage(posted, threadTs ?? ts), '1', TTL.botMessage);
    return { via: 'chat', channel: posted, ts };
  }
}
