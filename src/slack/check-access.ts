// Who may trigger cluster checks: CHECK_CHANNELS and CHECK_USERGROUPS (both must pass when both are set).
// Everyone else still gets the text diagnosis. User-group members are cached in the store for a few minutes.
import type { webApi } from '@slack/bolt';
import type { Logger } from '../log.js';
import type { KeyValueStore } from '../store/kv.js';
import { keys, TTL } from './keys.js';
import { describeError } from './slack-errors.js';

export type AccessDecision = { allowed: true } | { allowed: false; reason: string };

export interface CheckAccessOptions {
  channels?: readonly string[];
  usergroups?: readonly string[];
  client: webApi.WebClient;
  kv: KeyValueStore;
  logger: Logger;
}

export class CheckAccess {
  constructor(private readonly opts: CheckAccessOptions) {}

  async decide(channel: string, userId: string): Promise<AccessDecision> {
    const { channels, usergroups } = this.opts;
    if (channels && channels.length > 0 && !channels.includes(channel)) {
      return { allowed: false, reason: 'cluster checks run only in the channels listed in CHECK_CHANNELS. Ask in one of those channels, or ask an admin to add this one.' };
    }
    if (usergroups && usergroups.length > 0) {
      for (const group of usergroups) {
        const members = await this.members(group);
        if (members === null) return { allowed: false, reason: 'could not confirm your user-group membership with Slack right now; try again in a minute.' };
        if (members.includes(userId)) return { allowed: true };
      }
      return { allowed: false, reason: 'cluster checks are limited to the user groups in CHECK_USERGROUPS. Ask an admin to add you to one of them.' };
    }
    return { allowed: true };
  }

  private async members(group: string): Promise<string[] | null> {
    const cached = await this.opts.kv.get(keys.usergroup(group));
    if (cached !== null) return cached.split(',').filter(Boolean);
    try {
      const res = await this.opts.client.usergroups.users.list({ usergroup: group });
      const users = res.users ?? [];
      await this.opts.kv.set(keys.usergroup(group), users.join(','), TTL.usergroupCache);
      return users;
    } catch (err) {
      this.opts.logger.warn({ group, err: describeError(err) }, 'usergroups.users.list failed; denying cluster checks (fail closed)');
      return null;
    }
  }
}
