import { hostname } from 'node:os';
import { pino } from 'pino';
import type { ReadOnlyKube } from '../kube/types.js';
import type { Logger } from '../log.js';
import { metrics } from '../metrics.js';
import type { PlaybookSet } from '../playbooks/load.js';
import type { KeyValueStore } from '../store/kv.js';
import { MemoryKeyValueStore } from '../store/memory-kv.js';
import { describeFailure } from './failure.js';
import { DEFAULT_DEDUP_WINDOW_MS, agentJobId, dispatchMarkerTtlMs } from './job-id.js';
import type { PlanRollback } from '../rollback/plan.js';
import { errorResult, isExpired, noAgentResult, recordResult, retryAfterFailure, type CheckRunner } from './process-job.js';
import { processAgentJob } from './process-rollback-job.js';
import { ReportOnce } from './report-once.js';
import { DEFAULT_RETRY, backoffDelay, type RetryPolicy } from './retry.js';
import { agentJobSchema, jobLogFields, type AgentJob, type CheckDispatcher, type CheckResult, type ResultReporter, type SubmitReceipt } from './types.js';

// Embedded mode (no REDIS_URL): `serve` runs the checks itself against its own cluster, one replica,
// bookkeeping in memory. Same contract as the BullMQ pair: dedup by job id, bounded concurrency,
// a deadline watchdog that answers "no agent" if the checks never started, exactly one report.

export interface InProcessDispatcherOptions {
  /** The one cluster this process can check. */
  cluster: string;
  kube: ReadOnlyKube;
  reporter: ResultReporter;
  playbooks?: PlaybookSet;
  kv?: KeyValueStore;
  concurrency?: number;
  runChecks?: CheckRunner;
  /** Plans rollback-plan jobs; defaults to src/rollback/plan.ts. */
  planRollback?: PlanRollback;
  perCheckTimeoutMs?: number;
  logger?: Logger;
  dedupWindowMs?: number;
  retry?: RetryPolicy;
  now?: () => number;
  name?: string;
}

interface Pending {
  jobId: string;
  job: AgentJob;
  watchdog: NodeJS.Timeout;
}

export class InProcessDispatcher implements CheckDispatcher {
  private readonly kv: KeyValueStore;
  private readonly once: ReportOnce;
  private readonly logger: Logger;
  private readonly now: () => number;
  private readonly name: string;
  private readonly concurrency: number;
  private readonly waiting: Pending[] = [];
  private readonly running = new Set<Promise<void>>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly abort = new AbortController();
  private closed = false;

  constructor(private readonly options: InProcessDispatcherOptions) {
    this.kv = options.kv ?? new MemoryKeyValueStore();
    this.logger = options.logger ?? pino({ level: 'silent' });
    this.now = options.now ?? Date.now;
    this.name = options.name ?? `${hostname()}/${process.pid} (embedded)`;
    this.concurrency = Math.max(1, options.concurrency ?? 8);
    this.once = new ReportOnce(this.kv, options.reporter, this.logger);
  }

  async submit(input: AgentJob): Promise<SubmitReceipt> {
    const job = agentJobSchema.parse(input);
    const window = this.options.dedupWindowMs ?? DEFAULT_DEDUP_WINDOW_MS;
    const jobId = agentJobId(job, window);
    if (this.closed) return { status: 'unavailable', jobId, reason: 'cluster checks unavailable (the server is shutting down)' };
    const keepMs = dispatchMarkerTtlMs(job.deadline, this.now(), window);
    if (!(await this.kv.setIfAbsent(`dispatch:${jobId}`, '1', keepMs))) {
      metrics.submissions.inc({ cluster: job.cluster, status: 'duplicate' });
      return { status: 'duplicate', jobId };
    }
    metrics.submissions.inc({ cluster: job.cluster, status: 'queued' });
    this.logger.info({ jobId, cluster: job.cluster, ...jobLogFields(job) }, 'check job submitted (embedded)');

    if (job.cluster !== this.options.cluster) {
      // Nobody here can reach that cluster: say so now rather than at the deadline.
      const message = `no agent answered for cluster ${job.cluster}: this embedded server checks cluster ${this.options.cluster} only`;
      this.later(0, () => this.deliver(job, noAgentResult(jobId, job, this.now(), message)));
      return { status: 'queued', jobId };
    }
    const watchdog = this.later(Math.max(0, job.deadline - this.now()), () => this.deliver(job, noAgentResult(jobId, job, this.now())));
    this.waiting.push({ jobId, job, watchdog });
    this.pump();
    return { status: 'queued', jobId };
  }

  private later(ms: number, fn: () => Promise<unknown>): NodeJS.Timeout {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      fn().catch((err: unknown) => this.logger.error({ err: describeFailure(err) }, 'reporting a result failed'));
    }, ms);
    this.timers.add(timer);
    return timer;
  }

  private async deliver(job: AgentJob, result: CheckResult): Promise<void> {
    // Counted once, when reported: a watchdog that loses the race to the real answer is not an outcome.
    if ((await this.once.deliver(job, result)) === 'reported') recordResult(job, result);
  }

  private pump(): void {
    while (!this.closed && this.running.size < this.concurrency) {
      const next = this.waiting.shift();
      if (!next) return;
      const task = this.run(next).finally(() => {
        this.running.delete(task);
        this.pump();
      });
      this.running.add(task);
    }
  }

  private async run({ jobId, job, watchdog }: Pending): Promise<void> {
    if (isExpired(job, this.now())) return; // the watchdog answers
    const policy = this.options.retry ?? DEFAULT_RETRY;
    const { kube, playbooks, runChecks, perCheckTimeoutMs, planRollback } = this.options;
    const answer = async (result: CheckResult): Promise<void> => {
      clearTimeout(watchdog);
      this.timers.delete(watchdog);
      await this.deliver(job, result);
    };
    for (let attempt = 1; ; attempt++) {
      try {
        // A failing report counts as a failed attempt too, as in the BullMQ agent.
        await answer(await processAgentJob(jobId, job, { kube, playbooks, runChecks, perCheckTimeoutMs, planRollback, agent: this.name, now: this.now }, this.abort.signal));
        return;
      } catch (err) {
        if (this.closed || !retryAfterFailure(err, { jobId, job, attempt, policy, now: this.now(), logger: this.logger })) {
          await answer(errorResult(jobId, job, this.name, describeFailure(err), this.now()));
          return;
        }
        await new Promise((r) => setTimeout(r, backoffDelay(attempt, policy.backoffMs)));
      }
    }
  }

  /** Drops queued jobs, cuts running checks short (they answer as timed out), then waits for them. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const p of this.waiting.splice(0)) clearTimeout(p.watchdog);
    this.abort.abort(new Error('embedded dispatcher closing'));
    await Promise.allSettled([...this.running]);
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
  }
}
