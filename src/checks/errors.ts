// Failures inside a check become findings, never exceptions: one broken check must not lose the others.
import { ErrorCode, HelmTriageError, isHelmTriageError } from '../errors.js';
import { KubeForbiddenError } from '../kube/errors.js';
import type { FactName } from '../triage/types.js';
import type { Finding } from './types.js';

/** Thrown by a gather step that cannot start without a fact the text did not give. */
export class MissingFactError extends HelmTriageError {
  constructor(readonly fact: FactName, readonly hint: string) {
    super(ErrorCode.FactMissing, `needs the ${fact}: ${hint}`);
    this.name = 'MissingFactError';
  }
}

export function findingFromError(check: string, err: unknown): Finding {
  if (err instanceof MissingFactError) {
    return { check, status: 'inconclusive', summary: `cannot check: ${err.message}`, evidence: [] };
  }
  if (err instanceof KubeForbiddenError) {
    return {
      check,
      status: 'inconclusive',
      summary: `no access: needs ${err.permission}`,
      evidence: [err.message],
      missingPermission: err.permission,
    };
  }
  if (isHelmTriageError(err)) {
    // Timeouts, unreachable servers, undecodable release records: the answer is unknown, not wrong.
    const status = err.code === ErrorCode.KubeApiError ? 'error' : 'inconclusive';
    return { check, status, summary: err.message, evidence: [] };
  }
  const message = err instanceof Error ? err.message : String(err);
  return { check, status: 'error', summary: `check failed unexpectedly: ${message}`, evidence: [] };
}
