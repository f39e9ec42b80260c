// One triage from Slack, whatever started it (command, modal, paste): diagnose, store, reply at once with
// the text diagnosis, then hand the checks to the dispatcher. The reply never waits for the queue.
import type { PlaybookSet } from '../playbooks/load.js';
import { renderSlackMessage, type ChecksState } from '../render/slack.js';
import { checkJobFor, checkPlanFor, type JobDiagnosis } from '../queue/check-job.js';
import type { AgentJob, Requester } from '../queue/types.js';
import { diagnose } from '../triage/diagnose.js';
import type { Diagnosis, Facts } from '../triage/types.js';
import { clusterFor } from './channel-clusters.js';
import type { MessageRef, Placement } from './publisher.js';
import type { SlackServices } from './services.js';
import { beforePosting, describeError } from './slack-errors.js';

export interface TriageRequest {
  source: 'command' | 'modal' | 'paste';
  /** The raw text. Never logged, never stored: only the diagnosis' redacted text leaves this function. */
  text: string;
  channel: string;
  userId: string;
  teamId?: string;
  placement: Placement;
  responseUrl?: string;
  clusterOverride?: string;
  overrides?: Partial<Facts>;
  /** Already computed by the caller (auto-reply diagnoses first to decide whether to answer). */
  diagnosis?: Diagnosis;
}

export interface TriageOutcome {
  triageId: string;
  ref: MessageRef;
  checks: ChecksState['state'];
  diagnosis: Diagnosis;
}

export function diagnoseText(services: SlackServices, text: string, overrides?: Partial<Facts>): Diagnosis {
  return diagnose(text, services.playbooks, overrides ? { overrides } : {});
}

export function playbookIds(playbooks: PlaybookSet): string[] {
  return playbooks.playbooks.map((p) => p.id);
}

export async function runTriage(services: SlackServices, req: TriageRequest): Promise<TriageOutcome> {
  const { config, logger } = services;
  const diagnosis = req.diagnosis ?? diagnoseText(services, req.text, req.overrides);
  const cluster = clusterFor(req.channel, services.channelClusters, config.CLUSTER_NAME, req.clusterOverride);
  // An abstaining first reply still has candidates the cluster can decide (src/triage/candidates.ts).
  const wantsChecks = checkPlanFor(diagnosis, services.playbooks) !== null;
  // Failures up to the post are NothingPostedError (the caller may answer again); the publisher says which of its own are.
  const access = wantsChecks ? await beforePosting(services.access.decide(req.channel, req.userId)) : { allowed: true as const };

  const record = await beforePosting(services.triageStore.create({ source: 'slack', diagnosis, cluster, slack: { channel: req.channel } }));
  let checks: ChecksState = !wantsChecks
    ? { state: 'none' }
    : access.allowed ? { state: 'pending', cluster } : { state: 'not-allowed', reason: access.reason };

  const notes: string[] = [];
  const render = (state: ChecksState) => renderSlackMessage(diagnosis, {
    triageId: record.id, publicBaseUrl: services.publicBaseUrl, checks: state, playbookIds: playbookIds(services.playbooks), notes,
  });
  const posted = await services.publisher.post(req.placement, render(checks), { responseUrl: req.responseUrl, userId: req.userId });
  const ref = posted.ref;
  logger.info({ triageId: record.id, source: req.source, playbook: diagnosis.playbook, confidence: diagnosis.confidence, via: ref.via, fellBack: posted.fellBack, checks: checks.state }, 'slack triage answered');
  if (posted.fellBack) notes.push('Answered here because I am not in that channel: /invite me for threaded replies.');

  await services.triageStore.update(record.id, { slack: slackMetaOf(ref) });

  if (checks.state === 'pending') {
    const submitted = await submitChecks(services, { diagnosis, cluster, triageId: record.id, ref, req, threadTs: req.placement.kind === 'channel' ? req.placement.threadTs : undefined });
    const unavailable = submitted.status === 'unavailable'
      ? submitted.reason
      : submitted.status === 'duplicate' ? 'the same request is already being checked; see the earlier answer' : null;
    if (unavailable) {
      checks = { state: 'unavailable', reason: unavailable };
      await services.triageStore.update(record.id, { checks: { outcome: 'unavailable', message: unavailable, completedAt: services.now() } });
      await services.publisher.update(ref, render(checks)).catch((err: unknown) => logger.warn({ triageId: record.id, err: describeError(err) }, 'could not mark checks unavailable'));
    }
  }
  return { triageId: record.id, ref, checks: checks.state, diagnosis };
}

export interface SubmitInput {
  diagnosis: JobDiagnosis;
  cluster: string;
  triageId: string;
  ref: MessageRef;
  /** Root of the conversation the reply lives in (the job id hashes it: one thread, one job). */
  threadTs?: string;
  req: { userId: string; teamId?: string };
}

export function requesterFor(ref: MessageRef, input: { triageId?: string; userId: string; teamId?: string; threadTs?: string }): Requester {
  const threadTs = input.threadTs ?? (ref.via === 'chat' ? ref.ts : undefined);
  return {
    kind: 'slack',
    channel: ref.channel,
    ...(ref.via === 'chat' ? { messageTs: ref.ts } : {}),
    ...(threadTs ? { threadTs } : {}),
    ...(ref.via === 'response_url' ? { responseUrl: ref.responseUrl } : {}),
    userId: input.userId,
    ...(input.teamId ? { teamId: input.teamId } : {}),
    ...(input.triageId ? { triageId: input.triageId } : {}),
  };
}

export type SubmitOutcome =
  | { status: 'queued' }
  /** The queue already holds this very request (same text, cluster and conversation within its window). */
  | { status: 'duplicate' }
  | { status: 'unavailable'; reason: string };

export async function submitChecks(services: SlackServices, input: SubmitInput): Promise<SubmitOutcome> {
  const now = services.now();
  const { diagnosis } = input;
  const plan = checkPlanFor(diagnosis, services.playbooks);
  if (plan === null) return { status: 'unavailable', reason: 'no playbook with cluster checks matched' };
  const job = checkJobFor(diagnosis, plan, {
    cluster: input.cluster,
    requester: requesterFor(input.ref, { triageId: input.triageId, userId: input.req.userId, teamId: input.req.teamId, threadTs: input.threadTs }),
    now,
    deadlineSeconds: services.config.CHECK_DEADLINE_SECONDS,
  });
  return submitJob(services, job, { triageId: input.triageId }, { submitted: 'checks submitted', failed: 'check dispatch failed' });
}

/** Hands one job (checks or a rollback plan) to the dispatcher; a throwing dispatcher is an unreachable queue. */
export async function submitJob(
  services: SlackServices, job: AgentJob, ids: Record<string, string>, say: { submitted: string; failed: string },
): Promise<SubmitOutcome> {
  try {
    const receipt = await services.dispatcher.submit(job);
    services.logger.info({ ...ids, jobId: receipt.jobId, status: receipt.status, cluster: job.cluster }, say.submitted);
    if (receipt.status === 'unavailable') return { status: 'unavailable', reason: receipt.reason ?? UNREACHABLE };
    return { status: receipt.status };
  } catch (err) {
    services.logger.warn({ ...ids, err: describeError(err) }, say.failed);
    return { status: 'unavailable', reason: UNREACHABLE };
  }
}

const UNREACHABLE = 'the check queue is unreachable';

/** What the stored record keeps of where the reply lives. */
export function slackMetaOf(ref: MessageRef): { channel: string; ts?: string } {
  return ref.via === 'chat' ? { channel: ref.channel, ts: ref.ts } : { channel: ref.channel };
}
