// `helm-triage agent --cluster NAME`: the in-cluster worker. It holds a Redis connection and
// read-only cluster credentials only (no Slack token), answers the cluster's check jobs, and on
// SIGTERM stops taking jobs, hands in-flight ones back to the queue (another agent starts them at once) and exits.
import type { Server } from 'node:http';
import type { Command } from 'commander';
import { UsageError } from '../errors.js';
import type { ReadOnlyKube } from '../kube/types.js';
import type { Logger } from '../log.js';
import type { Agent } from '../queue/agent.js';
import { DEFAULT_PREFIX } from '../queue/names.js';
import type { CliContext } from './context.js';

export interface AgentCommandOptions {
  cluster?: string;
  kubeconfig?: string;
  context?: string;
  concurrency?: string;
  queuePrefix?: string;
  metricsPort?: string;
}

export interface AgentCommandDeps {
  env?: NodeJS.ProcessEnv;
  /** Resolves with the signal name when the agent should stop; SIGTERM/SIGINT by default. */
  waitForShutdown?: () => Promise<string>;
  logger?: Logger;
  /** Called once the agent takes jobs (tests, readiness probes). */
  onReady?: (agent: Agent) => void;
  createKube?: (options: { kubeconfigPath?: string; context?: string }) => ReadOnlyKube;
}

function processShutdown(): Promise<string> {
  return new Promise((resolve) => {
    const on = (signal: NodeJS.Signals): void => {
      process.off('SIGTERM', on);
      process.off('SIGINT', on);
      resolve(signal);
    };
    process.once('SIGTERM', on);
    process.once('SIGINT', on);
  });
}

function parseConcurrency(raw: string | undefined, fallback: number): number {
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > 256) throw new UsageError(`--concurrency must be a whole number from 1 to 256 (got "${raw}")`);
  return n;
}

/** /metrics (Prometheus text) and /healthz for the agent; it has no other HTTP surface. */
async function serveMetrics(port: number, host: string): Promise<Server> {
  // node:http on use: registering the command must not cost every CLI start its load.
  const [{ metrics }, { createServer }] = await Promise.all([import('../metrics.js'), import('node:http')]);
  const server = createServer((req, res) => {
    if (req.method === 'GET' && req.url === '/metrics') {
      metrics.registry.metrics().then(
        (text) => { res.writeHead(200, { 'content-type': metrics.registry.contentType }).end(text); },
        () => { res.writeHead(500).end('metrics unavailable\n'); },
      );
    } else if (req.method === 'GET' && req.url === '/healthz') {
      res.writeHead(200, { 'content-type': 'text/plain' }).end('ok\n');
    } else {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  return server;
}

export async function runAgentCommand(options: AgentCommandOptions, deps: AgentCommandDeps = {}): Promise<void> {
  // Loaded on use: registering the command must not cost `diagnose` zod, pino and prom-client.
  const [{ loadConfig }, { createLogger }, { collectProcessMetrics }, { openPlaybooks }] = await Promise.all([
    import('../config.js'), import('../log.js'), import('../metrics.js'), import('../playbooks/snapshot.js'),
  ]);
  const config = loadConfig(deps.env ?? process.env);
  if (!config.REDIS_URL) {
    throw new UsageError('the agent needs REDIS_URL (redis://host:port) to receive check jobs; set it to the Redis the bot uses');
  }
  const cluster = options.cluster ?? config.CLUSTER_NAME;
  if (!/^[a-z0-9][a-z0-9._-]{0,62}$/.test(cluster)) {
    throw new UsageError(`--cluster "${cluster}" is not a valid cluster name: use lowercase letters, digits, . _ -`);
  }
  const concurrency = parseConcurrency(options.concurrency, config.AGENT_CONCURRENCY);
  const logger = deps.logger ?? createLogger({ level: config.LOG_LEVEL, name: 'helm-triage-agent' });
  const kubeconfigPath = options.kubeconfig ?? config.KUBECONFIG;
  const context = options.context ?? config.KUBE_CONTEXT;
  // Loaded here, not at the top: every CLI start would otherwise pay for client-node and BullMQ.
  const { createReadOnlyKube } = await import('../kube/config.js');
  const { startAgent } = await import('../queue/agent.js');
  const kube = (deps.createKube ?? createReadOnlyKube)({
    ...(kubeconfigPath !== undefined ? { kubeconfigPath } : {}),
    ...(context !== undefined ? { context } : {}),
  });
  const playbooks = await openPlaybooks(config.PLAYBOOKS_DIR === undefined ? {} : { dir: config.PLAYBOOKS_DIR });
  collectProcessMetrics();
  let metricsServer: Server | undefined;
  if (options.metricsPort !== undefined) {
    const port = Number(options.metricsPort);
    if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`--metrics-port must be a port number (got "${options.metricsPort}")`);
    metricsServer = await serveMetrics(port, config.HOST);
  }

  const agent = startAgent({
    redisUrl: config.REDIS_URL,
    cluster,
    kube,
    playbooks,
    concurrency,
    logger,
    prefix: options.queuePrefix ?? config.QUEUE_PREFIX,
  });
  const shutdown = (deps.waitForShutdown ?? processShutdown)();
  // A Redis that is down keeps ready() pending; a signal meanwhile still stops the agent.
  const first = await Promise.race([agent.ready().then(() => 'ready' as const), shutdown]);
  if (first === 'ready') {
    logger.info({ cluster, concurrency, agent: agent.name }, 'agent taking check jobs');
    deps.onReady?.(agent);
  }
  const signal = await shutdown;
  logger.info({ signal }, 'agent shutting down');
  await agent.close();
  if (metricsServer) await new Promise((resolve) => metricsServer?.close(resolve));
}

export function registerAgent(program: Command, _ctx?: CliContext, deps: AgentCommandDeps = {}): void {
  program
    .command('agent')
    .description('run the in-cluster agent: answer this cluster\'s check jobs from Redis with read-only checks (needs REDIS_URL)')
    .option('--cluster <name>', 'cluster this agent serves (default: $CLUSTER_NAME or "default")')
    .option('--kubeconfig <path>', 'kubeconfig file (default: $KUBECONFIG, ~/.kube/config, then the in-cluster service account)')
    .option('--context <name>', 'kubeconfig context (default: $KUBE_CONTEXT or the current context)')
    .option('--concurrency <n>', 'check jobs run at once (default: $AGENT_CONCURRENCY or 8)')
    .option('--metrics-port <port>', 'serve /metrics and /healthz on this port (default: off)')
    .option('--queue-prefix <prefix>', `Redis key prefix, as the bot uses it (default: $QUEUE_PREFIX or ${DEFAULT_PREFIX})`)
    .action(async (options: AgentCommandOptions) => {
      await runAgentCommand(options, deps);
      // While Redis is down BullMQ keeps reconnect timers armed; a stopped agent process exits regardless.
      if (!deps.waitForShutdown) setTimeout(() => process.exit(), 1000).unref();
    });
}
