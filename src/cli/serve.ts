// `helm-triage serve`: composes the bot (Slack + web pages) with a check dispatcher.
// With REDIS_URL: BullMQ to per-cluster agents, shared state in Redis, any number of replicas.
// Without: the embedded mode — checks run in-process against this process's own cluster access,
// bookkeeping in memory, one replica. The wiring lives here (not in src/slack or src/web) so the
// bot modules never import cluster code.
import { getCheck } from '../checks/registry.js';
import { loadConfig, type Config } from '../config.js';
import { createReadOnlyKube } from '../kube/config.js';
import type { ReadOnlyKube } from '../kube/types.js';
import { createLogger, type Logger } from '../log.js';
import { loadPlaybooks, type PlaybookSet } from '../playbooks/load.js';
import { Redis } from 'ioredis';
import { closeConnection } from '../queue/connections.js';
import { BullMqDispatcher } from '../queue/dispatcher.js';
import { InProcessDispatcher } from '../queue/in-process.js';
import { startResultConsumer } from '../queue/result-consumer.js';
import type { AgentJob, CheckDispatcher, ResultReporter, SubmitReceipt } from '../queue/types.js';
import { createSlackApp, type SlackApp } from '../slack/app.js';
import { parseChannelClusters } from '../slack/channel-clusters.js';
import type { KeyValueStore } from '../store/kv.js';
import { MemoryKeyValueStore } from '../store/memory-kv.js';
import { RedisKeyValueStore } from '../store/redis-kv.js';
import { FailOpenKeyValueStore } from '../store/fail-open-kv.js';
import { KeyValueRollbackPlanStore } from '../store/rollback-plans.js';
import { KeyValueTriageStore } from '../store/triages.js';
import { diagnose } from '../triage/diagnose.js';
import { createWebServer } from '../web/server.js';

const DAY_MS = 24 * 60 * 60 * 1000;

export interface RunningServer {
  url: string;
  port: number;
  mode: 'distributed' | 'embedded';
  slack: 'http' | 'socket' | 'disabled';
  close(): Promise<void>;
}

/** Answers every submit with "unavailable": the embedded mode without any cluster access. */
class NoClusterDispatcher implements CheckDispatcher {
  constructor(private readonly reason: string) {}
  async submit(_job: AgentJob): Promise<SubmitReceipt> {
    return { status: 'unavailable', jobId: '', reason: this.reason };
  }
  async close(): Promise<void> {}
}

/** The clusters the config routes checks to: the default one and every channel's. */
function configuredClusters(config: Pick<Config, 'CLUSTER_NAME' | 'CHANNEL_CLUSTERS'>): string[] {
  return [...new Set([config.CLUSTER_NAME, ...parseChannelClusters(config.CHANNEL_CLUSTERS).values()])];
}

function embeddedKube(config: Config, logger: Logger): ReadOnlyKube | string {
  try {
    return createReadOnlyKube({
      ...(config.KUBECONFIG ? { kubeconfigPath: config.KUBECONFIG } : {}),
      ...(config.KUBE_CONTEXT ? { context: config.KUBE_CONTEXT } : {}),
    });
  } catch (err) {
    const why = err instanceof Error ? err.message : String(err);
    logger.warn({ err: why }, 'no cluster access: cluster checks are off (set KUBECONFIG or run in a pod with a service account)');
    return `cluster checks unavailable (this server has no cluster access: ${why})`;
  }
}

/** The start-up line for the embedded mode; it must not promise checks when there is no cluster access. */
export function embeddedModeLine(cluster: string, clusterAccess: boolean): string {
  const checks = clusterAccess
    ? `checks run in this process against cluster "${cluster}"`
    : 'no cluster access, so answers are the text diagnosis only (no cluster checks)';
  return `embedded mode (no REDIS_URL): ${checks}; state is in memory — run ONE replica only; set REDIS_URL to run distributed`;
}

export interface StartServeOptions {
  config?: Config;
  logger?: Logger;
  playbooks?: PlaybookSet;
  /** Tests: a kube facade for the embedded mode instead of KUBECONFIG. */
  kube?: ReadOnlyKube;
  host?: string;
  port?: number;
  /** Tests: Web API client tuning (retries, timeouts). */
  slackClientOptions?: { retryConfig?: { retries: number }; timeout?: number };
  botId?: string;
  botUserId?: string;
}

export async function startServe(options: StartServeOptions = {}): Promise<RunningServer> {
  const config = options.config ?? loadConfig();
  const logger = options.logger ?? createLogger({ level: config.LOG_LEVEL });
  const playbooks = options.playbooks ?? loadPlaybooks(config.PLAYBOOKS_DIR);
  const closers: Array<() => Promise<void>> = [];

  const redisUrl = config.REDIS_URL;
  let kv: KeyValueStore;
  /** For exactly-once guards (the result consumer): failures must surface, not fail open. */
  let exactKv: KeyValueStore | undefined;
  let bull: BullMqDispatcher | undefined;
  let dispatcher: CheckDispatcher | ((reporter: ResultReporter) => CheckDispatcher);
  if (redisUrl) {
    // Commands wait for the first connect (offline queue) but fail within ~2 s while Redis is down,
    // so a Slack handler degrades to the text diagnosis instead of hanging.
    const redis = new Redis(redisUrl, { maxRetriesPerRequest: 1, commandTimeout: 2000, connectTimeout: 2000 });
    redis.on('error', (err: Error) => logger.warn({ err: err.message }, 'redis error (reconnecting)'));
    closers.push(() => closeConnection(redis));
    // Bookkeeping keys live under the same prefix as the queues: one QUEUE_PREFIX namespaces an installation.
    const shared = new RedisKeyValueStore(redis, `${config.QUEUE_PREFIX}:`);
    kv = new FailOpenKeyValueStore(shared, () => redis.status === 'ready', logger);
    exactKv = shared;
    const queued = new BullMqDispatcher({ redisUrl, logger, prefix: config.QUEUE_PREFIX });
    closers.push(() => queued.close());
    dispatcher = bull = queued;
    logger.info({ mode: 'distributed' }, 'checks go through Redis to the agent of each cluster (helm-triage agent --cluster NAME)');
  } else {
    kv = new MemoryKeyValueStore();
    const kube = options.kube ?? embeddedKube(config, logger);
    dispatcher = typeof kube === 'string'
      ? new NoClusterDispatcher(kube)
      : (reporter: ResultReporter) => new InProcessDispatcher({
          cluster: config.CLUSTER_NAME, kube, reporter, playbooks, kv, logger, concurrency: config.AGENT_CONCURRENCY,
        });
    logger.warn({ mode: 'embedded', clusterChecks: typeof kube !== 'string' }, embeddedModeLine(config.CLUSTER_NAME, typeof kube !== 'string'));
  }
  const triageStore = new KeyValueTriageStore(kv, config.TRIAGE_TTL_DAYS * DAY_MS);
  // Plans behind /rollback-plans/:id: written by the Slack reporter, read by the web pages.
  const rollbackPlans = new KeyValueRollbackPlanStore(kv, config.TRIAGE_TTL_DAYS * DAY_MS);

  let slack: SlackApp | undefined;
  let slackMode: RunningServer['slack'] = 'disabled';
  const slackReady = config.SLACK_BOT_TOKEN && (config.SLACK_APP_TOKEN || config.SLACK_SIGNING_SECRET);
  if (slackReady) {
    slack = await createSlackApp({
      config, playbooks, dispatcher, kv, triageStore, rollbackPlans, logger,
      ...(options.botId ? { botId: options.botId } : {}),
      ...(options.botUserId ? { botUserId: options.botUserId } : {}),
      ...(options.slackClientOptions ? { clientOptions: options.slackClientOptions } : {}),
    });
    slackMode = slack.requestListener ? 'http' : 'socket';
  } else {
    logger.warn('Slack is off: set SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET (HTTP) or SLACK_APP_TOKEN (Socket Mode); serving web pages and the API only');
  }
  // The embedded dispatcher is built inside createSlackApp (it needs the app's reporter), so it is closed here.
  if (slack && slack.dispatcher !== dispatcher) {
    const built = slack.dispatcher;
    closers.push(() => built.close());
  }
  if (redisUrl && slack && exactKv && bull) {
    // Follows the clusters the config routes to from the start, and any other the moment this
    // replica first queues for it (a `cluster:` override in a command).
    const consumer = startResultConsumer({
      redisUrl, reporter: slack.reporter, kv: exactKv, logger, prefix: config.QUEUE_PREFIX,
      clusters: configuredClusters(config),
      accepts: (job) => job.requester.kind === 'slack',
    });
    bull.onQueue((cluster) => consumer.watch(cluster));
    closers.push(() => consumer.close());
  }

  const web = createWebServer({
    playbooks, triageStore, rollbackPlans, kv: redisUrl ? kv : undefined,
    config: {
      ...(config.API_TOKEN ? { API_TOKEN: config.API_TOKEN } : {}),
      ...(config.PUBLIC_BASE_URL ? { PUBLIC_BASE_URL: config.PUBLIC_BASE_URL } : {}),
      TRIAGE_TTL_DAYS: config.TRIAGE_TTL_DAYS,
    },
    ...(slack?.requestListener ? { slackListener: slack.requestListener } : {}),
    diagnose,
    checkDescription: (id) => getCheck(id)?.description,
    logger,
  });
  const address = await web.listen({ port: options.port ?? config.PORT, host: options.host ?? config.HOST });
  if (slack && !slack.requestListener) await slack.start();
  logger.info({ url: address.url, slack: slackMode, playbooks: playbooks.playbooks.length }, 'helm-triage is serving');

  let closed = false;
  return {
    url: address.url, port: address.port, mode: redisUrl ? 'distributed' : 'embedded', slack: slackMode,
    async close() {
      if (closed) return;
      closed = true;
      await web.close();
      if (slack) await slack.stop().catch(() => undefined);
      for (const close of closers.reverse()) await close().catch(() => undefined);
    },
  };
}
