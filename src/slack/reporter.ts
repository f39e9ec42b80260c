// ResultReporter for Slack: turns a check result (or a rollback plan) into exactly one update of the original reply.
// Re-deliveries (BullMQ retries, stalled-job recovery, a second consumer replica) find the claim and stop.
import { renderRollbackFailure, renderRollbackPlanMessage } from '../render/rollback-slack.js';
import { renderSlackMessage, type SlackMessage } from '../render/slack.js';
import { ErrorCode, HelmTriageError } from '../errors.js';
import type { Logger } from '../log.js';
import type { PlaybookSet } from '../playbooks/load.js';
import { isRollbackJob, type CheckResult, type ReportedCheckJob, type ReportedJob, type ResultReporter, type RollbackJob } from '../queue/types.js';
import type { KeyValueStore } from '../store/kv.js';
import type { RollbackPlanStore } from '../store/rollback-plans.js';
import type { TriageStore } from '../store/triages.js';
import type { Diagnosis, Facts } from '../triage/types.js';
import { adoptVerdict } from '../triage/verdict.js';
import { keys, TTL } from './keys.js';
import type { MessageRef, SlackPublisher } from './publisher.js';
import { describeError } from './slack-errors.js';
import { playbookIds } from './triage-flow.js';

export interface SlackReporterDeps {
  publisher: SlackPublisher;
  kv: KeyValueStore;
  triageStore: TriageStore;
  rollbackPlans: RollbackPlanStore;
  playbooks: PlaybookSet;
  logger: Logger;
  publicBaseUrl?: string;
}

/** Where the reply lives, from what the job carried. */
function refFromJob(job: ReportedJob): MessageRef | null {
  const r = job.requester;
  if (r.kind !== 'slack') return null;
  if (r.messageTs) return { via: 'chat', channel: r.channel, ts: r.messageTs };
  if (r.responseUrl) return { via: 'response_url', channel: r.channel, responseUrl: r.responseUrl };
  return null;
}

/** When the triage record expired, rebuild enough of a diagnosis from the job to render the result. */
function diagnosisFromJob(job: ReportedCheckJob, result: CheckResult, playbooks: PlaybookSet): Diagnosis {
  const playbook = playbooks.get(job.playbook);
  const facts: Facts = {};
  for (const name of ['release', 'namespace'] as const) {
    const value = job.facts[name];
    if (typeof value === 'string') facts[name] = value;
  }
  return {
    playbook: job.playbook === '' ? null : job.playbook,
    title: job.playbook === '' ? null : playbook?.title ?? job.playbook,
    confidence: result.verdict?.confidence ?? 0,
    facts,
    rootCause: result.verdict?.rootCause ?? null,
    commands: [],
    matches: [],
    checks: job.checks,
    notes: ['The original triage expired; showing the check results only.'],
    input: { bytes: 0, lines: 0, truncated: false, redactions: 0, binary: false },
    text: '',
  };
}

/** Another replica holds the update of this reply; retry later (its claim outlives no update). */
export class ReplyBeingUpdatedError extends HelmTriageError {
  constructor(jobId: string) {
    super(ErrorCode.SlackReplyBusy, `the slack reply for ${jobId} is being updated by another replica; trying again later`);
    this.name = 'ReplyBeingUpdatedError';
  }
}

/** The updated reply, and what the log line says of it. */
interface Reply {
  message: SlackMessage;
  logged: Record<string, unknown>;
  said: string;
}

export class SlackReporter implements ResultReporter {
  constructor(private readonly deps: SlackReporterDeps) {}

  async report(job: ReportedJob, result: CheckResult): Promise<void> {
    const ref = refFromJob(job);
    if (!ref) return;
    const { kv, logger } = this.deps;
    const claim = keys.report(result.jobId);
    if (!(await kv.setIfAbsent(claim, 'updating', TTL.reportUpdating))) {
      if ((await kv.get(claim)) === 'done') {
        logger.debug({ jobId: result.jobId }, 'result already reported; skipping');
        return;
      }
      // Another replica is updating this reply right now (or died doing so: its claim expires soon).
      // Not done yet, so say so: the caller keeps the answer and tries again later.
      throw new ReplyBeingUpdatedError(result.jobId);
    }
    try {
      const reply = isRollbackJob(job) ? await this.rollbackReply(job, result) : await this.checksReply(job, result);
      await this.deps.publisher.update(ref, reply.message);
      await kv.set(claim, 'done', TTL.report);
      logger.info({ jobId: result.jobId, outcome: result.outcome, ...reply.logged }, reply.said);
    } catch (err) {
      // Release the claim so a re-delivery can try again; rethrow so the queue retries.
      await kv.del(claim).catch(() => undefined);
      logger.warn({ jobId: result.jobId, err: describeError(err) }, 'updating the slack reply failed');
      throw err;
    }
  }

  /** Stores the answer under the plan's permalink and renders the plan (or why there is none). */
  private async rollbackReply(job: RollbackJob, result: CheckResult): Promise<Reply> {
    const logged = { planId: job.planId, rollback: result.plan?.verdict.kind ?? null };
    return { message: await this.rollbackMessage(job, result), logged, said: 'slack reply updated with the rollback plan' };
  }

  private async rollbackMessage(job: RollbackJob, result: CheckResult): Promise<SlackMessage> {
    const plan = result.outcome === 'ok' ? result.plan : undefined;
    const answer = { outcome: result.outcome, completedAt: result.completedAt, ...(result.message ? { message: result.message } : {}) };
    const stored = await this.deps.rollbackPlans.update(job.planId, { ...(plan ? { plan } : {}), answer });
    // An expired record has no page to link to; the message still carries the plan.
    const ctx = { cluster: job.cluster, publicBaseUrl: this.deps.publicBaseUrl, ...(stored ? { planId: job.planId } : {}) };
    if (plan) return renderRollbackPlanMessage(plan, ctx);
    const why = result.message ?? (result.outcome === 'ok' ? `the agent of cluster ${job.cluster} answered without a plan (is it older than this bot? upgrade it)` : undefined);
    return renderRollbackFailure(job.request, result.outcome, why, ctx);
  }

  /** Stores the findings with the triage (adopting the verdict's diagnosis) and renders the diagnosis with them. */
  private async checksReply(job: ReportedCheckJob, result: CheckResult): Promise<Reply> {
    const triageId = job.requester.kind === 'slack' ? job.requester.triageId : undefined;
    const stored = triageId
      ? await this.deps.triageStore.update(triageId, {
        findings: result.findings,
        verdict: result.verdict,
        checks: { outcome: result.outcome, ...(result.message ? { message: result.message } : {}), completedAt: result.completedAt },
      })
      : null;
    const original = stored?.diagnosis ?? diagnosisFromJob(job, result, this.deps.playbooks);
    // The cluster confirmed another candidate than the first reply (or the first reply abstained):
    // the reply, the details page and a re-run show the confirmed diagnosis from now on.
    const diagnosis = adoptVerdict(original, result.verdict, this.deps.playbooks);
    if (diagnosis !== original && triageId && stored) await this.deps.triageStore.update(triageId, { diagnosis });
    const message = renderSlackMessage(diagnosis, {
      triageId,
      publicBaseUrl: this.deps.publicBaseUrl,
      checks: { state: 'done', result },
      playbookIds: playbookIds(this.deps.playbooks),
    });
    return { message, logged: { triageId, verdict: result.verdict?.status ?? null }, said: 'slack reply updated with check results' };
  }
}
