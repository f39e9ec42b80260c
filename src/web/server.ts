import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import Fastify, { type FastifyError, type FastifyInstance } from 'fastify';
import { ASSET_PATHS, SITE_CSS, SITE_JS } from './assets.js';
import { describeSize, sendMessage, type WebContext, type WebServerDeps } from './context.js';
import { metrics as shared } from '../metrics.js';
import { createWebMetrics } from './metrics.js';
import { registerApiRoutes } from './routes/api.js';
import { registerHealthRoutes } from './routes/health.js';
import { registerRollbackPlanRoutes } from './routes/rollback-plans.js';
import { registerRunbookRoutes } from './routes/runbooks.js';
import { registerTriageRoutes } from './routes/triage.js';
import { SECURITY_HEADERS } from './security.js';

export type { WebServerDeps, WebConfig, DiagnoseFn } from './context.js';
export type { ReadinessProbe, ReadinessResult } from './readiness.js';

// One HTTP server for everything: Slack's event POSTs go straight to Bolt's request listener
// (it needs the raw body for signature checks), every other request goes to fastify.

export interface WebServer {
  app: FastifyInstance<Server>;
  /** Starts listening; port 0 picks a free port. */
  listen(options: { port: number; host?: string }): Promise<{ url: string; port: number }>;
  close(): Promise<void>;
}

export const DEFAULT_BODY_LIMIT = 256 * 1024;

export function createWebServer(deps: WebServerDeps): WebServer {
  const ctx: WebContext = {
    deps,
    now: deps.now ?? Date.now,
    ttlDays: deps.config.TRIAGE_TTL_DAYS ?? 14,
    bodyLimitBytes: deps.bodyLimitBytes ?? DEFAULT_BODY_LIMIT,
  };
  const slackPaths = new Set(deps.slackPaths ?? ['/slack/events']);
  const slackListener = deps.slackListener;

  const app = Fastify({
    serverFactory: (handler) =>
      createServer((req: IncomingMessage, res: ServerResponse) => {
        if (slackListener && req.method === 'POST' && slackPaths.has((req.url ?? '').split('?')[0] ?? '')) {
          slackListener(req, res);
          return;
        }
        handler(req, res);
      }),
    bodyLimit: ctx.bodyLimitBytes,
    requestTimeout: 30_000,
    return503OnClosing: true,
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 200 },
  });

  // The process-wide registry by default, so /metrics also shows queue and Slack metrics.
  const registry = deps.metrics ?? shared.registry;
  const metrics = createWebMetrics(registry);

  // Callback-style hooks: no promise per request on the hot path.
  app.addHook('onRequest', (_request, reply, done) => {
    reply.headers(SECURITY_HEADERS);
    done();
  });

  // Route patterns only (never the URL): permalink ids stay out of logs and metric labels.
  app.addHook('onResponse', (request, reply, done) => {
    const route = request.routeOptions.url ?? 'unmatched';
    metrics.requests.inc({ method: request.method, route, status: String(reply.statusCode) });
    metrics.duration.observe({ route }, reply.elapsedTime / 1000);
    const line = { method: request.method, route, status: reply.statusCode, ms: Math.round(reply.elapsedTime) };
    if (reply.statusCode >= 500) deps.logger.warn(line, 'request failed');
    else deps.logger.debug(line, 'request');
    done();
  });

  app.setNotFoundHandler(async (request, reply) =>
    sendMessage(request, reply, 404, 'not_found', 'Page not found', 'Nothing lives at this address.', { href: '/runbooks', label: 'Go to the runbooks' }),
  );

  app.setErrorHandler(async (error: FastifyError, request, reply) => {
    const status = error.statusCode ?? 500;
    if (status === 413) {
      return sendMessage(request, reply, 413, 'payload_too_large', 'Request too large',
        `The request body is larger than ${describeSize(ctx.bodyLimitBytes)}. Send only the failing part of the Helm output (the lines from the first "Error:").`);
    }
    if (status === 415) {
      return sendMessage(request, reply, 415, 'unsupported_media_type', 'Unsupported content type',
        'Send Content-Type: application/json with {"text": "..."} (or text/plain with the output as the body).');
    }
    if (status >= 400 && status < 500) {
      return sendMessage(request, reply, status, 'bad_request', 'Bad request', `The request could not be read: ${error.message}.`);
    }
    deps.logger.error({ err: error.message, route: request.routeOptions.url ?? 'unmatched' }, 'unhandled error in web route');
    return sendMessage(request, reply, 500, 'internal_error', 'Something went wrong', 'The server failed to answer. Try again; if it keeps failing, check the helm-triage logs.');
  });

  app.get(ASSET_PATHS.css, async (_request, reply) =>
    reply.header('cache-control', 'public, max-age=31536000, immutable').type('text/css; charset=utf-8').send(SITE_CSS));
  app.get(ASSET_PATHS.js, async (_request, reply) =>
    reply.header('cache-control', 'public, max-age=31536000, immutable').type('text/javascript; charset=utf-8').send(SITE_JS));

  // Browsers ask for it on every page; an empty answer keeps logs and consoles quiet.
  app.get('/favicon.ico', async (_request, reply) => reply.code(204).header('cache-control', 'public, max-age=86400').send());

  registerRunbookRoutes(app, ctx);
  registerTriageRoutes(app, ctx);
  registerRollbackPlanRoutes(app, ctx);
  registerApiRoutes(app, ctx);
  registerHealthRoutes(app, ctx, registry);

  return {
    app,
    async listen({ port, host = '127.0.0.1' }) {
      await app.listen({ port, host });
      const address = app.server.address() as AddressInfo;
      const shownHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
      return { url: `http://${shownHost}:${address.port}`, port: address.port };
    },
    close: () => app.close(),
  };
}
