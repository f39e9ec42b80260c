import type { webApi } from '@slack/bolt';
import type { Registry } from 'prom-client';
import type { Config } from '../config.js';
import type { Logger } from '../log.js';
import type { PlaybookSet } from '../playbooks/load.js';
import type { CheckDispatcher, ResultReporter } from '../queue/types.js';
import type { KeyValueStore } from '../store/kv.js';
import type { RollbackPlanStore } from '../store/rollback-plans.js';
import type { TriageStore } from '../store/triages.js';
import type { FetchLike } from './response-url.js';

/** Everything the Slack app needs, injected (the lead composes these in `serve`). */
export interface SlackAppDeps {
  config: Config;
  playbooks: PlaybookSet;
  /** A dispatcher, or a factory given this app's reporter (the in-process dispatcher needs it up front). */
  dispatcher: CheckDispatcher | ((reporter: ResultReporter) => CheckDispatcher);
  kv: KeyValueStore;
  triageStore: TriageStore;
  /** Where rollback plans are kept for their permalinks; defaults to one over `kv` with the triage TTL. */
  rollbackPlans?: RollbackPlanStore;
  logger: Logger;
  clock?: () => number;
  /** Base of runbook and permalink URLs; defaults to config.PUBLIC_BASE_URL. */
  publicBaseUrl?: string;
  /** Known bot identity: skips auth.test at start-up. */
  botId?: string;
  botUserId?: string;
  /** Web API client tuning (tests: retryConfig, timeout). slackApiUrl comes from SLACK_API_URL. */
  clientOptions?: Omit<webApi.WebClientOptions, 'slackApiUrl' | 'logger'>;
  /** Where the feedback counter lives; defaults to the process registry /metrics serves. */
  metricsRegistry?: Registry;
  fetch?: FetchLike;
  /** Largest file snippet downloaded for diagnosis. */
  maxSnippetBytes?: number;
}
