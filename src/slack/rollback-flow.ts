// One rollback plan asked from Slack (the `rollback-plan` command or a diagnosis' "Plan a rollback"
// button): keep a pending record behind the permalink, reply at once, then hand the planning to the
// cluster's agent. The bot holds no cluster credentials: the plan comes back through the queue and
// the reporter (src/slack/reporter.ts) updates the same reply with it.
import type { RollbackRequest } from '../model/rollback.js';
import type { RollbackJob } from '../queue/types.js';
import { renderRollbackFailure, renderRollbackPending, type RollbackRenderContext } from '../render/rollback-slack.js';
import { renderNotice } from '../render/slack.js';
import type { MessageRef, Placement } from './publisher.js';
import type { SlackServices } from './services.js';
import { beforePosting, describeError } from './slack-errors.js';
import { requesterFor, slackMetaOf, submitJob } from './triage-flow.js';

export interface RollbackPlanAsk {
  source: 'command' | 'button';
  request: RollbackRequest;
  cluster: string;
  channel: string;
  userId: string;
  teamId?: string;
  placement: Placement;
  responseUrl?: string;
  /** The diagnosis whose button asked. */
  triageId?: string;
}

export type RollbackPlanOutcome =
  | { state: 'not-allowed'; reason: string }
  | { state: 'queued' | 'duplicate' | 'unavailable'; planId: string; ref: MessageRef };

export async function runRollbackPlan(services: SlackServices, ask: RollbackPlanAsk): Promise<RollbackPlanOutcome> {
  const { logger, config } = services;
  // Planning reads the cluster like the checks do: the same channels and user groups may ask.
  const access = await beforePosting(services.access.decide(ask.channel, ask.userId));
  if (!access.allowed) return { state: 'not-allowed', reason: access.reason };

  const record = await beforePosting(services.rollbackPlans.create({
    request: ask.request, cluster: ask.cluster, ...(ask.triageId ? { triageId: ask.triageId } : {}),
  }));
  const ctx: RollbackRenderContext = { cluster: ask.cluster, planId: record.id, publicBaseUrl: services.publicBaseUrl };
  const posted = await services.publisher.post(ask.placement, renderRollbackPending(ask.request, ctx), { responseUrl: ask.responseUrl, userId: ask.userId });
  const ref = posted.ref;
  logger.info({ planId: record.id, source: ask.source, cluster: ask.cluster, via: ref.via, fellBack: posted.fellBack }, 'slack rollback plan asked');
  await services.rollbackPlans.update(record.id, { slack: slackMetaOf(ref) });

  const now = services.now();
  const job: RollbackJob = {
    v: 1,
    kind: 'rollback-plan',
    request: ask.request,
    planId: record.id,
    cluster: ask.cluster,
    requester: requesterFor(ref, {
      userId: ask.userId, ...(ask.teamId ? { teamId: ask.teamId } : {}),
      ...(ask.placement.kind === 'channel' && ask.placement.threadTs ? { threadTs: ask.placement.threadTs } : {}),
    }),
    deadline: now + config.CHECK_DEADLINE_SECONDS * 1000,
    createdAt: now,
  };
  const submitted = await submitJob(services, job, { planId: record.id }, { submitted: 'rollback plan submitted', failed: 'rollback plan dispatch failed' });
  const state = submitted.status;
  if (submitted.status === 'unavailable') {
    const { reason } = submitted;
    await services.rollbackPlans.update(record.id, { answer: { outcome: 'unavailable', message: reason, completedAt: services.now() } });
    await services.publisher.update(ref, renderRollbackFailure(ask.request, 'unavailable', reason, ctx))
      .catch((err: unknown) => logger.warn({ planId: record.id, err: describeError(err) }, 'could not mark the rollback plan unavailable'));
  } else if (state === 'duplicate') {
    await services.publisher.update(ref, renderNotice(`The same rollback plan for ${ask.request.release} was asked for here a moment ago; see that answer.`))
      .catch((err: unknown) => logger.warn({ planId: record.id, err: describeError(err) }, 'could not mark the rollback plan a duplicate'));
  }
  return { state, planId: record.id, ref };
}
