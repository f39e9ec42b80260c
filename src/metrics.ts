import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

// One prom-client registry for the whole process; /metrics (src/web) serves `metrics.registry`.
// Other areas add their own metrics with counter()/gauge()/histogram(): they are get-or-create, so
// a module imported twice (tests, tsx) never trips prom-client's "already registered" error.

const registry = new Registry();

function existing<T>(name: string): T | undefined {
  return registry.getSingleMetric(name) as T | undefined;
}

export function counter<L extends string>(name: string, help: string, labelNames: readonly L[] = []): Counter<L> {
  return existing<Counter<L>>(name) ?? new Counter<L>({ name, help, labelNames, registers: [registry] });
}

export function gauge<L extends string>(name: string, help: string, labelNames: readonly L[] = []): Gauge<L> {
  return existing<Gauge<L>>(name) ?? new Gauge<L>({ name, help, labelNames, registers: [registry] });
}

export function histogram<L extends string>(name: string, help: string, labelNames: readonly L[] = [], buckets?: number[]): Histogram<L> {
  return (
    existing<Histogram<L>>(name) ??
    new Histogram<L>({ name, help, labelNames, registers: [registry], ...(buckets ? { buckets } : {}) })
  );
}

/** Waiting/active/delayed counts of one cluster's check queue, read when /metrics is scraped. */
export type QueueDepthSource = () => Promise<{ waiting: number; active: number; delayed: number }>;

const depthSources = new Map<string, QueueDepthSource>();
// A scrape must not hang on an unreachable Redis: each source gets this long, then is skipped.
const DEPTH_TIMEOUT_MS = 1000;

async function withTimeout<T>(p: Promise<T>, ms: number): Promise<T | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<undefined>((resolve) => { timer = setTimeout(() => resolve(undefined), ms); });
  try {
    return await Promise.race([p.catch(() => undefined), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

const queueDepth =
  existing<Gauge<'cluster' | 'state'>>('helm_triage_queue_depth') ??
  new Gauge<'cluster' | 'state'>({
    name: 'helm_triage_queue_depth',
    help: 'Check jobs per cluster queue and state (waiting, active, delayed), read at scrape time',
    labelNames: ['cluster', 'state'],
    registers: [registry],
    async collect() {
      this.reset();
      await Promise.all(
        [...depthSources].map(async ([cluster, source]) => {
          const counts = await withTimeout(source(), DEPTH_TIMEOUT_MS);
          if (!counts) return;
          this.set({ cluster, state: 'waiting' }, counts.waiting);
          this.set({ cluster, state: 'active' }, counts.active);
          this.set({ cluster, state: 'delayed' }, counts.delayed);
        }),
      );
    },
  });

/** Registers (or replaces) the depth source of a cluster; returns the function that removes it. */
export function trackQueueDepth(cluster: string, source: QueueDepthSource): () => void {
  depthSources.set(cluster, source);
  return () => {
    if (depthSources.get(cluster) === source) depthSources.delete(cluster);
  };
}

let defaultsOn = false;
/** Process metrics (CPU, memory, event loop lag); call once from the long-running entry points. */
export function collectProcessMetrics(): void {
  if (defaultsOn) return;
  defaultsOn = true;
  collectDefaultMetrics({ register: registry, prefix: 'helm_triage_' });
}

export const metrics = {
  registry,
  queueDepth,
  /** Seconds from a job's creation to its result, per cluster and outcome (measured where the job ran). */
  jobDuration: histogram('helm_triage_check_job_duration_seconds', 'Time from job creation to result, by cluster and outcome', ['cluster', 'outcome'], [
    0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60,
  ]),
  /** Results produced, by cluster and outcome (ok, timeout, no-agent, unavailable, error). */
  outcomes: counter('helm_triage_check_outcomes_total', 'Check results produced, by cluster and outcome', ['cluster', 'outcome']),
  /** Attempts that failed with a transient error and will be retried. */
  retries: counter('helm_triage_check_retries_total', 'Check job attempts retried after a transient failure', ['cluster']),
  /** Results handed to a reporter (after the exactly-once guard), by outcome. */
  resultsReported: counter('helm_triage_results_reported_total', 'Results handed to the reporter after deduplication', ['cluster', 'outcome']),
  /** Deliveries dropped by the exactly-once guard (duplicates, or the loser of result vs deadline). */
  resultsDeduplicated: counter('helm_triage_results_deduplicated_total', 'Result deliveries dropped because the job was already answered', ['cluster']),
  /** Submissions, by cluster and status (queued, duplicate, unavailable). */
  submissions: counter('helm_triage_check_submissions_total', 'Check job submissions by status', ['cluster', 'status']),
};
