// Pure: which playbooks' checks to run for a diagnosis. Not only the winner above the abstain line:
// every plausible candidate in `diagnosis.matches` (score ≥ CANDIDATE_FLOOR, top MAX_CANDIDATES), so
// the cluster can confirm a guess the text alone could not settle (src/triage/verdict.ts judges).
// The CLI (--check, --via-queue), the Slack bot and the agents all plan with this one function.
import type { Playbook } from '../playbooks/schema.js';
import type { Diagnosis } from './types.js';

/**
 * Candidates below this text score are not checked. Measured on the dev corpus (`npx tsx
 * scripts/candidates.ts ../shared/corpus/dev`): with the rules alone the true class of 7 of the 13 misses
 * scores 0.30–0.45 and 0.25 catches all 7 with no negative checked (0.15 checks a negative); with the
 * rules + model (2 misses) 0.25 still catches the recoverable one and checks 7 extra playbooks in 222
 * texts. Only a decisive confirmation promotes a candidate below the line (src/triage/verdict.ts).
 */
export const CANDIDATE_FLOOR = 0.25;
/** At most this many playbooks are checked per triage (the winner included): bounds the extra API requests. */
export const MAX_CANDIDATES = 3;

export interface Candidate {
  playbook: string;
  /** Text score (the diagnosis confidence for the winner). */
  score: number;
  checks: string[];
  /** True for the text diagnosis' own playbook (above the abstain line). */
  primary?: boolean;
}

export interface CheckPlan {
  /** Winner first, then the other candidates by text score. */
  candidates: Candidate[];
  /** Every check to run, once each, in candidate order. */
  checks: string[];
}

/** What planning needs of a PlaybookSet. */
export interface CandidateLookup {
  get(id: string): Pick<Playbook, 'checks' | 'noise'> | undefined;
}

export interface PlanOptions {
  floor?: number;
  max?: number;
}

export function planChecks(diagnosis: Pick<Diagnosis, 'playbook' | 'confidence' | 'checks' | 'matches'>, playbooks: CandidateLookup, options: PlanOptions = {}): CheckPlan {
  const floor = options.floor ?? CANDIDATE_FLOOR;
  const max = Math.max(1, options.max ?? MAX_CANDIDATES);
  const candidates: Candidate[] = [];
  if (diagnosis.playbook !== null && diagnosis.checks.length > 0) {
    candidates.push({ playbook: diagnosis.playbook, score: diagnosis.confidence, checks: [...diagnosis.checks], primary: true });
  }
  for (const m of diagnosis.matches) {
    if (candidates.length >= max) break;
    if (m.playbook === diagnosis.playbook || m.noise === true || m.score < floor) continue;
    const playbook = playbooks.get(m.playbook);
    // A noise playbook is never the answer on its own; one without checks cannot be confirmed.
    if (!playbook || playbook.noise || playbook.checks.length === 0) continue;
    if (candidates.some((c) => c.playbook === m.playbook)) continue;
    candidates.push({ playbook: m.playbook, score: m.score, checks: [...playbook.checks] });
  }
  return { candidates, checks: [...new Set(candidates.flatMap((c) => c.checks))] };
}
