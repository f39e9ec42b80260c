import type { FastifyInstance } from 'fastify';
import type { Registry } from 'prom-client';
import { renderMessagePage } from '../../render/html/message-page.js';
import { PAGE_ASSETS } from '../assets.js';
import { isJsonRequest, sendHtml, type WebContext } from '../context.js';
import { keyValueProbe, playbooksProbe, runProbes, type ReadinessProbe } from '../readiness.js';

// /healthz: the process answers. /readyz: it can do its job (playbooks loaded, Redis reachable …).
// /metrics: Prometheus text (JSON on request).

const PROBE_TIMEOUT_MS = 2000;

export function registerHealthRoutes(app: FastifyInstance, ctx: WebContext, registry: Registry): void {
  const probes: ReadinessProbe[] = [playbooksProbe(ctx.deps.playbooks)];
  if (ctx.deps.kv) probes.push(keyValueProbe(ctx.deps.kv));
  probes.push(...(ctx.deps.readiness ?? []));

  app.get('/healthz', async (request, reply) => {
    reply.header('cache-control', 'no-store');
    if (isJsonRequest(request)) return reply.send({ status: 'ok' });
    return reply.type('text/plain; charset=utf-8').send('ok\n');
  });

  app.get('/readyz', async (request, reply) => {
    reply.header('cache-control', 'no-store');
    const results = await runProbes(probes, PROBE_TIMEOUT_MS);
    const ready = results.every((r) => r.ok);
    const status = ready ? 200 : 503;
    if (isJsonRequest(request)) return reply.code(status).send({ ready, checks: results });
    const lines = results.map((r) => `${r.ok ? 'ok  ' : 'FAIL'} ${r.name}${r.detail ? `: ${r.detail}` : ''}`);
    if (request.headers.accept?.includes('text/html')) {
      // One sentence per probe for people; the column-aligned "ok  " prefix is for terminals only.
      const message = results.map((r) => `${r.ok ? '✓' : '✗'} ${r.name}${r.detail ? `: ${r.detail}` : ''}`).join(' · ');
      return sendHtml(reply, status, renderMessagePage({ status, title: ready ? 'Ready' : 'Not ready', message }, PAGE_ASSETS));
    }
    return reply.code(status).type('text/plain; charset=utf-8').send(`${ready ? 'ready' : 'not ready'}\n${lines.join('\n')}\n`);
  });

  app.get('/metrics', async (request, reply) => {
    reply.header('cache-control', 'no-store');
    if (isJsonRequest(request)) return reply.send(await registry.getMetricsAsJSON());
    return reply.type(registry.contentType).send(await registry.metrics());
  });
}
