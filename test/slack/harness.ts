// Starts the real Slack app on 127.0.0.1:0 against the local Slack API server. Only the check dispatcher
// may be a recording stand-in (an interface the queue area implements); everything else is real.
import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { Registry } from 'prom-client';
import { afterEach, beforeEach } from 'vitest';
import { loadConfig, type Config } from '../../src/config.js';
import { createLogger, type Logger } from '../../src/log.js';
import { loadPlaybooks, type PlaybookSet } from '../../src/playbooks/load.js';
import { isRollbackJob, type AgentJob, type CheckDispatcher, type CheckJob, type CheckResult, type RollbackJob, type SubmitReceipt } from '../../src/queue/types.js';
import { createSlackApp, type SlackApp } from '../../src/slack/app.js';
import type { KeyValueStore } from '../../src/store/kv.js';
import { MemoryKeyValueStore } from '../../src/store/memory-kv.js';
import { KeyValueTriageStore, type TriageStore } from '../../src/store/triages.js';
import { startSlackApiServer, type SlackApiServer } from '../support/slack-api-server.js';

export const SIGNING_SECRET = 'test-signing-secret-0123456789';
export const PUBLIC_BASE_URL = 'https://triage.example.test';
/** Our own fixture playbooks: Slack tests must not break when product playbooks are reworded. */
export const FIXTURE_PLAYBOOKS = fileURLToPath(new URL('./fixtures/playbooks', import.meta.url));

/** A paste the fixture playbook diagnoses with high confidence (immutable Deployment selector). */
export const SELECTOR_PASTE = [
  '$ helm upgrade web ./chart -n shop',
  'Error: UPGRADE FAILED: cannot patch "web" with kind Deployment: Deployment.apps "web" is invalid: spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string{"app":"web2"}}: field is immutable',
].join('\n');

/** Records submissions; the test decides when and what results come back. */
export class RecordingDispatcher implements CheckDispatcher {
  readonly jobs: Array<{ job: CheckJob; jobId: string }> = [];
  readonly rollbackJobs: Array<{ job: RollbackJob; jobId: string }> = [];
  status: SubmitReceipt['status'] = 'queued';
  private n = 0;

  async submit(job: AgentJob): Promise<SubmitReceipt> {
    this.n += 1;
    const jobId = `job-${this.n}`;
    if (this.status === 'unavailable') return { status: 'unavailable', jobId, reason: 'queue unreachable (test)' };
    if (isRollbackJob(job)) this.rollbackJobs.push({ job, jobId });
    else this.jobs.push({ job, jobId });
    return { status: this.status, jobId };
  }

  async close(): Promise<void> {}
}

export function okResult(jobId: string, cluster: string): CheckResult {
  return {
    v: 1, jobId, cluster, outcome: 'ok', completedAt: Date.now(), agent: 'test-agent',
    findings: [
      { check: 'release-history', status: 'confirmed', summary: 'revision 7 failed: selector changed from app=web to app=web2', evidence: ['rev 6 deployed', 'rev 7 failed'] },
      { check: 'other-check', status: 'refuted', summary: 'no webhook involved', evidence: [] },
      { check: 'third-check', status: 'inconclusive', summary: 'could not read events', evidence: [], missingPermission: 'list events' },
    ],
    verdict: { playbook: 'selector-change', status: 'confirmed', confidence: 0.97, summary: 'selector change confirmed on the live Deployment', rootCause: 'selector changed' },
  };
}

export interface Harness {
  slack: SlackApiServer;
  app: SlackApp;
  url: string;
  config: Config;
  kv: KeyValueStore;
  triages: TriageStore;
  dispatcher: CheckDispatcher;
  playbooks: PlaybookSet;
  metrics: Registry;
  logs: string[];
  logger: Logger;
  close(): Promise<void>;
}

export interface HarnessOptions {
  env?: Record<string, string>;
  kv?: KeyValueStore;
  dispatcher?: CheckDispatcher;
  /** Skip auth.test by passing the identity (as the lead may do). */
  knownIdentity?: boolean;
  /** Share one local Slack API between several app replicas. */
  slack?: SlackApiServer;
  /** The app's clock (rate-limit windows, timestamps); defaults to Date.now. */
  clock?: () => number;
}

export async function startHarness(options: HarnessOptions = {}): Promise<Harness> {
  const slack = options.slack ?? (await startSlackApiServer());
  const config = loadConfig({
    SLACK_BOT_TOKEN: slack.token,
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_API_URL: slack.apiUrl,
    PUBLIC_BASE_URL,
    CLUSTER_NAME: 'test-cluster',
    LOG_LEVEL: 'debug',
    ...options.env,
  });
  const logs: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, cb) {
      logs.push(chunk.toString('utf8'));
      cb();
    },
  });
  const logger = createLogger({ level: 'debug', name: 'slack-test' }, sink);
  const kv = options.kv ?? new MemoryKeyValueStore();
  const triages = new KeyValueTriageStore(kv, 60 * 60_000);
  const dispatcher = options.dispatcher ?? new RecordingDispatcher();
  const playbooks = loadPlaybooks(FIXTURE_PLAYBOOKS);
  const metrics = new Registry();
  const app = await createSlackApp({
    config, playbooks, dispatcher, kv, triageStore: triages, logger, metricsRegistry: metrics,
    ...(options.knownIdentity ? { botId: 'BBOT0001', botUserId: 'UBOT0001' } : {}),
    ...(options.clock ? { clock: options.clock } : {}),
    clientOptions: { retryConfig: { retries: 2, factor: 1, minTimeout: 10, maxTimeout: 50 }, timeout: 5000 },
  });
  const { port } = await app.start({ port: 0, host: '127.0.0.1' });
  return {
    slack, app, url: `http://127.0.0.1:${port}/slack/events`, config, kv, triages, dispatcher, playbooks, metrics, logs, logger,
    async close() {
      await app.stop();
      if (!options.slack) await slack.close();
    },
  };
}

/** The blocks and text of a recorded call, as one string, for "never contains" assertions. */
export function payloadText(params: Record<string, unknown>): string {
  return JSON.stringify({ text: params.text, blocks: params.blocks });
}

/** The harness and recording dispatcher of the running test, replaced before each one. */
export interface HarnessContext {
  h: Harness;
  dispatcher: RecordingDispatcher;
}

/** Registers beforeEach/afterEach that start a fresh harness (with a RecordingDispatcher) and close it. */
export function useHarness(): HarnessContext {
  const ctx = {} as HarnessContext;
  beforeEach(async () => {
    ctx.dispatcher = new RecordingDispatcher();
    ctx.h = await startHarness({ dispatcher: ctx.dispatcher });
  });
  afterEach(async () => ctx.h?.close());
  return ctx;
}
