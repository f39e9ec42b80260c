import type { FastifyInstance } from 'fastify';
import { renderTriagePage } from '../../render/html/triage-page.js';
import { PAGE_ASSETS } from '../assets.js';
import { isJsonRequest, sendHtml, sendMessage, type WebContext } from '../context.js';
import { runbookHref } from '../runbook-view.js';
import type { TriageRecord } from '../../store/triages.js';
import { TriageReadCache } from '../triage-cache.js';

// GET /t/:id — one triage result behind an unguessable id. Never cached by proxies, never indexed.

export function registerTriageRoutes(app: FastifyInstance, ctx: WebContext): void {
  const describe = ctx.deps.checkDescription ?? (() => undefined);
  const cache = new TriageReadCache(ctx.deps.triageStore);

  app.get<{ Params: { id: string } }>('/t/:id', async (request, reply) => {
    reply.header('cache-control', 'private, no-store');
    reply.header('x-robots-tag', 'noindex, nofollow');
    const entry = await cache.get(request.params.id);
    const expired = entry !== null && entry.record.expiresAt <= ctx.now();
    if (entry === null || expired) {
      const days = ctx.ttlDays;
      return sendMessage(request, reply, expired ? 410 : 404, 'triage_expired', 'This triage link has expired',
        `This triage link has expired (results are kept ${formatDays(days)}), or the link was cut short when it was copied. ` +
          'Paste the failed Helm output into Slack again for a fresh diagnosis.',
        { href: '/runbooks', label: 'Browse the runbooks' });
    }
    const record = entry.record;
    if (isJsonRequest(request)) {
      return entry.raw !== null ? reply.type('application/json; charset=utf-8').send(entry.raw) : reply.send(record);
    }
    entry.html ??= Buffer.from(render(record), 'utf8');
    return sendHtml(reply, 200, entry.html);
  });

  function render(record: TriageRecord): string {
    const checkDescriptions: Record<string, string> = {};
    for (const finding of record.findings ?? []) {
      const description = describe(finding.check);
      if (description !== undefined) checkDescriptions[finding.check] = description;
    }
    const { playbook, facts } = record.diagnosis;
    return renderTriagePage(
      {
        ...record,
        checkDescriptions,
        // runbookHref takes only release and namespace, and only when set.
        runbookHref: playbook ? runbookHref(playbook, facts) : null,
      },
      PAGE_ASSETS,
    );
  }
}

function formatDays(days: number): string {
  if (days >= 1) return `${Number.isInteger(days) ? days : days.toFixed(1)} day${days === 1 ? '' : 's'}`;
  const hours = days * 24;
  return hours >= 1 ? `${Math.round(hours)} hours` : `${Math.max(1, Math.round(hours * 60))} minutes`;
}
