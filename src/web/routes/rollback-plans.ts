import type { FastifyInstance } from 'fastify';
import { renderRollbackPage } from '../../render/html/rollback-page.js';
import { PAGE_ASSETS } from '../assets.js';
import { isJsonRequest, sendHtml, sendMessage, type WebContext } from '../context.js';

// GET /rollback-plans/:id — one rollback plan (the whole diff) behind an unguessable id, like /t/:id:
// never cached by proxies, never indexed. While the agent plans, the page says so.

export function registerRollbackPlanRoutes(app: FastifyInstance, ctx: WebContext): void {
  const store = ctx.deps.rollbackPlans;
  app.get<{ Params: { id: string } }>('/rollback-plans/:id', async (request, reply) => {
    reply.header('cache-control', 'private, no-store');
    reply.header('x-robots-tag', 'noindex, nofollow');
    const record = store ? await store.get(request.params.id) : null;
    const expired = record !== null && record.expiresAt <= ctx.now();
    if (record === null || expired) {
      return sendMessage(request, reply, expired ? 410 : 404, 'rollback_plan_expired', 'This rollback plan has expired',
        'This rollback plan link has expired, or the link was cut short when it was copied. Ask for a fresh plan in Slack with /helm-triage rollback-plan RELEASE [REVISION] -n NAMESPACE.',
        { href: '/runbooks', label: 'Browse the runbooks' });
    }
    if (isJsonRequest(request)) return reply.send(record);
    const { slack: _slack, ...view } = record;
    return sendHtml(reply, 200, renderRollbackPage(view, PAGE_ASSETS));
  });
}
