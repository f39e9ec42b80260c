// "Helpful" / "Wrong diagnosis": counted once per user and triage (prom-client counter + a log line).
import type { AllMiddlewareArgs, BlockAction, ButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import type { FeedbackKind } from '../../feedback-metrics.js';
import { guarded } from '../../guard.js';
import { keys, TTL } from '../../keys.js';
import type { SlackServices } from '../../services.js';

export function feedbackClick(services: SlackServices, kind: FeedbackKind) {
  return async ({ ack, action, body, respond }: SlackActionMiddlewareArgs<BlockAction<ButtonAction>> & AllMiddlewareArgs): Promise<void> => {
    await ack();
    await guarded(services.logger, 'feedback', async () => {
      const triageId = action.value ?? '';
      if (!(await services.kv.setIfAbsent(keys.feedback(triageId, body.user.id), kind, TTL.feedback))) return;
      const record = await services.triageStore.get(triageId);
      const playbook = record?.diagnosis.playbook ?? 'unknown';
      services.feedback.record(kind, playbook);
      services.logger.info({ triageId, userId: body.user.id, kind, playbook }, 'slack feedback');
      const thanks = kind === 'helpful'
        ? 'Thanks, glad it helped.'
        : 'Thanks for telling me. The helm-triage maintainers review wrong diagnoses to improve the playbooks.';
      await respond({ response_type: 'ephemeral', text: thanks, replace_original: false });
    });
  };
}
