// "Re-run checks": the same message goes back to "running" and a new check job is queued.
// Double clicks (or two replicas receiving them) within the window do nothing.
import { renderSlackMessage, type ChecksState } from '../../../render/slack.js';
import type { TriageRecord } from '../../../store/triages.js';
import { keys } from '../../keys.js';
import type { MessageRef } from '../../publisher.js';
import type { SlackServices } from '../../services.js';
import { playbookIds, submitChecks } from '../../triage-flow.js';
import { triageButton } from './triage-button.js';

/** What the message showed before the click, from the stored triage. */
function previousChecks(record: TriageRecord, cluster: string): ChecksState {
  if (record.checks?.outcome === 'unavailable') return { state: 'unavailable', reason: record.checks.message ?? 'the check queue is unreachable' };
  if (!record.checks) return { state: 'pending', cluster };
  return {
    state: 'done',
    result: {
      v: 1, jobId: '', cluster, outcome: record.checks.outcome, findings: record.findings ?? [], verdict: record.verdict ?? null,
      completedAt: record.checks.completedAt, ...(record.checks.message ? { message: record.checks.message } : {}),
    },
  };
}

export function rerunChecks(services: SlackServices) {
  return triageButton(services, {
    name: 'rerun',
    clickKey: keys.rerun,
    expired: 'This triage has expired, so I cannot re-run its checks. Run /helm-triage again with the output.',
  }, async ({ triageId, record, body, tell }) => {
    const channel = body.channel?.id ?? record.slack?.channel ?? '';
    const ts = body.message?.ts ?? body.container.message_ts;
    const ref: MessageRef | null = typeof ts === 'string' && !body.container.is_ephemeral
      ? { via: 'chat', channel, ts }
      : body.response_url ? { via: 'response_url', channel, responseUrl: body.response_url } : null;
    if (!ref) return;
    const access = await services.access.decide(channel, body.user.id);
    if (!access.allowed) {
      await tell(`I can't run cluster checks for you here: ${access.reason}`);
      return;
    }
    const cluster = record.cluster ?? services.config.CLUSTER_NAME;
    const render = (checks: ChecksState) => renderSlackMessage(record.diagnosis, {
      triageId, publicBaseUrl: services.publicBaseUrl, checks, playbookIds: playbookIds(services.playbooks),
    });
    // Show "running" before queueing: a fast result must not be overwritten by a late "running".
    await services.publisher.update(ref, render({ state: 'pending', cluster }));
    const submitted = await submitChecks(services, { diagnosis: record.diagnosis, cluster, triageId, ref, req: { userId: body.user.id, teamId: body.team?.id } });
    if (submitted.status === 'unavailable') {
      await services.publisher.update(ref, render({ state: 'unavailable', reason: submitted.reason }));
    } else if (submitted.status === 'duplicate') {
      // The queue still holds this request's last run: put its answer back and say when to retry.
      await services.publisher.update(ref, render(previousChecks(record, cluster)));
      await tell('These checks ran less than a minute ago, so I kept their result. Try Re-run again in a minute.');
    }
  });
}
