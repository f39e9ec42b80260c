// `/helm-triage [--private] [--cluster X] [--namespace X] [--release X] <output>` | `rollback-plan RELEASE [REVISION] -n NS` | `help` | (empty → modal).
import type { AllMiddlewareArgs, SlackCommandMiddlewareArgs } from '@slack/bolt';
import { renderHelp } from '../../../render/slack.js';
import { clusterFor } from '../../channel-clusters.js';
import { parseCommandText, parseRollbackPlanCommand, type CommandOptions } from '../../command-options.js';
import { guarded } from '../../guard.js';
import { keys, TTL } from '../../keys.js';
import { triageModal } from '../../modal.js';
import type { Placement } from '../../publisher.js';
import { underRateLimit } from '../../rate-limit.js';
import type { SlackServices } from '../../services.js';
import { runRollbackPlan } from '../../rollback-flow.js';
import { runTriage } from '../../triage-flow.js';

export const RATE_LIMITED_TEXT = (perMinute: number) =>
  `You have asked for ${perMinute} triages in the last minute, which is my limit per person. Please wait a minute and try again.`;

export function overridesFrom(opts: CommandOptions): { namespace?: string; release?: string } {
  return { ...(opts.namespace ? { namespace: opts.namespace } : {}), ...(opts.release ? { release: opts.release } : {}) };
}

/** Where a command's answer goes: the channel, or only to the asker with --private. */
function placementFor(command: { channel_id: string; user_id: string }, only: boolean): Placement {
  return only ? { kind: 'ephemeral', channel: command.channel_id, userId: command.user_id } : { kind: 'channel', channel: command.channel_id };
}

export function helmTriageCommand(services: SlackServices) {
  return async ({ command, ack, respond, client }: SlackCommandMiddlewareArgs & AllMiddlewareArgs): Promise<void> => {
    // Ack first: Slack allows 3 s and everything below may wait on Slack, Redis or the queue.
    await ack();
    const tell = (text: string) => respond({ response_type: 'ephemeral', text, replace_original: false });
    /** Counts this request against the asker's limit; over it, says so. */
    const overRateLimit = async (): Promise<boolean> => {
      const perMinute = services.config.RATE_LIMIT_PER_MINUTE;
      if (await underRateLimit(services.kv, command.user_id, perMinute, services.now())) return false;
      await tell(RATE_LIMITED_TEXT(perMinute));
      return true;
    };
    await guarded(services.logger, 'command', async () => {
      await services.ackGate.idle();
      // Slack may deliver the same command twice (and to two replicas): one trigger_id, one answer.
      if (!(await services.kv.setIfAbsent(keys.command(command.trigger_id), '1', TTL.event))) return;
      const opts = parseCommandText(command.text);
      if (opts.help) {
        await respond({ response_type: 'ephemeral', ...renderHelp(command.command) });
        return;
      }
      const rollback = parseRollbackPlanCommand(command.text);
      if (rollback.kind === 'usage') {
        await tell(rollback.message);
        return;
      }
      if (rollback.kind === 'ok') {
        if (await overRateLimit()) return;
        const o = rollback.options;
        const asked = await runRollbackPlan(services, {
          source: 'command',
          request: { release: o.release, namespace: o.namespace, ...(o.revision !== undefined ? { revision: o.revision } : {}), ...(o.force ? { force: true } : {}) },
          cluster: clusterFor(command.channel_id, services.channelClusters, services.config.CLUSTER_NAME, o.cluster),
          channel: command.channel_id,
          userId: command.user_id,
          teamId: command.team_id,
          placement: placementFor(command, o.private),
          responseUrl: command.response_url,
        });
        if (asked.state === 'not-allowed') await tell(`I can't plan rollbacks for you here: ${asked.reason}`);
        return;
      }
      if (!opts.text) {
        await client.views.open({
          trigger_id: command.trigger_id,
          view: triageModal({ channel: command.channel_id, responseUrl: command.response_url, private: opts.private }),
        });
        return;
      }
      if (await overRateLimit()) return;
      await runTriage(services, {
        source: 'command',
        text: opts.text,
        channel: command.channel_id,
        userId: command.user_id,
        teamId: command.team_id,
        placement: placementFor(command, opts.private),
        responseUrl: command.response_url,
        clusterOverride: opts.cluster,
        overrides: overridesFrom(opts),
      });
    }, tell);
  };
}
