// What every button on a diagnosis that acts again (re-run checks, plan a rollback) does first: ack,
// wait for the ack gate, let one click per window through (double clicks, or two replicas receiving
// them, do nothing), and find the stored triage, or say it has expired.
import type { AllMiddlewareArgs, BlockAction, ButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import type { TriageRecord } from '../../../store/triages.js';
import { guarded } from '../../guard.js';
import { TTL } from '../../keys.js';
import type { SlackServices } from '../../services.js';

type ButtonArgs = SlackActionMiddlewareArgs<BlockAction<ButtonAction>> & AllMiddlewareArgs;

export interface TriageClick {
  triageId: string;
  record: TriageRecord;
  body: ButtonArgs['body'];
  /** An ephemeral answer to whoever clicked. */
  tell: (text: string) => Promise<unknown>;
}

export function triageButton(
  services: SlackServices,
  button: { name: string; clickKey: (triageId: string) => string; expired: string },
  run: (click: TriageClick) => Promise<void>,
) {
  return async ({ ack, action, body, respond }: ButtonArgs): Promise<void> => {
    await ack();
    const tell = (text: string) => respond({ response_type: 'ephemeral', text, replace_original: false });
    await guarded(services.logger, button.name, async () => {
      await services.ackGate.idle();
      const triageId = action.value ?? '';
      if (!(await services.kv.setIfAbsent(button.clickKey(triageId), body.user.id, TTL.rerunWindow))) return;
      const record = await services.triageStore.get(triageId);
      if (!record) {
        await tell(button.expired);
        return;
      }
      await run({ triageId, record, body, tell });
    }, tell);
  };
}
