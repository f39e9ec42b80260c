import type { Diagnosis } from '../triage/types.js';

/**
 * The JSON contract shared by `diagnose --json` and `POST /api/diagnose`: everything in the
 * diagnosis except the redacted text itself. One function, so the two can never drift.
 */
export function diagnosisJson(d: Diagnosis, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    playbook: d.playbook,
    title: d.title,
    confidence: d.confidence,
    facts: d.facts,
    rootCause: d.rootCause,
    commands: d.commands,
    matches: d.matches,
    checks: d.checks,
    notes: d.notes,
    ...(d.decision !== undefined ? { decision: d.decision } : {}),
    input: d.input,
    ...extra,
  };
}
