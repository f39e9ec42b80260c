// Submission of the paste modal: same flow as the command, answered where the command was typed
// (private_metadata), or in a DM when that is not possible.
import type { AllMiddlewareArgs, SlackViewMiddlewareArgs, ViewSubmitAction } from '@slack/bolt';
import { createHash } from 'node:crypto';
import { renderNotice } from '../../../render/slack.js';
import { parseCommandText } from '../../command-options.js';
import { guarded } from '../../guard.js';
import { keys, TTL } from '../../keys.js';
import { parseModalMetadata, TRIAGE_MODAL } from '../../modal.js';
import { underRateLimit } from '../../rate-limit.js';
import type { SlackServices } from '../../services.js';
import { runTriage } from '../../triage-flow.js';
import { overridesFrom, RATE_LIMITED_TEXT } from '../commands/helm-triage.js';

export function triageModalSubmission(services: SlackServices) {
  return async ({ ack, view, body }: SlackViewMiddlewareArgs<ViewSubmitAction> & AllMiddlewareArgs): Promise<void> => {
    const raw = view.state.values[TRIAGE_MODAL.blockId]?.[TRIAGE_MODAL.actionId]?.value ?? '';
    if (!raw.trim()) {
      await ack({ response_action: 'errors', errors: { [TRIAGE_MODAL.blockId]: 'Paste the failed Helm command or its output.' } });
      return;
    }
    await ack();
    const userId = body.user.id;
    const meta = parseModalMetadata(view.private_metadata);
    await guarded(services.logger, 'modal', async () => {
      await services.ackGate.idle();
      const viewKey = keys.view(view.id, createHash('sha256').update(view.hash ?? raw).digest('base64url').slice(0, 16));
      if (!(await services.kv.setIfAbsent(viewKey, '1', TTL.event))) return;
      const opts = parseCommandText(raw);
      if (!(await underRateLimit(services.kv, userId, services.config.RATE_LIMIT_PER_MINUTE, services.now()))) {
        await services.publisher.post({ kind: 'dm', userId }, renderNotice(RATE_LIMITED_TEXT(services.config.RATE_LIMIT_PER_MINUTE)));
        return;
      }
      const channel = meta.channel ?? userId;
      await runTriage(services, {
        source: 'modal',
        text: opts.text || raw,
        channel,
        userId,
        teamId: body.team?.id,
        placement: !meta.channel
          ? { kind: 'dm', userId }
          : meta.private || opts.private
            ? { kind: 'ephemeral', channel, userId }
            : { kind: 'channel', channel },
        responseUrl: meta.responseUrl,
        clusterOverride: opts.cluster,
        overrides: overridesFrom(opts),
      });
    });
  };
}
