// `helm-triage serve` registration; the composition itself is in serve.ts, loaded on use.
import type { Command } from 'commander';
import type { CliContext } from './context.js';

export function registerServe(program: Command, _ctx?: CliContext): void {
  program
    .command('serve')
    .description('run the bot: Slack (HTTP on $PORT or Socket Mode), runbook pages, permalinks, API, /healthz, /readyz, /metrics')
    .option('--port <n>', 'port to listen on (default: $PORT or 3000)')
    .action(async (opts: { port?: string }) => {
      // The bot stack (Bolt, BullMQ, fastify, client-node) loads only when serve runs.
      const [{ startServe }, { loadConfig }, { createLogger }] = await Promise.all([import('./serve.js'), import('../config.js'), import('../log.js')]);
      const config = loadConfig(opts.port ? { ...process.env, PORT: opts.port } : process.env);
      const logger = createLogger({ level: config.LOG_LEVEL });
      const server = await startServe({ config, logger });
      await new Promise<void>((resolve) => {
        const stop = (signal: string): void => {
          logger.info({ signal }, 'shutting down');
          server.close().then(resolve, resolve);
        };
        process.once('SIGTERM', () => stop('SIGTERM'));
        process.once('SIGINT', () => stop('SIGINT'));
      });
      // While Redis is down BullMQ keeps reconnect timers armed; a stopped server exits regardless.
      setTimeout(() => process.exit(), 1000).unref();
    });
}
