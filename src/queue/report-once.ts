import type { Logger } from '../log.js';
import { metrics } from '../metrics.js';
import type { KeyValueStore } from '../store/kv.js';
import type { CheckResult, ReportedJob, ResultReporter } from './types.js';

// Delivery is at least once (stalled jobs re-run, every bot replica reads every answer, the deadline
// watchdog races the real answer). This guard makes reporting exactly once: the first delivery to claim
// `result:<jobId>` reports; every later one is dropped. If the reporter fails, the claim is
// released so the retry (or the other contender) can report instead.

const DEFAULT_RESULT_GUARD_TTL_MS = 24 * 60 * 60 * 1000;

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
    if (!(await this.kv.setIfAbsent(key, result.outcome, this.ttlMs))) {
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
    metrics.resultsReported.inc({ cluster: result.cluster, outcome: result.outcome });
    this.logger?.info({ jobId: result.jobId, cluster: result.cluster, outcome: result.outcome, agent: result.agent }, 'result reported');
    return 'reported';
  }
}
