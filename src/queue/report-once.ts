import type { Logger } from '../log.js';
import { metrics } from '../metrics.js';
import type { KeyValueStore } from '../store/kv.js';
import type { CheckResult } from '../model/checks.js';
import type { ReportedJob, ResultReporter } from './types.js';

// Delivery is at least once (stalled jobs re-run, every bot replica reads every answer, the deadline
// watchdog races the real answer). This guard makes reporting exactly once: the first delivery to claim
// `result:<jobId>` reports; every later one is dropped. The claim is `pending` (short-lived) while the
// report runs and becomes the outcome (kept a day) once it succeeded; a failed report releases it, and
// a replica that dies mid-report leaves a pending claim that expires, so the watchdog can try again.

const DEFAULT_RESULT_GUARD_TTL_MS = 24 * 60 * 60 * 1000;
/** The claim's value while a report is in progress. */
export const REPORT_PENDING = 'pending';
/**
 * How long a claim may stay pending: past it, the reporter is taken for dead and the watchdog takes
 * over. Longer than one report can take (the Slack reporter's client gives up within about 2 min), so
 * a live report is never taken over and never has its claim released under someone else.
 */
const REPORT_PENDING_TTL_MS = 3 * 60_000;

export type DeliveryOutcome = 'reported' | 'duplicate';

/** The claim a delivery takes; present once a result for the job was reported. */
export function resultGuardKey(jobId: string): string {
  return `result:${jobId}`;
}

export class ReportOnce {
  constructor(
    private readonly kv: KeyValueStore,
    private readonly reporter: ResultReporter,
    private readonly logger?: Logger,
    private readonly ttlMs = DEFAULT_RESULT_GUARD_TTL_MS,
  ) {}

  async deliver(job: ReportedJob, result: CheckResult): Promise<DeliveryOutcome> {
    const key = resultGuardKey(result.jobId);
    if (!(await this.kv.setIfAbsent(key, REPORT_PENDING, Math.min(REPORT_PENDING_TTL_MS, this.ttlMs)))) {
      metrics.resultsDeduplicated.inc({ cluster: result.cluster });
      this.logger?.debug({ jobId: result.jobId, outcome: result.outcome }, 'result already reported; dropped');
      return 'duplicate';
    }
    try {
      await this.reporter.report(job, result);
    } catch (err) {
      await this.kv.del(key).catch(() => undefined);
      throw err;
    }
    await this.kv.set(key, result.outcome, this.ttlMs).catch((err: unknown) => {
      // The report went out; a pending claim that expires lets the watchdog try again, and the
      // reporter's own idempotency stops a second update.
      this.logger?.warn({ jobId: result.jobId, err: err instanceof Error ? err.message : String(err) }, 'could not mark a result reported');
    });
    metrics.resultsReported.inc({ cluster: result.cluster, outcome: result.outcome });
    this.logger?.info({ jobId: result.jobId, cluster: result.cluster, outcome: result.outcome, agent: result.agent }, 'result reported');
    return 'reported';
  }
}
