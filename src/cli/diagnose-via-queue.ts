// `diagnose --check --via-queue --cluster NAME`, wiring only: the flags, then the request client
// (src/queue/request-client.ts) sends the checks to that cluster's agent and waits for its answer, and
// src/render/checks-text.ts prints it. BullMQ and ioredis load only when a request runs.
import { UsageError } from '../errors.js';
import type { CheckResult } from '../model/checks.js';
import type { PlaybookSet } from '../playbooks/load.js';
import { checkJobFor } from '../queue/check-job.js';
// names.ts imports nothing (no BullMQ): safe to load eagerly.
import { DEFAULT_PREFIX } from '../queue/names.js';
import { requestChecks, type RequestOptions } from '../queue/request-client.js';
import { queueSource, renderChecksText, renderQueueResultText } from '../render/checks-text.js';
import type { CheckPlan } from '../triage/candidates.js';
import type { Diagnosis, Facts } from '../triage/types.js';
import { adoptVerdict, decideVerdict } from '../triage/verdict.js';
import type { CliContext } from './context.js';
import type { DiagnoseEnrichment } from './diagnose.js';
import { adoptedFields, adoptedText } from './adopted.js';
import { wantsColor } from './io.js';

export interface ViaQueueOptions extends RequestOptions {
  overrides: Partial<Facts>;
}

const CLUSTER_NAME = /^[a-z0-9][a-z0-9._-]{0,62}$/;

/** The --via-queue flags, checked before anything connects. Throws UsageError saying what to set. */
export function viaQueueOptions(raw: Record<string, unknown>, env: NodeJS.ProcessEnv, rest: Pick<ViaQueueOptions, 'deadlineSeconds' | 'overrides'>): ViaQueueOptions {
  if (raw['context'] !== undefined || raw['kubeconfig'] !== undefined || raw['checkTimeout'] !== undefined) {
    throw new UsageError('--context, --kubeconfig and --check-timeout do not apply with --via-queue: the agent of --cluster uses its own cluster access');
  }
  const cluster = raw['cluster'];
  if (typeof cluster !== 'string') throw new UsageError('--via-queue needs --cluster NAME: the cluster whose agent should run the checks (its CLUSTER_NAME)');
  if (!CLUSTER_NAME.test(cluster)) throw new UsageError(`--cluster "${cluster}" is not a valid cluster name: use lowercase letters, digits, . _ - (like CLUSTER_NAME)`);
  const redisUrl = env['REDIS_URL'];
  if (redisUrl === undefined || redisUrl === '') {
    throw new UsageError('--via-queue needs REDIS_URL (redis://host:port): set it to the Redis the bot and the agents use');
  }
  if (!/^rediss?:\/\//.test(redisUrl)) throw new UsageError(`REDIS_URL must be redis://host:port or rediss://…, got "${redisUrl}"`);
  const prefix = raw['queuePrefix'];
  if (prefix !== undefined && (typeof prefix !== 'string' || prefix === '')) throw new UsageError('--queue-prefix needs a non-empty prefix');
  const envPrefix = env['QUEUE_PREFIX'];
  return { redisUrl, cluster, prefix: typeof prefix === 'string' ? prefix : envPrefix || DEFAULT_PREFIX, ...rest };
}

/** Sends the plan's checks to the agent of `--cluster` and waits: an unreachable queue is an `unavailable` result. */
export function checkViaQueue(diagnosis: Diagnosis, plan: CheckPlan, options: ViaQueueOptions, now: () => number = Date.now): Promise<CheckResult> {
  const { cluster, deadlineSeconds, overrides } = options;
  return requestChecks(options, (requester, at) => checkJobFor(diagnosis, plan, { cluster, requester, now: at, deadlineSeconds, overrides }), now);
}

/** What diagnose prints and adds to --json for a queued run's result. */
export function viaQueueEnrichment(diagnosis: Diagnosis, result: CheckResult, ctx: CliContext, playbooks: PlaybookSet): DiagnoseEnrichment {
  // No answer (no agent, queue unreachable, a failed job) leaves the text diagnosis standing, said as such.
  const verdict = result.verdict ?? decideVerdict(diagnosis, [], playbooks);
  const { kind: _kind, ...checks } = queueSource(result);
  void _kind;
  const color = wantsColor(ctx.io);
  const adopted = adoptVerdict(diagnosis, verdict, playbooks);
  return {
    fields: { ...adoptedFields(diagnosis, adopted), findings: result.findings, verdict, source: { kind: 'queue', cluster: result.cluster }, checks },
    text: adoptedText(diagnosis, adopted, color) + renderQueueResultText(verdict, result, { color }),
  };
}

/** Nothing to send when the text matched no playbook (or one without checks): said as the in-process --check says it. */
export function nothingToCheck(diagnosis: Diagnosis, ctx: CliContext, playbooks: PlaybookSet): DiagnoseEnrichment {
  const verdict = decideVerdict(diagnosis, [], playbooks);
  return {
    fields: { findings: [], verdict, source: { kind: 'text' } },
    text: renderChecksText(verdict, [], { kind: 'text' }, { color: wantsColor(ctx.io) }),
  };
}
