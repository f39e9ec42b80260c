import { z } from 'zod';
import { CHECK_OUTCOMES, type CheckResult } from '../model/checks.js';
import { PREDICTION_KINDS, type RollbackPlan, type RollbackRequest } from '../model/rollback.js';
import type { Facts, RenderedCommand } from '../triage/types.js';

// The result's shape lives in src/model/checks.ts (render, store and slack read it too); re-exported here.
export { CHECK_OUTCOMES, type CheckOutcome, type CheckResult } from '../model/checks.js';

// Versioned wire schemas: agents and bots of different versions may share a Redis during a rollout.
// Everything read from Redis is parsed with these before use.

export const requesterSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('slack'),
    teamId: z.string().optional(),
    channel: z.string(),
    /** ts of the bot's reply that the result updates. */
    messageTs: z.string().optional(),
    threadTs: z.string().optional(),
    userId: z.string().optional(),
    responseUrl: z.string().optional(),
    triageId: z.string().optional(),
  }),
  z.object({ kind: z.literal('cli'), correlationId: z.string() }),
  z.object({ kind: z.literal('api'), correlationId: z.string(), triageId: z.string().optional() }),
]);
export type Requester = z.infer<typeof requesterSchema>;

const resourceRefSchema = z.object({
  kind: z.string(),
  name: z.string(),
  namespace: z.string().optional(),
  apiVersion: z.string().optional(),
});

/** Mirrors `Facts` (src/triage/types.ts); the assertion below keeps the two in step. */
export const factsSchema = z.object({
  verb: z.enum(['install', 'upgrade', 'rollback', 'uninstall', 'template', 'lint', 'test', 'status', 'history', 'get', 'pull', 'dependency']).optional(),
  release: z.string().optional(),
  namespace: z.string().optional(),
  chart: z.string().optional(),
  revision: z.number().int().optional(),
  resource: resourceRefSchema.optional(),
  resources: z.array(resourceRefSchema).optional(),
  field: z.string().optional(),
  webhook: z.string().optional(),
  webhookService: z.string().optional(),
  apiVersion: z.string().optional(),
  kind: z.string().optional(),
  kubeVersion: z.string().optional(),
  flags: z.array(z.string()).optional(),
  setValues: z.record(z.string(), z.string()).optional(),
  image: z.string().optional(),
});
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
/** Same, and the same keys: an optional field added on one side only (which Same lets through) fails too. */
type Exactly<A, B> = Same<A, B> extends true ? Same<keyof A, keyof B> : false;
const factsInStep: Same<z.infer<typeof factsSchema>, Facts> = true;
void factsInStep;

/** The ranked match summary the verdict may weigh (a slim copy of triage `Match`). */
export const matchSchema = z.object({
  playbook: z.string(),
  title: z.string(),
  score: z.number(),
  evidence: z.array(z.object({ line: z.number(), text: z.string(), signal: z.string(), weight: z.number() })),
  noise: z.boolean().optional(),
});

/** One playbook whose checks the job carries (src/triage/candidates.ts). */
export const candidateSchema = z.object({
  playbook: z.string(),
  score: z.number(),
  checks: z.array(z.string()),
  primary: z.boolean().optional(),
});

export const checkJobSchema = z.object({
  v: z.literal(1),
  /** Redacted, normalized text: never the raw paste. */
  text: z.string(),
  facts: factsSchema,
  /** The text diagnosis' playbook; '' when the text abstained (the candidates' checks still run). */
  playbook: z.string(),
  /** Every check to run: the union of the candidates' checks. */
  checks: z.array(z.string()),
  cluster: z.string(),
  requester: requesterSchema,
  /** Epoch ms after which the answer is useless. */
  deadline: z.number().int(),
  createdAt: z.number().int(),
  /** Text-diagnosis confidence and root cause, so the agent's verdict starts from the same place. */
  confidence: z.number().min(0).max(1).optional(),
  rootCause: z.string().nullable().optional(),
  matches: z.array(matchSchema).optional(),
  /** The playbooks whose checks `checks` holds; the agent's verdict judges across them. */
  candidates: z.array(candidateSchema).optional(),
});
export type CheckJob = z.infer<typeof checkJobSchema>;

/** Mirrors `RollbackRequest` (src/model/rollback.ts). */
export const rollbackRequestSchema = z.object({
  release: z.string(),
  namespace: z.string(),
  revision: z.number().int().min(1).optional(),
  context: z.string().optional(),
  force: z.boolean().optional(),
});
const requestInStep: Exactly<z.infer<typeof rollbackRequestSchema>, RollbackRequest> = true;
void requestInStep;

/**
 * A second job kind on the same per-cluster queue (BullMQ job name `rollback-plan`): plan
 * `helm rollback` read-only and answer with the plan. It carries `kind`, and none of a check job's
 * text, facts, playbook or checks, so an agent that predates it fails it at once as an invalid check
 * job ("upgrade the agent"), and the deadline watchdog tells the requester so.
 */
export const rollbackJobSchema = z.object({
  v: z.literal(1),
  kind: z.literal('rollback-plan'),
  request: rollbackRequestSchema,
  /** Permalink id of the stored plan record the bot created (src/store/rollback-plans.ts). */
  planId: z.string(),
  cluster: z.string(),
  requester: requesterSchema,
  deadline: z.number().int(),
  createdAt: z.number().int(),
});
export type RollbackJob = z.infer<typeof rollbackJobSchema>;

/** Every job an agent takes from its cluster's queue. */
export const agentJobSchema = z.union([checkJobSchema, rollbackJobSchema]);
export type AgentJob = CheckJob | RollbackJob;

export function isRollbackJob(job: AgentJob | ReportedJob): job is RollbackJob {
  return 'kind' in job && job.kind === 'rollback-plan';
}

/** What a log line says of a job: a rollback plan's kind, or how many checks. */
export function jobLogFields(job: AgentJob): { kind: RollbackJob['kind'] } | { checks: number } {
  return isRollbackJob(job) ? { kind: job.kind } : { checks: job.checks.length };
}

const renderedCommandSchema = z.object({
  command: z.string(),
  description: z.string().optional(),
  effect: z.enum(['read-only', 'changes-cluster']),
  risk: z.string().optional(),
  missing: z.array(z.string()).optional(),
});
const commandInStep: Same<z.infer<typeof renderedCommandSchema>, RenderedCommand> = true;
void commandInStep;

const findingSchema = z.object({
  check: z.string(),
  status: z.enum(['confirmed', 'refuted', 'inconclusive', 'error']),
  summary: z.string(),
  evidence: z.array(z.string()),
  missingPermission: z.string().optional(),
  learned: z.record(z.string(), z.string()).optional(),
  decisive: z.boolean().optional(),
  commands: z.array(renderedCommandSchema).optional(),
});

const verdictStatusSchema = z.enum(['confirmed', 'refuted', 'inconclusive', 'text-only']);
const verdictSchema = z.object({
  playbook: z.string().nullable(),
  status: verdictStatusSchema,
  confidence: z.number(),
  summary: z.string(),
  rootCause: z.string().nullable(),
  firstGuess: z.object({ playbook: z.string().nullable(), confidence: z.number() }).optional(),
  candidates: z.array(z.object({ playbook: z.string(), score: z.number(), status: verdictStatusSchema })).optional(),
});

const fieldChangeSchema = z.object({ path: z.string(), from: z.string().optional(), to: z.string().optional() });
const objectKeySchema = z.object({ apiVersion: z.string(), kind: z.string(), namespace: z.string(), name: z.string() });
const revisionSummarySchema = z.object({
  revision: z.number().int(),
  status: z.string(),
  chart: z.string(),
  appVersion: z.string().optional(),
  deployedAt: z.string().optional(),
});

/** Mirrors `RollbackPlan` (src/model/rollback.ts); the assertion below keeps the two in step. */
export const rollbackPlanSchema = z.object({
  v: z.literal(1),
  request: rollbackRequestSchema,
  current: revisionSummarySchema.nullable(),
  target: revisionSummarySchema.nullable(),
  verdict: z.object({ kind: z.enum(['safe', 'will-fail', 'needs-care', 'cannot-plan']), summary: z.string() }),
  predictions: z.array(z.object({
    kind: z.enum(PREDICTION_KINDS),
    severity: z.enum(['will-fail', 'needs-care']),
    object: objectKeySchema.optional(),
    summary: z.string(),
    evidence: z.array(z.string()),
    fixFirst: z.array(renderedCommandSchema),
    onlyWithForce: z.boolean().optional(),
  })),
  diff: z.object({
    chart: z.object({ from: z.string(), to: z.string() }),
    appVersion: z.object({ from: z.string().optional(), to: z.string().optional() }),
    values: z.object({ changes: z.array(fieldChangeSchema) }),
    objects: z.array(z.object({ object: objectKeySchema, change: z.enum(['added', 'removed', 'changed']), fields: z.array(fieldChangeSchema) })),
    unchanged: z.number().int(),
  }).nullable(),
  command: renderedCommandSchema.nullable(),
  requests: z.number().int(),
  notes: z.array(z.string()),
  createdAt: z.number().int(),
});
// Both ways and key for key: a plan the agent sends is exactly what the bot renders (a field the
// planner adds must be added here too, or these lines fail to compile; zod would strip it in transit).
type Plan = z.infer<typeof rollbackPlanSchema>;
type Diff = NonNullable<Plan['diff']>;
const planInStep: [
  Exactly<Plan, RollbackPlan>,
  Exactly<Plan['predictions'][number], RollbackPlan['predictions'][number]>,
  Exactly<NonNullable<Plan['current']>, NonNullable<RollbackPlan['current']>>,
  Exactly<Diff, NonNullable<RollbackPlan['diff']>>,
  Exactly<Diff['objects'][number], NonNullable<RollbackPlan['diff']>['objects'][number]>,
  Exactly<Diff['values']['changes'][number], NonNullable<RollbackPlan['diff']>['values']['changes'][number]>,
  Exactly<Plan['verdict'], RollbackPlan['verdict']>,
] = [true, true, true, true, true, true, true];
void planInStep;

export const checkResultSchema = z.object({
  v: z.literal(1),
  jobId: z.string(),
  cluster: z.string(),
  outcome: z.enum(CHECK_OUTCOMES),
  findings: z.array(findingSchema),
  verdict: verdictSchema.nullable(),
  message: z.string().optional(),
  agent: z.string().optional(),
  completedAt: z.number().int(),
  /** A rollback-plan job's answer (findings empty, verdict null). */
  plan: rollbackPlanSchema.optional(),
});
// One way only: a parsed result must be a CheckResult (fields the checks add later are stripped in transit).
const resultFits: z.infer<typeof checkResultSchema> extends CheckResult ? true : false = true;
void resultFits;

/** A check job as a reporter sees it: whom to answer and what was checked; not the text, not the matches. */
export const reportedCheckJobSchema = checkJobSchema.pick({
  v: true, facts: true, playbook: true, checks: true, cluster: true, requester: true, deadline: true, createdAt: true,
});
export type ReportedCheckJob = z.infer<typeof reportedCheckJobSchema>;

/** Any job as a reporter sees it: a rollback job carries nothing to leave behind, so it rides whole. */
export const reportedJobSchema = z.union([reportedCheckJobSchema, rollbackJobSchema]);
export type ReportedJob = ReportedCheckJob | RollbackJob;

export function reportedJob(job: CheckJob): ReportedCheckJob;
export function reportedJob(job: AgentJob): ReportedJob;
export function reportedJob(job: AgentJob): ReportedJob {
  if (isRollbackJob(job)) return job;
  const { v, facts, playbook, checks, cluster, requester, deadline, createdAt } = job;
  return { v, facts, playbook, checks, cluster, requester, deadline, createdAt };
}

/**
 * A check job's BullMQ return value: the agent's answer, with the job riding along (text left
 * behind) so any bot replica can report it from the completion event alone.
 */
export const resultEnvelopeSchema = z.object({
  v: z.literal(1),
  job: reportedJobSchema,
  result: checkResultSchema,
});
export type ResultEnvelope = z.infer<typeof resultEnvelopeSchema>;

/**
 * A delayed watchdog on the deadlines queue: one per second of deadlines, not per request, so the
 * bot's deadlines worker wakes once a second at most. The requests whose deadline falls in that
 * second are the members of a Redis set (see deadlineBucketKey).
 */
export const deadlineBucketSchema = z.object({
  v: z.literal(1),
  bucket: z.number().int(),
});
export type DeadlineBucket = z.infer<typeof deadlineBucketSchema>;

export type SubmitStatus = 'queued' | 'duplicate' | 'unavailable';

export interface SubmitReceipt {
  status: SubmitStatus;
  jobId: string;
  /** Why checks are unavailable, for the reply ("cluster checks unavailable (queue unreachable)"). */
  reason?: string;
}

/** Receives results; must be idempotent: the same result can arrive more than once. */
export interface ResultReporter {
  report(job: ReportedJob, result: CheckResult): Promise<void>;
}

/** Where the bot sends check jobs: BullMQ in production, in-process in the embedded mode. */
export interface CheckDispatcher {
  submit(job: AgentJob): Promise<SubmitReceipt>;
  close(): Promise<void>;
}
