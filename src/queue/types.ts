import { z } from 'zod';
import { CHECK_OUTCOMES, type CheckResult } from '../model/checks.js';
import type { Facts } from '../triage/types.js';

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

const findingSchema = z.object({
  check: z.string(),
  status: z.enum(['confirmed', 'refuted', 'inconclusive', 'error']),
  summary: z.string(),
  evidence: z.array(z.string()),
  missingPermission: z.string().optional(),
  learned: z.record(z.string(), z.string()).optional(),
  decisive: z.boolean().optional(),
  commands: z.array(z.object({
    command: z.string(),
    description: z.string().optional(),
    effect: z.enum(['read-only', 'changes-cluster']),
    risk: z.string().optional(),
    missing: z.array(z.string()).optional(),
  })).optional(),
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
});
// One way only: a parsed result must be a CheckResult (fields the checks add later are stripped in transit).
const resultFits: z.infer<typeof checkResultSchema> extends CheckResult ? true : false = true;
void resultFits;

/** The job as a reporter sees it: whom to answer and what was checked; not the text, not the matches. */
export const reportedJobSchema = checkJobSchema.pick({
  v: true, facts: true, playbook: true, checks: true, cluster: true, requester: true, deadline: true, createdAt: true,
});
export type ReportedJob = z.infer<typeof reportedJobSchema>;

export function reportedJob(job: CheckJob): ReportedJob {
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
  submit(job: CheckJob): Promise<SubmitReceipt>;
  close(): Promise<void>;
}
