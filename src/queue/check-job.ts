// The one builder of check jobs (the Slack bot, its re-run button and `diagnose --check --via-queue`):
// the checks of every plausible candidate (src/triage/candidates.ts), and what the agent's verdict
// needs to judge across them. Only the redacted, normalized text travels, never the raw paste.
import { planChecks, type CandidateLookup, type CheckPlan } from '../triage/candidates.js';
import type { Diagnosis, Facts } from '../triage/types.js';
import type { CheckJob, Requester } from './types.js';

export type JobDiagnosis = Pick<Diagnosis, 'text' | 'facts' | 'playbook' | 'checks' | 'confidence' | 'rootCause' | 'matches'>;

export interface CheckJobOptions {
  cluster: string;
  requester: Requester;
  now: number;
  deadlineSeconds: number;
  /** Facts given explicitly (--release, --namespace) win over the diagnosis' own. */
  overrides?: Partial<Facts>;
}

/** Pure: what to check for a diagnosis; null when no candidate has checks (nothing to send). */
export function checkPlanFor(diagnosis: JobDiagnosis, playbooks: CandidateLookup): CheckPlan | null {
  const plan = planChecks(diagnosis, playbooks);
  return plan.checks.length > 0 ? plan : null;
}

/** Pure: the one job for a diagnosis and its plan, whoever asks (the requester says whom to answer). */
export function checkJobFor(diagnosis: JobDiagnosis, plan: CheckPlan, options: CheckJobOptions): CheckJob {
  return {
    v: 1,
    text: diagnosis.text,
    facts: { ...diagnosis.facts, ...options.overrides },
    playbook: diagnosis.playbook ?? '',
    checks: [...plan.checks],
    cluster: options.cluster,
    requester: options.requester,
    deadline: options.now + options.deadlineSeconds * 1000,
    createdAt: options.now,
    confidence: diagnosis.confidence,
    rootCause: diagnosis.rootCause,
    matches: diagnosis.matches.map((m) => ({ playbook: m.playbook, title: m.title, score: m.score, evidence: m.evidence, ...(m.noise ? { noise: true } : {}) })),
    candidates: plan.candidates.map((c) => ({ playbook: c.playbook, score: c.score, checks: [...c.checks], ...(c.primary ? { primary: true } : {}) })),
  };
}
