// STUB (skeleton): the cluster-checks work replaces the body; the signature is the contract used by agents.
import type { Facts } from '../triage/types.js';
import type { ReadOnlyKube } from '../kube/types.js';
import type { Finding } from './types.js';

export interface RunChecksInput {
  checks: readonly string[];
  facts: Facts;
  kube: ReadOnlyKube;
  signal: AbortSignal;
  now?: Date;
  /** A check still running after this becomes `inconclusive` ("timed out"); the others are kept. */
  perCheckTimeoutMs?: number;
}

/** Runs the named checks (independent ones in parallel); never throws: failures become findings. */
export async function runChecks(input: RunChecksInput): Promise<Finding[]> {
  return input.checks.map((check) => ({ check, status: 'inconclusive' as const, summary: 'check not implemented yet', evidence: [] }));
}
