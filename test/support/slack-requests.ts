// Signed requests as Slack sends them: slash commands and interactions as bare
// `application/x-www-form-urlencoded` (Bolt 400s on `; charset=…`), events as JSON.
import { createHmac } from 'node:crypto';

export interface SendOptions {
  /** Seconds since epoch used in the signature header; defaults to now. */
  timestamp?: number;
  /** Sign with this secret instead (a forged request). */
  signWith?: string;
  retryNum?: number;
  retryReason?: string;
}

export interface SlackHttpResponse {
  status: number;
  body: string;
  ms: number;
}

export function signSlackBody(secret: string, timestamp: number, body: string): string {
  return `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:${body}`).digest('hex')}`;
}

async function send(url: string, secret: string, body: string, contentType: string, opts: SendOptions): Promise<SlackHttpResponse> {
  const timestamp = opts.timestamp ?? Math.floor(Date.now() / 1000);
  const headers: Record<string, string> = {
    'content-type': contentType,
    'x-slack-request-timestamp': String(timestamp),
    'x-slack-signature': signSlackBody(opts.signWith ?? secret, timestamp, body),
  };
  if (opts.retryNum !== undefined) {
    headers['x-slack-retry-num'] = String(opts.retryNum);
    headers['x-slack-retry-reason'] = opts.retryReason ?? 'http_timeout';
  }
  const started = performance.now();
  const res = await fetch(url, { method: 'POST', headers, body });
  const text = await res.text();
  return { status: res.status, body: text, ms: performance.now() - started };
}

export interface CommandFields {
  text: string;
  user_id?: string;
  channel_id?: string;
  team_id?: string;
  trigger_id?: string;
  response_url?: string;
  command?: string;
}

let triggerCounter = 0;
export function uniqueTriggerId(): string {
  triggerCounter += 1;
  return `${Date.now()}.${process.pid}.${triggerCounter}.${Math.random().toString(16).slice(2, 10)}`;
}

export function commandBody(fields: CommandFields): string {
  return new URLSearchParams({
    token: 'legacy-verification-token',
    team_id: fields.team_id ?? 'T0TEST001',
    team_domain: 'test',
    channel_id: fields.channel_id ?? 'C0CHAN001',
    channel_name: 'incidents',
    user_id: fields.user_id ?? 'U0USER001',
    user_name: 'someone',
    command: fields.command ?? '/helm-triage',
    text: fields.text,
    api_app_id: 'A0APP0001',
    is_enterprise_install: 'false',
    response_url: fields.response_url ?? 'http://127.0.0.1:9/response/none',
    trigger_id: fields.trigger_id ?? uniqueTriggerId(),
  }).toString();
}

export function sendCommand(url: string, secret: string, fields: CommandFields, opts: SendOptions = {}): Promise<SlackHttpResponse> {
  return send(url, secret, commandBody(fields), 'application/x-www-form-urlencoded', opts);
}

let eventCounter = 0;
export function uniqueEventId(): string {
  eventCounter += 1;
  return `Ev${Date.now().toString(36)}${process.pid}${eventCounter}`.toUpperCase();
}

/** Wraps an inner event in an Events API envelope. */
export function eventEnvelope(event: Record<string, unknown>, eventId = uniqueEventId(), teamId = 'T0TEST001'): Record<string, unknown> {
  return {
    token: 'legacy-verification-token',
    team_id: teamId,
    api_app_id: 'A0APP0001',
    type: 'event_callback',
    event_id: eventId,
    event_time: Math.floor(Date.now() / 1000),
    authorizations: [{ team_id: teamId, user_id: 'UBOT0001', is_bot: true }],
    event,
  };
}

export function sendEvent(url: string, secret: string, envelope: Record<string, unknown>, opts: SendOptions = {}): Promise<SlackHttpResponse> {
  return send(url, secret, JSON.stringify(envelope), 'application/json', opts);
}

export function sendInteraction(url: string, secret: string, payload: Record<string, unknown>, opts: SendOptions = {}): Promise<SlackHttpResponse> {
  return send(url, secret, new URLSearchParams({ payload: JSON.stringify(payload) }).toString(), 'application/x-www-form-urlencoded', opts);
}

/** The fields every interaction payload carries: type, workspace, clicking user, app. */
function interactionBase(type: string, userId = 'U0USER001'): Record<string, unknown> {
  return {
    type,
    team: { id: 'T0TEST001', domain: 'test' },
    user: { id: userId, username: 'someone', team_id: 'T0TEST001' },
    api_app_id: 'A0APP0001',
    token: 'legacy-verification-token',
  };
}

/** A block_actions payload for a button in a channel message. */
export function buttonClick(input: { actionId: string; value?: string; userId?: string; channel?: string; messageTs: string; responseUrl?: string; url?: string }): Record<string, unknown> {
  return {
    ...interactionBase('block_actions', input.userId),
    container: { type: 'message', message_ts: input.messageTs, channel_id: input.channel ?? 'C0CHAN001', is_ephemeral: false },
    trigger_id: uniqueTriggerId(),
    channel: { id: input.channel ?? 'C0CHAN001', name: 'incidents' },
    message: { type: 'message', ts: input.messageTs, text: 'helm-triage', blocks: [] },
    response_url: input.responseUrl ?? 'http://127.0.0.1:9/response/none',
    actions: [{
      type: 'button', action_id: input.actionId, block_id: 'ht_actions', text: { type: 'plain_text', text: 'x' },
      ...(input.value !== undefined ? { value: input.value } : {}), ...(input.url ? { url: input.url } : {}), action_ts: String(Date.now() / 1000),
    }],
  };
}

/** A view_submission payload for the triage modal. */
export function modalSubmission(input: { text: string; privateMetadata: string; userId?: string; viewId?: string }): Record<string, unknown> {
  return {
    ...interactionBase('view_submission', input.userId),
    trigger_id: uniqueTriggerId(),
    view: {
      id: input.viewId ?? `V${uniqueEventId()}`,
      type: 'modal',
      callback_id: 'ht_triage_modal',
      private_metadata: input.privateMetadata,
      hash: `h${Date.now()}`,
      state: { values: { ht_text: { ht_text_input: { type: 'plain_text_input', value: input.text } } } },
      team_id: 'T0TEST001',
      app_id: 'A0APP0001',
      bot_id: 'BBOT0001',
    },
  };
}
