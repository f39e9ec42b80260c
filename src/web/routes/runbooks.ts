import type { FastifyInstance } from 'fastify';
import { renderRunbookIndex } from '../../render/html/runbook-index.js';
import { renderRunbookPage } from '../../render/html/runbook-page.js';
import { PAGE_ASSETS } from '../assets.js';
import { isJsonRequest, sendHtml, sendMessage, type WebContext } from '../context.js';
import { PageCache } from '../page-cache.js';
import { paramsKey, parseRunbookParams } from '../runbook-params.js';
import { buildRunbookView } from '../runbook-view.js';
import { normalizeQuery, searchRunbooks, toSearchable } from '../runbook-search.js';

// GET /runbooks (searchable index) and GET /runbooks/:id (one runbook, commands filled from the query).

export function registerRunbookRoutes(app: FastifyInstance, ctx: WebContext): void {
  const { playbooks } = ctx.deps;
  const searchable = playbooks.playbooks.map(toSearchable);
  const describe = ctx.deps.checkDescription ?? (() => undefined);
  const cache = new PageCache();

  app.get('/', async (_request, reply) => reply.redirect('/runbooks', 302));

  app.get<{ Querystring: Record<string, unknown> }>('/runbooks', async (request, reply) => {
    const query = normalizeQuery(request.query.q);
    const items = searchRunbooks(searchable, query);
    reply.header('cache-control', 'public, max-age=60');
    if (isJsonRequest(request)) {
      return reply.send({
        query,
        total: searchable.length,
        runbooks: items.map((item) => ({ id: item.id, title: item.title, summary: item.summary, url: `/runbooks/${item.id}` })),
      });
    }
    const page = query === ''
      ? cache.getOrRender('index', () => renderRunbookIndex({ items, total: searchable.length, query }, PAGE_ASSETS))
      : renderRunbookIndex({ items, total: searchable.length, query }, PAGE_ASSETS);
    return sendHtml(reply, 200, page);
  });

  app.get<{ Params: { id: string }; Querystring: Record<string, unknown> }>('/runbooks/:id', async (request, reply) => {
    const playbook = playbooks.get(request.params.id);
    if (!playbook) {
      return sendMessage(request, reply, 404, 'runbook_not_found', 'No such runbook',
        `There is no runbook with the id “${request.params.id.slice(0, 100)}”. Playbook ids are listed on the runbooks page.`,
        { href: '/runbooks', label: 'See all runbooks' });
    }
    const params = parseRunbookParams(request.query);
    reply.header('cache-control', 'public, max-age=60');
    if (isJsonRequest(request)) {
      const view = buildRunbookView(playbook, params, describe);
      const { runbookMarkdown, ...rest } = view;
      return reply.send({ ...rest, runbook: runbookMarkdown });
    }
    const key = `${playbook.id}\u0000${paramsKey(params.values)}\u0000${params.ignored.join('|')}`;
    const page = cache.getOrRender(key, () => renderRunbookPage(buildRunbookView(playbook, params, describe), PAGE_ASSETS));
    return sendHtml(reply, 200, page);
  });
}
