// "Plan a rollback" on a diagnosis: plans `helm rollback` of the diagnosed release on the triage's
// cluster, answering in the diagnosis' thread (or privately when the diagnosis was private). Double
// clicks (or two replicas receiving them) within the window plan once.
import type { RollbackRequest } from '../../../model/rollback.js';
import type { Facts } from '../../../triage/types.js';
import { keys } from '../../keys.js';
import type { Placement } from '../../publisher.js';
import { runRollbackPlan } from '../../rollback-flow.js';
import type { SlackServices } from '../../services.js';
import { triageButton } from './triage-button.js';

/**
 * What to plan from a diagnosis: its release and namespace; the revision (and --force) only when the
 * failed command was itself a rollback (then the plan says why that failed); otherwise the planner
 * picks the last good revision. Pure.
 */
export function rollbackRequestFrom(facts: Facts): RollbackRequest | null {
  if (!facts.release) return null;
  return {
    release: facts.release,
    namespace: facts.namespace ?? 'default',
    ...(facts.verb === 'rollback' && facts.revision !== undefined ? { revision: facts.revision } : {}),
    ...(facts.verb === 'rollback' && facts.flags?.includes('--force') ? { force: true } : {}),
  };
}

export function planRollbackClick(services: SlackServices) {
  return triageButton(services, {
    name: 'rollback-plan',
    clickKey: keys.rollbackClick,
    expired: 'This triage has expired. Ask directly: /helm-triage rollback-plan RELEASE [REVISION] -n NAMESPACE',
  }, async ({ triageId, record, body, tell }) => {
    const request = rollbackRequestFrom(record.diagnosis.facts);
    if (!request) {
      await tell('This diagnosis names no release. Ask directly: /helm-triage rollback-plan RELEASE [REVISION] -n NAMESPACE');
      return;
    }
    const channel = body.channel?.id ?? record.slack?.channel ?? '';
    const message = body.message as { ts?: string; thread_ts?: string } | undefined;
    const root = message?.thread_ts ?? message?.ts ?? body.container.message_ts;
    // A channel reply goes into the diagnosis' thread; a private one stays private (its response_url).
    const placement: Placement = !body.container.is_ephemeral && typeof root === 'string' && channel
      ? { kind: 'channel', channel, threadTs: root }
      : { kind: 'ephemeral', channel, userId: body.user.id };
    const asked = await runRollbackPlan(services, {
      source: 'button',
      request,
      cluster: record.cluster ?? services.config.CLUSTER_NAME,
      channel,
      userId: body.user.id,
      ...(body.team?.id ? { teamId: body.team.id } : {}),
      placement,
      ...(body.response_url ? { responseUrl: body.response_url } : {}),
      triageId,
    });
    if (asked.state === 'not-allowed') await tell(`I can't plan rollbacks for you here: ${asked.reason}`);
  });
}
