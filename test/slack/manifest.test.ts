import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { SLACK_EVENTS_PATH } from '../../src/slack/app.js';
import { COMMAND } from '../../src/slack/listeners/commands/index.js';

// Each Web API method the bot calls and the bot scope it needs (views.open and chat.getPermalink need none beyond these).
const METHOD_SCOPES: Record<string, string> = {
  'chat.postMessage': 'chat:write',
  'chat.update': 'chat:write',
  'chat.postEphemeral': 'chat:write',
  'views.open': 'commands',
  'files.info': 'files:read',
  'usergroups.users.list': 'usergroups:read',
};

const manifestText = readFileSync(new URL('../../deploy/slack-app-manifest.yaml', import.meta.url), 'utf8');
const manifest: unknown = parse(manifestText);

function at(obj: unknown, ...path: string[]): unknown {
  return path.reduce<unknown>((o, k) => (typeof o === 'object' && o !== null && k in o ? (o as Record<string, unknown>)[k] : undefined), obj);
}

describe('deploy/slack-app-manifest.yaml', () => {
  const scopes = at(manifest, 'oauth_config', 'scopes', 'bot');

  it('grants exactly the scopes the bot uses', () => {
    const needed = new Set([...Object.values(METHOD_SCOPES), 'channels:history', 'groups:history']);
    expect(new Set(Array.isArray(scopes) ? scopes : [])).toEqual(needed);
  });

  it('declares the slash command and points every URL at the events path', () => {
    const commands = at(manifest, 'features', 'slash_commands');
    expect(Array.isArray(commands) && commands.map((c: unknown) => at(c, 'command'))).toEqual([COMMAND]);
    for (const url of [at(manifest, 'settings', 'event_subscriptions', 'request_url'), at(manifest, 'settings', 'interactivity', 'request_url')]) {
      expect(String(url).endsWith(SLACK_EVENTS_PATH)).toBe(true);
    }
    expect(at(manifest, 'settings', 'event_subscriptions', 'bot_events')).toEqual(['message.channels', 'message.groups']);
  });

  it('every method the source calls has its scope listed here', () => {
    const src = ['publisher.ts', 'check-access.ts', 'file-snippet.ts', 'listeners/commands/helm-triage.ts', 'listeners/messages/pasted-log.ts']
      .map((f) => readFileSync(new URL(`../../src/slack/${f}`, import.meta.url), 'utf8')).join('\n');
    const called = [...src.matchAll(/client\.((?:chat|views|files|usergroups)(?:\.\w+)+)\(/g)].map((m) => m[1] ?? '');
    expect(called.length).toBeGreaterThan(5);
    for (const method of called) {
      if (method === 'chat.getPermalink') continue;
      expect(METHOD_SCOPES[method], method).toBeDefined();
    }
  });
});
