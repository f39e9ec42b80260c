// When may the bot answer a message nobody addressed to it? Pure rules; the handler adds the stateful ones
// (one reply per thread, repeats, the bot's own threads it remembers).

export interface MessageEventLike {
  type?: string;
  subtype?: string;
  bot_id?: string;
  user?: string;
  text?: string;
  ts?: string;
  thread_ts?: string;
  parent_user_id?: string;
  channel?: string;
  channel_type?: string;
  files?: unknown[];
}

export type SkipReason =
  | 'disabled' | 'subtype' | 'bot' | 'no-user' | 'self' | 'own-thread' | 'channel-type' | 'no-text';

/** Subtypes that carry a human's new text; edits, deletes, joins … are never answered. */
const ANSWERED_SUBTYPES = new Set([undefined, 'file_share', 'thread_broadcast']);
const CHANNEL_TYPES = new Set(['channel', 'group']);

export function skipReason(event: MessageEventLike, botUserId: string | undefined, enabled: boolean): SkipReason | null {
  if (!enabled) return 'disabled';
  if (!ANSWERED_SUBTYPES.has(event.subtype)) return 'subtype';
  if (event.bot_id) return 'bot';
  if (!event.user || !event.channel || !event.ts) return 'no-user';
  if (botUserId && event.user === botUserId) return 'self';
  if (botUserId && event.parent_user_id === botUserId) return 'own-thread';
  if (event.channel_type && !CHANNEL_TYPES.has(event.channel_type)) return 'channel-type';
  if (!event.text && event.subtype !== 'file_share') return 'no-text';
  return null;
}

// Cheap pre-filter before diagnosing: chat lines without any failure vocabulary are not worth a look.
const FAILURE_WORDS = /\b(error|failed|failure|invalid|forbidden|denied|timed out|cannot|unable|helm)\b/i;

export function looksLikeFailure(text: string): boolean {
  return text.length >= 20 && FAILURE_WORDS.test(text);
}
