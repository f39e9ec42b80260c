// The Slack app: Bolt over HTTP (signature-verified) or Socket Mode, with every dependency injected.
// `requestListener` lets the web server mount it at /slack/events; `start()` serves it alone (tests, dev).
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { App, HTTPReceiver, webApi } from '@slack/bolt';
import { ConfigError } from '../errors.js';
import type { CheckDispatcher } from '../queue/types.js';
import { KeyValueRollbackPlanStore } from '../store/rollback-plans.js';
import { AckGate } from './ack-gate.js';
import { boltLogger } from './bolt-logger.js';
import { parseChannelClusters } from './channel-clusters.js';
import { CheckAccess } from './check-access.js';
import type { SlackAppDeps } from './deps.js';
import { feedbackMetrics } from './feedback-metrics.js';
import { registerListeners } from './listeners/index.js';
import { SlackPublisher } from './publisher.js';
import { SlackReporter } from './reporter.js';
import type { SlackServices } from './services.js';
import { describeError } from './slack-errors.js';

export type { SlackAppDeps } from './deps.js';

export const SLACK_EVENTS_PATH = '/slack/events';
/** Bolt rejects timestamps older than 5 min; we also reject ones more than 5 min ahead (replays from a skewed clock). */
const MAX_FUTURE_SKEW_MS = 5 * 60_000;
const DEFAULT_MAX_SNIPPET_BYTES = 1024 * 1024;

export type RequestListener = (req: IncomingMessage, res: ServerResponse) => void;

export interface SlackApp {
  app: App;
  client: webApi.WebClient;
  /** Give this to the queue's result consumer: it updates the Slack replies. */
  reporter: SlackReporter;
  /** The dispatcher in use (built by the factory when one was given). */
  dispatcher: CheckDispatcher;
  /** HTTP mode only: mount at /slack/events. Undefined in Socket Mode. */
  requestListener?: RequestListener;
  botUserId?: string;
  start(options?: { port?: number; host?: string }): Promise<{ port: number }>;
  stop(): Promise<void>;
}

/** Rejects requests whose timestamp lies in the future beyond the skew, before Bolt sees them. */
function futureTimestampGuard(next: RequestListener, now: () => number, maxSkewMs = MAX_FUTURE_SKEW_MS, gate?: AckGate): RequestListener {
  return (req, res) => {
    gate?.track(res);
    const header = req.headers['x-slack-request-timestamp'];
    const ts = Number(Array.isArray(header) ? header[0] : header);
    if (Number.isFinite(ts) && ts * 1000 > now() + maxSkewMs) {
      req.resume();
      res.writeHead(401).end();
      return;
    }
    try {
      next(req, res);
    } catch {
      // Bolt throws for paths it does not serve (HTTPReceiverDeferredRequestError).
      if (!res.headersSent) res.writeHead(404).end();
    }
  };
}

async function identify(client: webApi.WebClient, apiUrl: string | undefined): Promise<{ botId?: string; botUserId?: string }> {
  try {
    const res = await client.auth.test();
    return { botId: res.bot_id, botUserId: res.user_id };
  } catch (err) {
    throw new ConfigError(
      `Slack rejected or could not be reached for auth.test (${describeError(err)}) at ${apiUrl ?? 'https://slack.com/api/'}: check SLACK_BOT_TOKEN and SLACK_API_URL.`,
    );
  }
}

export async function createSlackApp(deps: SlackAppDeps): Promise<SlackApp> {
  const { config, logger } = deps;
  const token = config.SLACK_BOT_TOKEN;
  if (!token) throw new ConfigError('SLACK_BOT_TOKEN is not set: create the Slack app from deploy/slack-app-manifest.yaml and set its bot token (xoxb-…).');
  const socketMode = config.SLACK_APP_TOKEN !== undefined;
  const signingSecret = config.SLACK_SIGNING_SECRET;
  if (!socketMode && !signingSecret) throw new ConfigError('SLACK_SIGNING_SECRET is not set: copy it from the Slack app\'s Basic Information page (or set SLACK_APP_TOKEN for Socket Mode).');

  const now = deps.clock ?? Date.now;
  const bLogger = boltLogger(logger);
  const clientOptions: webApi.WebClientOptions = {
    // web-api's default retries for ~30 min; a reply that late is useless, so give up within about a minute
    // (429s still wait out Retry-After) and never let one call hang.
    retryConfig: { retries: 5, factor: 2, minTimeout: 500, maxTimeout: 15_000, randomize: true },
    timeout: 15_000,
    ...deps.clientOptions,
    logger: bLogger,
    ...(config.SLACK_API_URL ? { slackApiUrl: config.SLACK_API_URL } : {}),
  };
  const client = new webApi.WebClient(token, clientOptions);
  // Start-up identity check: a short, lightly retried client, so a wrong SLACK_API_URL or token fails in
  // seconds with a clear message instead of after the long retry schedule meant for replies.
  const identity = deps.botUserId
    ? { botId: deps.botId, botUserId: deps.botUserId }
    : await identify(new webApi.WebClient(token, { ...clientOptions, retryConfig: { retries: 2, factor: 1.5, minTimeout: 250 }, timeout: 5000 }), config.SLACK_API_URL);

  const fetchFn = deps.fetch ?? fetch;
  const publisher = new SlackPublisher(client, deps.kv, fetchFn);
  const publicBaseUrl = deps.publicBaseUrl ?? config.PUBLIC_BASE_URL;
  const rollbackPlans = deps.rollbackPlans ?? new KeyValueRollbackPlanStore(deps.kv, config.TRIAGE_TTL_DAYS * 24 * 60 * 60_000, now);
  const reporter = new SlackReporter({ publisher, kv: deps.kv, triageStore: deps.triageStore, rollbackPlans, playbooks: deps.playbooks, logger, publicBaseUrl });
  const dispatcher = typeof deps.dispatcher === 'function' ? deps.dispatcher(reporter) : deps.dispatcher;
  const ackGate = new AckGate();
  const fileHosts = ['files.slack.com', 'files.slack-gov.com', ...(config.SLACK_API_URL ? [new URL(config.SLACK_API_URL).host] : [])];
  const services: SlackServices = {
    config, playbooks: deps.playbooks, dispatcher, kv: deps.kv, triageStore: deps.triageStore, rollbackPlans, logger, now,
    publicBaseUrl, client, botToken: token, botUserId: identity.botUserId, publisher,
    access: new CheckAccess({ channels: config.CHECK_CHANNELS, usergroups: config.CHECK_USERGROUPS, client, kv: deps.kv, logger }),
    channelClusters: parseChannelClusters(config.CHANNEL_CLUSTERS),
    feedback: feedbackMetrics(deps.metricsRegistry),
    fetch: fetchFn,
    maxSnippetBytes: deps.maxSnippetBytes ?? DEFAULT_MAX_SNIPPET_BYTES,
    fileHosts,
    ackGate,
  };

  const ids = { ...(identity.botId ? { botId: identity.botId } : {}), ...(identity.botUserId ? { botUserId: identity.botUserId } : {}) };
  let receiver: HTTPReceiver | undefined;
  let app: App;
  if (socketMode) {
    app = new App({ token, appToken: config.SLACK_APP_TOKEN, socketMode: true, ...ids, tokenVerificationEnabled: false, clientOptions, logger: bLogger });
  } else {
    receiver = new HTTPReceiver({
      signingSecret: signingSecret ?? '',
      endpoints: [SLACK_EVENTS_PATH],
      // Ack goes out as soon as a handler calls ack(); the work after it must not hold the response.
      processBeforeResponse: false,
      logger: bLogger,
    });
    app = new App({ token, receiver, ...ids, tokenVerificationEnabled: false, clientOptions, logger: bLogger });
  }
  app.error(async (err) => {
    logger.error({ err: describeError(err) }, 'unhandled slack app error');
  });
  registerListeners(app, services);

  const requestListener = receiver ? futureTimestampGuard(receiver.requestListener, now, MAX_FUTURE_SKEW_MS, ackGate) : undefined;
  let server: Server | undefined;
  return {
    app, client, reporter, dispatcher, requestListener, botUserId: identity.botUserId,
    async start(options = {}) {
      if (!requestListener) {
        await app.start();
        return { port: 0 };
      }
      const srv = createServer(requestListener);
      server = srv;
      await new Promise<void>((resolve, reject) => {
        srv.once('error', reject);
        srv.listen(options.port ?? config.PORT, options.host ?? config.HOST, () => resolve());
      });
      return { port: (srv.address() as AddressInfo).port };
    },
    async stop() {
      if (!requestListener) {
        await app.stop();
        return;
      }
      const srv = server;
      server = undefined;
      if (!srv) return;
      srv.closeIdleConnections();
      await new Promise<void>((resolve) => srv.close(() => resolve()));
    },
  };
}
