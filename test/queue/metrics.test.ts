import { describe, expect, it } from 'vitest';
import { counter, metrics, trackQueueDepth } from '../../src/metrics.js';

describe('metrics registry', () => {
  it('serves the queue metrics from one registry', async () => {
    const text = await metrics.registry.metrics();
    for (const name of [
      'helm_triage_queue_depth', 'helm_triage_check_job_duration_seconds', 'helm_triage_check_outcomes_total',
      'helm_triage_check_retries_total', 'helm_triage_results_reported_total',
    ]) expect(text).toContain(`# TYPE ${name}`);
  });

  it('get-or-create: a second registration returns the same metric instead of throwing', () => {
    const a = counter('helm_triage_test_things_total', 'things', ['kind']);
    const b = counter('helm_triage_test_things_total', 'things', ['kind']);
    expect(b).toBe(a);
  });

  it('reads queue depth per cluster at scrape time and skips a source that does not answer', async () => {
    const untrackA = trackQueueDepth('depth-a', async () => ({ waiting: 3, active: 1, delayed: 2 }));
    const untrackB = trackQueueDepth('depth-b', () => new Promise(() => undefined));
    try {
      const started = Date.now();
      const text = await metrics.registry.getSingleMetricAsString('helm_triage_queue_depth');
      expect(Date.now() - started).toBeLessThan(3000);
      expect(text).toContain('helm_triage_queue_depth{cluster="depth-a",state="waiting"} 3');
      expect(text).toContain('helm_triage_queue_depth{cluster="depth-a",state="delayed"} 2');
      expect(text).not.toContain('cluster="depth-b"');
    } finally {
      untrackA();
      untrackB();
    }
  });
});
