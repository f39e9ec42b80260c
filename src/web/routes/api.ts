import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
// The same JSON contract as `helm-triage diagnose --json` (one function, so they cannot drift).
import { diagnosisJson } from '../../render/json.js';
import type { Diagnosis } from '../../triage/types.js';
import { sendMessage, type WebContext } from '../context.js';
import { factsOf, parseRunbookParams } from '../runbook-params.js';
import { bearerMatches } from '../security.js';

// POST /api/diagnose: the CLI's --json answer over HTTP. JSON body {text, release?, namespace?},
// or a text/plain body with ?release=&namespace=. Bearer token when API_TOKEN is set.

const bodySchema = z.object({
  text: z.string().min(1, 'text is empty: send the failed Helm output'),
  release: z.string().optional(),
  namespace: z.string().optional(),
});

const STORE_TIMEOUT_MS = 1500;

export function registerApiRoutes(app: FastifyInstance, ctx: WebContext): void {
  const token = ctx.deps.config.API_TOKEN;

  app.post<{ Body: unknown; Querystring: Record<string, unknown> }>(
    '/api/diagnose',
    {
      bodyLimit: ctx.bodyLimitBytes,
      onRequest: async (request, reply) => {
        if (token === undefined) return;
        if (!bearerMatches(request.headers.authorization, token)) {
          reply.header('www-authenticate', 'Bearer realm="helm-triage"');
          await sendMessage(request, reply, 401, 'unauthorized', 'Unauthorized',
            'Send the API token as "Authorization: Bearer <API_TOKEN>" (ask whoever runs helm-triage for it).');
        }
      },
    },
    async (request, reply) => {
      const input = typeof request.body === 'string'
        ? { text: request.body, release: request.query.release, namespace: request.query.namespace }
        : request.body;
      const parsed = bodySchema.safeParse(input);
      if (!parsed.success) {
        const problems = parsed.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; ');
        return sendMessage(request, reply, 400, 'bad_request', 'Bad request',
          `Expected JSON {"text": "...", "release"?: "...", "namespace"?: "..."}: ${problems}.`);
      }
      const params = parseRunbookParams({ release: parsed.data.release, namespace: parsed.data.namespace });
      if (params.ignored.length > 0) return sendMessage(request, reply, 400, 'bad_request', 'Bad request', params.ignored.join(' '));
      const diagnosis = ctx.deps.diagnose(parsed.data.text, ctx.deps.playbooks, { overrides: factsOf(params.values) });
      const permalink = await storeTriage(ctx, diagnosis);
      reply.header('cache-control', 'no-store');
      return reply.type('application/json; charset=utf-8').send(diagnosisJson(diagnosis, { permalink }));
    },
  );
}

/** Keeps the result behind a permalink; a slow or absent store never holds up the answer. */
async function storeTriage(ctx: WebContext, diagnosis: Diagnosis): Promise<string | null> {
  let timer: NodeJS.Timeout | undefined;
  try {
    const record = await Promise.race([
      ctx.deps.triageStore.create({ source: 'api', diagnosis }),
      new Promise<null>((resolve) => { timer = setTimeout(() => resolve(null), STORE_TIMEOUT_MS); }),
    ]);
    if (!record) return null;
    const base = (ctx.deps.config.PUBLIC_BASE_URL ?? '').replace(/\/+$/, '');
    return `${base}/t/${record.id}`;
  } catch (err) {
    ctx.deps.logger.warn({ err: err instanceof Error ? err.message : String(err) }, 'could not store the triage; answering without a permalink');
    return null;
  } finally {
    clearTimeout(timer);
  }
}
