import type { RequestListener } from 'node:http';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Registry } from 'prom-client';
import type { Logger } from '../log.js';
import type { PlaybookSet } from '../playbooks/load.js';
import { renderMessagePage } from '../render/html/message-page.js';
import type { KeyValueStore } from '../store/kv.js';
import type { RollbackPlanStore } from '../store/rollback-plans.js';
import type { TriageStore } from '../store/triages.js';
import type { DiagnoseOptions } from '../triage/diagnose.js';
import type { Diagnosis } from '../triage/types.js';
import { PAGE_ASSETS } from './assets.js';
import { wantsJson } from './negotiate.js';
import type { ReadinessProbe } from './readiness.js';

// What the lead hands createWebServer, and the small helpers every route shares.

export type DiagnoseFn = (text: string, playbooks: PlaybookSet, options?: DiagnoseOptions) => Diagnosis;

export interface WebConfig {
  /** When set, POST /api/diagnose needs `Authorization: Bearer <API_TOKEN>`. */
  API_TOKEN?: string;
  /** Absolute base for permalinks in API answers, e.g. https://triage.example.com. */
  PUBLIC_BASE_URL?: string;
  /** How long triage results are kept; shown on the expired-link page. */
  TRIAGE_TTL_DAYS?: number;
}

export interface WebServerDeps {
  playbooks: PlaybookSet;
  triageStore: TriageStore;
  /** Stored rollback plans; when given, /rollback-plans/:id serves them. */
  rollbackPlans?: RollbackPlanStore;
  /** The shared key-value store; when given, /readyz pings it. */
  kv?: KeyValueStore;
  config: WebConfig;
  /** Extra readiness probes (queue, agents …); playbooks and kv are probed already. */
  readiness?: ReadinessProbe[];
  /** prom-client registry served on /metrics; defaults to the process-wide one (src/metrics.ts). */
  metrics?: Registry;
  /** Bolt HTTPReceiver's requestListener: POSTs to slackPaths go here, untouched by fastify. */
  slackListener?: RequestListener;
  /** Defaults to ['/slack/events']. */
  slackPaths?: readonly string[];
  diagnose: DiagnoseFn;
  /** Check id → what it looks at (from the checks registry), for runbook and triage pages. */
  checkDescription?: (id: string) => string | undefined;
  logger: Logger;
  /** Largest accepted request body for the API; default 256 KiB. */
  bodyLimitBytes?: number;
  now?: () => number;
}

export interface WebContext {
  deps: WebServerDeps;
  now: () => number;
  ttlDays: number;
  bodyLimitBytes: number;
}

export function isJsonRequest(request: FastifyRequest): boolean {
  return wantsJson(request.headers.accept);
}

export function sendHtml(reply: FastifyReply, status: number, html: string | Buffer): FastifyReply {
  return reply.code(status).type('text/html; charset=utf-8').send(html);
}

/** An error or notice: JSON `{error, message}` for API clients, a small page for browsers. */
export function sendMessage(
  request: FastifyRequest,
  reply: FastifyReply,
  status: number,
  error: string,
  title: string,
  message: string,
  link?: { href: string; label: string },
): FastifyReply {
  if (request.url.startsWith('/api/') || isJsonRequest(request)) {
    return reply.code(status).type('application/json; charset=utf-8').send({ error, message });
  }
  return sendHtml(reply, status, renderMessagePage({ status, title, message, ...(link ? { link } : {}) }, PAGE_ASSETS));
}

export function describeSize(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${Math.round(bytes / 1024 / 1024)} MiB` : `${Math.round(bytes / 1024)} KiB`;
}
