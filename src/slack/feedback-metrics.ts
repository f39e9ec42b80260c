import { Counter, type Registry } from 'prom-client';
import { metrics } from '../metrics.js';

export type FeedbackKind = 'helpful' | 'wrong';

export interface FeedbackMetrics {
  record(kind: FeedbackKind, playbook: string): void;
}

const NAME = 'helm_triage_slack_feedback_total';

/** One counter per registry; several app instances (tests, replicas in one process) share it. */
/** Defaults to the process registry that /metrics serves (src/metrics.ts). */
export function feedbackMetrics(registry: Registry = metrics.registry): FeedbackMetrics {
  const existing = registry.getSingleMetric(NAME);
  const counter = existing instanceof Counter
    ? existing
    : new Counter({ name: NAME, help: 'Helpful / wrong-diagnosis clicks in Slack, once per user and triage', labelNames: ['kind', 'playbook'], registers: [registry] });
  return { record: (kind, playbook) => counter.inc({ kind, playbook }) };
}
