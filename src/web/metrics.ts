import { Counter, Histogram, type Metric, type Registry } from 'prom-client';

// HTTP metrics for the web server, registered on the registry /metrics serves (the process-wide one
// from src/metrics.ts unless the caller passes another, as tests do).

export interface WebMetrics {
  requests: Counter<'method' | 'route' | 'status'>;
  duration: Histogram<'route'>;
}

function existing<T extends Metric>(registry: Registry, name: string, isType: (m: Metric) => m is T): T | undefined {
  const metric = registry.getSingleMetric(name);
  return metric && isType(metric) ? metric : undefined;
}

const isCounter = (m: Metric): m is Counter<'method' | 'route' | 'status'> => m instanceof Counter;
const isHistogram = (m: Metric): m is Histogram<'route'> => m instanceof Histogram;

/** Idempotent per registry: two servers on one registry share the same series. */
export function createWebMetrics(registry: Registry): WebMetrics {
  const requests = existing(registry, 'helm_triage_http_requests_total', isCounter) ?? new Counter({
    name: 'helm_triage_http_requests_total',
    help: 'HTTP requests answered by the web server, by route pattern and status.',
    labelNames: ['method', 'route', 'status'] as const,
    registers: [registry],
  });
  const duration = existing(registry, 'helm_triage_http_request_duration_seconds', isHistogram) ?? new Histogram({
    name: 'helm_triage_http_request_duration_seconds',
    help: 'Time to answer an HTTP request, by route pattern.',
    labelNames: ['route'] as const,
    buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [registry],
  });
  return { requests, duration };
}
