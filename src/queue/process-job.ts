import { runChecks, type RunChecksInput } from '../checks/run.js';
import type { Finding } from '../checks/types.js';
import type { ReadOnlyKube } from '../kube/types.js';
import type { Logger } from '../log.js';
import { metrics } from '../metrics.js';
import type { PlaybookSet } from '../playbooks/load.js';
import { judgeCandidates } from '../triage/verdict.js';
import { describeFailure } from './failure.js';
import { shouldRetry, type RetryPolicy } from './retry.js';
import type { CheckJob, CheckResult } from './types.js';

// One check job → one result. Shared by the BullMQ agent and the embedded dispatcher, so both
// honour the deadline the same way. Never throws for a slow check: the deadline turns what is
// still running into `inconclusive`; only a failing runner (a bug or a dead cluster) throws.

export type CheckRunner = (input: RunChecksInput) => Promise<Finding[]>;

export interface ProcessJobDeps {
  kube: ReadOnlyKube;
  playbooks?: PlaybookSet;
  /** Defaults to src/checks/run.ts; tests and benchmarks inject their own. */
  runChecks?: CheckRunner;
  /** Name of whoever answers, shown in the result (host or pod name). */
  agent: string;
  now?: () => number;
  /** Upper bound for one check; the remaining time to the deadline bounds it anyway. */
  perCheckTimeoutMs?: number;
}

/** Time kept back before the deadline, so the answer (not the watchdog) reaches the requester. */
export function answerMarginMs(remainingMs: number): number {
  return Math.min(1000, Math.max(0, Math.floor(remainingMs * 0.2)));
}

/** The job's whole deadline in seconds, as the answers say it ("within 30 s"). */
export function deadlineSeconds(job: Pick<CheckJob, 'deadline' | 'createdAt'>): number {
  return Math.max(1, Math.round((job.deadline - job.createdAt) / 1000));
}

function noAgentMessage(job: Pick<CheckJob, 'cluster' | 'deadline' | 'createdAt'>): string {
  return `no agent answered for cluster ${job.cluster} within ${deadlineSeconds(job)} s`;
}

function timedOutFindings(checks: readonly string[], seconds: number): Finding[] {
  return checks.map((check) => ({
    check,
    status: 'inconclusive' as const,
    summary: `timed out: no answer from the cluster before the ${seconds} s deadline`,
    evidence: [],
  }));
}

/** Fills in `inconclusive` for checks the runner did not report (it returned early or was cut). */
function complete(findings: readonly Finding[], checks: readonly string[], seconds: number): Finding[] {
  const seen = new Set(findings.map((f) => f.check));
  return [...findings, ...timedOutFindings(checks.filter((c) => !seen.has(c)), seconds)];
}

export function isExpired(job: Pick<CheckJob, 'deadline'>, now: number): boolean {
  return job.deadline <= now;
}

export async function processCheckJob(jobId: string, job: CheckJob, deps: ProcessJobDeps, outer?: AbortSignal): Promise<CheckResult> {
  const now = deps.now ?? Date.now;
  const runner = deps.runChecks ?? runChecks;
  const seconds = deadlineSeconds(job);
  const remaining = job.deadline - now();
  const budget = Math.max(0, remaining - answerMarginMs(remaining));

  const timer = new AbortController();
  const timeout = setTimeout(() => timer.abort(new DOMException('check deadline reached', 'TimeoutError')), budget);
  const signal = outer ? AbortSignal.any([outer, timer.signal]) : timer.signal;
  let cut = false;
  let findings: Finding[];
  try {
    // A runner that ignores its signal still cannot hold the answer past the deadline; one that
    // honours it gets a moment (inside the margin) to hand back what it finished.
    const graceMs = Math.min(100, Math.floor(answerMarginMs(remaining) / 2));
    const deadlineReached = new Promise<null>((resolve) => {
      const giveUp = (): void => { setTimeout(() => resolve(null), graceMs).unref(); };
      if (signal.aborted) giveUp();
      else signal.addEventListener('abort', giveUp, { once: true });
    });
    const ran = await Promise.race([
      runner({
        checks: job.checks,
        facts: job.facts,
        kube: deps.kube,
        signal,
        now: new Date(now()),
        perCheckTimeoutMs: Math.min(deps.perCheckTimeoutMs ?? budget, budget),
      }),
      deadlineReached,
    ]);
    cut = ran === null || timer.signal.aborted;
    findings = complete(ran ?? [], job.checks, seconds);
  } finally {
    clearTimeout(timeout);
  }

  // The same judge as the in-process --check: across every candidate the job carries. A job from an
  // older bot carries none: its one playbook is the candidate.
  const playbook = job.playbook === '' ? null : job.playbook;
  const candidates = job.candidates ?? (playbook ? [{ playbook, score: job.confidence ?? 0, checks: job.checks, primary: true }] : []);
  const verdict = judgeCandidates(
    {
      playbook,
      confidence: job.confidence ?? 0,
      rootCause: job.rootCause ?? null,
      matches: job.matches ?? [],
      facts: job.facts,
      candidates,
    },
    findings,
    deps.playbooks,
  );
  return {
    v: 1,
    jobId,
    cluster: job.cluster,
    outcome: cut ? 'timeout' : 'ok',
    findings,
    verdict,
    ...(cut ? { message: `some checks for cluster ${job.cluster} did not finish within ${seconds} s and are marked inconclusive` } : {}),
    agent: deps.agent,
    completedAt: now(),
  };
}

/** The answer when the checks could not run at all (a permanent failure, or retries used up). */
export function errorResult(jobId: string, job: Pick<CheckJob, 'cluster'>, agent: string | undefined, reason: string, now: number): CheckResult {
  return {
    v: 1,
    jobId,
    cluster: job.cluster,
    outcome: 'error',
    findings: [],
    verdict: null,
    message: `cluster checks failed on ${job.cluster}: ${reason}`,
    ...(agent ? { agent } : {}),
    completedAt: now,
  };
}

export function noAgentResult(jobId: string, job: Pick<CheckJob, 'cluster' | 'deadline' | 'createdAt'>, now: number, message = noAgentMessage(job)): CheckResult {
  return { v: 1, jobId, cluster: job.cluster, outcome: 'no-agent', findings: [], verdict: null, message, completedAt: now };
}

/** Counts a result where it was produced (agent or embedded dispatcher); a no-agent answer has no run time. */
export function recordResult(job: Pick<CheckJob, 'createdAt'>, result: CheckResult): void {
  metrics.outcomes.inc({ cluster: result.cluster, outcome: result.outcome });
  if (result.outcome !== 'no-agent') {
    metrics.jobDuration.observe({ cluster: result.cluster, outcome: result.outcome }, Math.max(0, result.completedAt - job.createdAt) / 1000);
  }
}

/** The retry decision the agent and the embedded dispatcher both make, counted and logged alike. */
export function retryAfterFailure(
  err: unknown,
  at: { jobId: string; job: Pick<CheckJob, 'cluster' | 'deadline'>; attempt: number; policy: RetryPolicy; now: number; logger: Logger },
): boolean {
  if (!shouldRetry(err, at.attempt, at.policy, at.now, at.job.deadline)) return false;
  metrics.retries.inc({ cluster: at.job.cluster });
  at.logger.warn({ jobId: at.jobId, attempt: at.attempt, err: describeFailure(err) }, 'check job failed (transient); will retry');
  return true;
}
