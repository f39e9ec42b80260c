// "Re-run checks": the same message goes back to "running" and a new check job is queued.
// Double clicks (or two replicas receiving them) within the window do nothing.
import type { AllMiddlewareArgs, BlockAction, ButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import { renderSlackMessage } from '../../../render/slack.js';
import { guarded } from '../../guard.js';
import { keys, TTL } from '../../keys.js';
import type { MessageRef } from '../../publisher.js';
import type { SlackServices } from '../../services.js';
import { playbookIds, submitChecks } from '../../triage-flow.js';

export function rerunChecks(services: SlackServices) {
  return async ({ ack, action, body, respond }: SlackActionMiddlewareArgs<BlockAction<ButtonAction>> & AllMiddlewareArgs): Promise<void> => {
    await ack();
    const tell = (text: string) => respond({ response_type: 'ephemeral', text, replace_original: false });
    await guarded(services.logger, 'rerun', async () => {
      const triageId = action.value ?? '';
      if (!(await services.kv.setIfAbsent(keys.rerun(triageId), body.user.id, TTL.rerunWindow))) return;
      const record = await services.triageStore.get(triageId);
      if (!record) {
        await tell('This triage has expired, so I cannot re-run its checks. Run /helm-triage again with the output.');
        return;
      }
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
      const render = (checks: Parameters<typeof renderSlackMessage>[1]['checks']) => renderSlackMessage(record.diagnosis, {
        triageId, publicBaseUrl: services.publicBaseUrl, checks, playbookIds: playbookIds(services),
      });
      // Show "running" before queueing: a fast result must not be overwritten by a late "running".
      await services.publisher.update(ref, render({ state: 'pending', cluster }));
      const unavailable = await submitChecks(services, { diagnosis: record.diagnosis, cluster, triageId, ref, req: { userId: body.user.id, teamId: body.team?.id } });
      if (unavailable) await services.publisher.update(ref, render({ state: 'unavailable', reason: unavailable }));
    }, tell);
  };
}
