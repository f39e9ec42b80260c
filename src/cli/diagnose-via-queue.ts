// `diagnose --check --via-queue --cluster NAME`: the checks go through Redis to that cluster's agent,
// and the CLI waits for its answer (or the deadline) instead of talking to the cluster itself.
// BullMQ and ioredis are imported only here, and only when --via-queue runs.
import { randomUUID } from 'node:crypto';
import { UsageError } from '../errors.js';
import type { PlaybookSet } from '../playbooks/load.js';
// names.ts imports nothing (no BullMQ): safe to load eagerly.
import { DEFAULT_PREFIX } from '../queue/names.js';
import { buildCheckJob } from '../queue/check-job.js';
import type { CheckJob, CheckResult, ReportedJob } from '../queue/types.js';
import type { CheckPlan } from '../triage/candidates.js';
import type { Diagnosis, Facts } from '../triage/types.js';
import { adoptVerdict, decideVerdict } from '../triage/verdict.js';
import { MemoryKeyValueStore } from '../store/memory-kv.js';
import { renderChecksText, type QueueSource } from './check-text.js';
import type { CliContext } from './context.js';
import type { DiagnoseEnrichment } from './diagnose.js';
import { adoptedFields, adoptedText } from './adopted.js';
import { wantsColor } from './io.js';

export interface ViaQueueOptions {
  redisUrl: string;
  cluster: string;
  prefix: string;
  deadlineSeconds: number;
  overrides: Partial<Facts>;
}

/** Waiting for the consumer to connect longer than this means Redis is unreachable (bounded by the deadline too). */
export const CONNECT_TIMEOUT_MS = 3000;
/** The agent answers before the deadline; this covers the last hop of an answer sent just in time. */
const ANSWER_GRACE_MS = 500;

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

/** Pure: the check job for a diagnosis, as the bot builds it (one builder: src/queue/check-job.ts). */
export function checkJobFor(diagnosis: Diagnosis, plan: CheckPlan, options: Pick<ViaQueueOptions, 'cluster' | 'deadlineSeconds' | 'overrides'>, correlationId: string, now: number): CheckJob {
  return buildCheckJob(diagnosis, plan, { cluster: options.cluster, requester: { kind: 'cli', correlationId }, now, deadlineSeconds: options.deadlineSeconds, overrides: options.overrides });
}

/** One short-lived connection: is Redis there at all? Answers "unavailable" at once instead of starting BullMQ against nothing. */
async function reachable(redisUrl: string, timeoutMs: number): Promise<boolean> {
  const { Redis } = await import('ioredis');
  const probe = new Redis(redisUrl, { lazyConnect: true, connectTimeout: timeoutMs, commandTimeout: timeoutMs, maxRetriesPerRequest: 0, enableOfflineQueue: false, retryStrategy: () => null });
  probe.on('error', () => undefined);
  try {
    await probe.connect();
    return (await probe.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    probe.disconnect();
  }
}

function delay<T>(ms: number, value: T): { promise: Promise<T>; cancel: () => void } {
  let timer: NodeJS.Timeout | undefined;
  const promise = new Promise<T>((resolve) => { timer = setTimeout(() => resolve(value), ms); });
  return { promise, cancel: () => clearTimeout(timer) };
}

/**
 * Submits the checks and waits for the first answer to this very request, or the deadline. Never
 * throws for Redis trouble: an unreachable queue is an `unavailable` result.
 */
export async function checkViaQueue(diagnosis: Diagnosis, plan: CheckPlan, options: ViaQueueOptions, now: () => number = Date.now): Promise<CheckResult> {
  const [{ BullMqDispatcher, UNAVAILABLE_REASON }, { startResultConsumer }, { noAgentResult }] = await Promise.all([
    import('../queue/dispatcher.js'),
    import('../queue/result-consumer.js'),
    import('../queue/process-job.js'),
  ]);
  const correlationId = randomUUID();
  const unavailable = (jobId: string, message: string = UNAVAILABLE_REASON): CheckResult =>
    ({ v: 1, jobId, cluster: options.cluster, outcome: 'unavailable', findings: [], verdict: null, message, completedAt: now() });
  const connectMs = Math.min(CONNECT_TIMEOUT_MS, options.deadlineSeconds * 1000);
  if (!(await reachable(options.redisUrl, connectMs))) return unavailable('none');
  let answer!: (result: CheckResult) => void;
  const answered = new Promise<CheckResult>((resolve) => { answer = resolve; });
  const ours = (job: ReportedJob): boolean => job.requester.kind === 'cli' && job.requester.correlationId === correlationId;
  // The CLI waits on its own timer: no watchdog jobs queued, none run here.
  const dispatcher = new BullMqDispatcher({ redisUrl: options.redisUrl, prefix: options.prefix, watchdog: false });
  const consumer = startResultConsumer({
    redisUrl: options.redisUrl,
    prefix: options.prefix,
    reporter: { report: async (_job, result) => { answer(result); } },
    kv: new MemoryKeyValueStore(now),
    clusters: [options.cluster],
    accepts: ours,
    watchdogs: false,
  });
  const timers: Array<() => void> = [];
  try {
    // Follow the answers before asking, so an answer cannot slip by between submit and follow.
    const connect = delay(connectMs, false);
    timers.push(connect.cancel);
    const connected = await Promise.race([consumer.ready().then(() => true, () => false), connect.promise]);
    if (!connected) return unavailable('none');
    const job = checkJobFor(diagnosis, plan, options, correlationId, now());
    const receipt = await dispatcher.submit(job);
    if (receipt.status === 'unavailable') return unavailable(receipt.jobId, receipt.reason);
    const deadline = delay(Math.max(0, job.deadline - now()) + ANSWER_GRACE_MS, null);
    timers.push(deadline.cancel);
    const result = await Promise.race([answered, deadline.promise]);
    if (result) return result;
    // Nobody took it and nobody should now: don't leave it waiting for an agent (a typo'd cluster, say).
    // A job an agent holds is locked, and removing it is refused: that one finishes and expires on its own.
    await dispatcher.queueFor(options.cluster).remove(receipt.jobId).catch(() => undefined);
    return noAgentResult(receipt.jobId, job, now());
  } finally {
    for (const cancel of timers) cancel();
    // Both close within seconds even when Redis went away meanwhile (see their close()).
    await Promise.all([consumer.close(), dispatcher.close()]);
  }
}

/** What diagnose prints and adds to --json for a queued run's result. */
export function viaQueueEnrichment(diagnosis: Diagnosis, result: CheckResult, ctx: CliContext, playbooks: PlaybookSet): DiagnoseEnrichment {
  // No answer (no agent, queue unreachable, a failed job) leaves the text diagnosis standing, said as such.
  const verdict = result.verdict ?? decideVerdict(diagnosis, [], playbooks);
  const source: QueueSource = {
    kind: 'queue',
    cluster: result.cluster,
    outcome: result.outcome,
    ...(result.agent !== undefined ? { agent: result.agent } : {}),
    ...(result.message !== undefined ? { message: result.message } : {}),
  };
  const { kind: _kind, ...checks } = source;
  void _kind;
  const color = wantsColor(ctx.io);
  const adopted = adoptVerdict(diagnosis, verdict, playbooks);
  return {
    fields: { ...adoptedFields(diagnosis, adopted), findings: result.findings, verdict, source: { kind: 'queue', cluster: result.cluster }, checks },
    text: adoptedText(diagnosis, adopted, color) + renderChecksText(verdict, result.findings, source, { color }),
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
