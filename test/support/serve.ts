// `serve` as a deployment composes it, against the local Slack and Kubernetes API servers: embedded
// (the bot runs the checks itself) or distributed (a real Redis and a real agent of cluster prod-eu).
// One fixture for the tests that drive it end to end (test/cli/serve.test.ts, test/slack/rollback-e2e.test.ts).
import { startServe, type RunningServer } from '../../src/cli/serve.js';
import { loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/log.js';
import { loadPlaybooks } from '../../src/playbooks/load.js';
import { startAgent, type Agent } from '../../src/queue/agent.js';
import { kubeFor, startKubeApiServer, type KubeApiServer } from './kube-api-server.js';
import { startTestRedis, type TestRedis } from './redis.js';
import type { Scenario } from './scenario.js';
import { startSlackApiServer, type SlackApiServer } from './slack-api-server.js';

export const SERVE_BASE_URL = 'http://triage.example.test';
const silent = createLogger({ level: process.env.TEST_LOG_LEVEL ?? 'silent' });

/** The environment a deployment sets, pointed at the local Slack API. */
export function serveEnv(slack: SlackApiServer, secret: string, extra: Record<string, string>): ReturnType<typeof loadConfig> {
  return loadConfig({
    SLACK_BOT_TOKEN: slack.token, SLACK_SIGNING_SECRET: secret, SLACK_API_URL: slack.apiUrl,
    CLUSTER_NAME: 'prod-eu', PUBLIC_BASE_URL: SERVE_BASE_URL, CHECK_DEADLINE_SECONDS: '20', ...extra,
  });
}

/** A Slack call's blocks and fallback text, to search in. */
export function blocksText(params: Record<string, unknown>): string {
  return JSON.stringify(params.blocks ?? '') + String(params.text ?? '');
}

export interface ServeStack {
  kube: KubeApiServer;
  slack: SlackApiServer;
  server: RunningServer;
  /** Distributed only. */
  redis?: TestRedis;
  agent?: Agent;
  close(): Promise<void>;
}

/**
 * Starts the local APIs and `serve`; with `distributed`, a Redis and an agent first (the agent on
 * `prefix`, the bot told it by QUEUE_PREFIX). close() stops what started, server first.
 */
export async function startServeStack(options: { scenario: Scenario; secret: string; distributed?: { prefix: string; agentName: string } }): Promise<ServeStack> {
  const started: { server?: RunningServer; agent?: Agent; slack?: SlackApiServer; kube?: KubeApiServer; redis?: TestRedis } = {};
  const close = async (): Promise<void> => {
    await started.server?.close();
    await started.agent?.close();
    await started.slack?.close();
    await started.kube?.close();
    await started.redis?.close();
  };
  try {
    const { distributed } = options;
    const redis = distributed ? (started.redis = await startTestRedis()) : undefined;
    const kube = (started.kube = await startKubeApiServer(options.scenario));
    const slack = (started.slack = await startSlackApiServer());
    if (redis && distributed) {
      started.agent = startAgent({ redisUrl: redis.url, prefix: distributed.prefix, cluster: 'prod-eu', kube: kubeFor(kube), playbooks: loadPlaybooks(), drainDelay: 1, name: distributed.agentName });
      await started.agent.ready();
    }
    const server = (started.server = await startServe({
      config: serveEnv(slack, options.secret, redis && distributed ? { REDIS_URL: redis.url, QUEUE_PREFIX: distributed.prefix } : {}),
      logger: silent, host: '127.0.0.1', port: 0, ...(redis ? {} : { kube: kubeFor(kube) }),
      botId: 'B0BOT0001', botUserId: 'U0BOT0001', slackClientOptions: { retryConfig: { retries: 0 }, timeout: 5000 },
    }));
    return { kube, slack, server, ...(redis ? { redis } : {}), ...(started.agent ? { agent: started.agent } : {}), close };
  } catch (err) {
    await close();
    throw err;
  }
}
