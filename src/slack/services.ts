// The handlers' shared toolbox, built once per app. Handlers receive this instead of reaching for globals.
import type { webApi } from '@slack/bolt';
import type { Config } from '../config.js';
import type { Logger } from '../log.js';
import type { PlaybookSet } from '../playbooks/load.js';
import type { CheckDispatcher } from '../queue/types.js';
import type { KeyValueStore } from '../store/kv.js';
import type { RollbackPlanStore } from '../store/rollback-plans.js';
import type { TriageStore } from '../store/triages.js';
import type { AckGate } from './ack-gate.js';
import type { ChannelClusters } from './channel-clusters.js';
import type { CheckAccess } from './check-access.js';
import type { FeedbackMetrics } from './feedback-metrics.js';
import type { SlackPublisher } from './publisher.js';
import type { FetchLike } from './response-url.js';

export interface SlackServices {
  config: Config;
  playbooks: PlaybookSet;
  dispatcher: CheckDispatcher;
  kv: KeyValueStore;
  triageStore: TriageStore;
  rollbackPlans: RollbackPlanStore;
  logger: Logger;
  now: () => number;
  publicBaseUrl?: string;
  client: webApi.WebClient;
  botToken: string;
  botUserId?: string;
  publisher: SlackPublisher;
  access: CheckAccess;
  channelClusters: ChannelClusters;
  feedback: FeedbackMetrics;
  fetch: FetchLike;
  maxSnippetBytes: number;
  /** Post-ack work awaits `ackGate.idle()` so it never delays another request's ack. */
  ackGate: AckGate;
  /** Hosts the bot token may be sent to when downloading files. */
  fileHosts: readonly string[];
}
