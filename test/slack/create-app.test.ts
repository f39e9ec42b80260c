import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { ConfigError } from '../../src/errors.js';
import { createSlackApp } from '../../src/slack/app.js';
import { MemoryKeyValueStore } from '../../src/store/memory-kv.js';
import { KeyValueTriageStore } from '../../src/store/triages.js';
import { loadPlaybooks } from '../../src/playbooks/load.js';
import { startSlackApiServer, type SlackApiServer } from '../support/slack-api-server.js';
import { FIXTURE_PLAYBOOKS, RecordingDispatcher } from './harness.js';

function deps(env: Record<string, string>) {
  const kv = new MemoryKeyValueStore();
  return {
    config: loadConfig(env), playbooks: loadPlaybooks(FIXTURE_PLAYBOOKS), dispatcher: new RecordingDispatcher(), kv,
    triageStore: new KeyValueTriageStore(kv, 60_000), logger: pino({ level: 'silent' }),
    clientOptions: { retryConfig: { retries: 0 } },
  };
}

describe('createSlackApp (uses a port: local Slack API)', () => {
  let slack: SlackApiServer | undefined;
  afterEach(async () => slack?.close());

  it('learns the bot identity with one auth.test against SLACK_API_URL', async () => {
    slack = await startSlackApiServer();
    const app = await createSlackApp(deps({ SLACK_BOT_TOKEN: slack.token, SLACK_SIGNING_SECRET: 'secret-123456', SLACK_API_URL: slack.apiUrl }));
    expect(app.botUserId).toBe('UBOT0001');
    expect(typeof app.requestListener).toBe('function');
    expect(slack.callsTo('auth.test')).toHaveLength(1);
  });

  it('fails with a ConfigError naming SLACK_BOT_TOKEN when Slack rejects the token', async () => {
    slack = await startSlackApiServer();
    const attempt = createSlackApp(deps({ SLACK_BOT_TOKEN: 'xoxb-wrong-token', SLACK_SIGNING_SECRET: 'secret-123456', SLACK_API_URL: slack.apiUrl }));
    await expect(attempt).rejects.toThrow(ConfigError);
    await expect(attempt).rejects.toThrow(/invalid_auth.*SLACK_BOT_TOKEN/);
  });

  it('fails fast with a ConfigError when SLACK_API_URL cannot be reached, whatever the reply retry settings', async () => {
    const { freePort } = await import('../support/redis.js');
    const closed = await freePort();
    const env = { SLACK_BOT_TOKEN: 'xoxb-x-y', SLACK_SIGNING_SECRET: 'secret-123456', SLACK_API_URL: `http://127.0.0.1:${closed}/api/` };
    // Reply-path settings with a long retry schedule must not slow the start-up check down.
    const attempt = createSlackApp({ ...deps(env), clientOptions: { retryConfig: { retries: 10, factor: 2, minTimeout: 5000 } } });
    await expect(attempt).rejects.toThrow(/could not be reached.*SLACK_API_URL/);
  }, 20_000);

  it('refuses to start without a signing secret in HTTP mode, saying where to find it', async () => {
    await expect(createSlackApp(deps({ SLACK_BOT_TOKEN: 'xoxb-x-y', SLACK_API_URL: 'http://127.0.0.1:9/api/' }))).rejects.toThrow(/SLACK_SIGNING_SECRET/);
  });

  it('uses Socket Mode when SLACK_APP_TOKEN is set (no HTTP listener to mount)', async () => {
    const app = await createSlackApp({ ...deps({ SLACK_BOT_TOKEN: 'xoxb-x-y', SLACK_APP_TOKEN: 'xapp-1-test', SLACK_API_URL: 'http://127.0.0.1:9/api/' }), botId: 'B1', botUserId: 'U1' });
    expect(app.requestListener).toBeUndefined();
  });
});
