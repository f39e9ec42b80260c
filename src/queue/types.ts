import { z } from 'zod';
import type { Finding, Verdict } from '../checks/types.js';

// Versioned wire schemas: agents and bots of different versions may share a Redis during a rollout.

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

export const checkJobSchema = z.object({
  v: z.literal(1),
  /** Redacted, normalized text: never the raw paste. */
  text: z.string(),
  facts: z.record(z.string(), z.unknown()),
  playbook: z.string(),
  checks: z.array(z.string()),
  cluster: z.string(),
  requester: requesterSchema,
  /** Epoch ms after which the answer is useless. */
  deadline: z.number().int(),
  createdAt: z.number().int(),
});
export type CheckJob = z.infer<typeof checkJobSchema>;

export type CheckOutcome = 'ok' | 'timeout' | 'no-agent' | 'unavailable' | 'error';

export interface CheckResult {
  v: 1;
  jobId: string;
  cluster: string;
  outcome: CheckOutcome;
  findings: Finding[];
  verdict: Verdict | null;
  /** Human sentence for the non-ok outcomes, e.g. "no agent answered for cluster prod within 30 s". */
  message?: string;
  agent?: string;
  completedAt: number;
}

export type SubmitStatus = 'queued' | 'duplicate' | 'unavailable';

export interface SubmitReceipt {
  status: SubmitStatus;
  jobId: string;
  /** Why checks are unavailable, for the reply ("cluster checks unavailable (queue unreachable)"). */
  reason?: string;
}

/** Receives results; must be idempotent: the same result can arrive more than once. */
export interface ResultReporter {
  report(job: CheckJob, result: CheckResult): Promise<void>;
}

/** Where the bot sends check jobs: BullMQ in production, in-process in the embedded mode. */
export interface CheckDispatcher {
  submit(job: CheckJob): Promise<SubmitReceipt>;
  close(): Promise<void>;
}
