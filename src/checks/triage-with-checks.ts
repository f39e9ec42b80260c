// The whole in-process triage for the CLI (and the embedded mode): text diagnosis → (the error
// stored in the release, when the text has none) → the checks of every plausible candidate → verdict.
import type { ReadOnlyKube } from '../kube/types.js';
import type { PlaybookSet } from '../playbooks/load.js';
import { diagnose } from '../triage/diagnose.js';
import type { Diagnosis, Facts } from '../triage/types.js';
import { planChecks } from '../triage/candidates.js';
import { judgeCandidates } from '../triage/verdict.js';
import { findingFromError } from './errors.js';
import { runChecks } from './run.js';
import { readStoredFailure, type StoredFailure } from './stored-failure.js';
import type { Finding, TriageSource, Verdict } from '../model/checks.js';

export interface TriageWithChecksInput {
  text: string;
  /** The text diagnosis when the caller already made it (same text and overrides): not made again. */
  diagnosis?: Diagnosis;
  playbooks: PlaybookSet;
  kube: ReadOnlyKube;
  signal: AbortSignal;
  /** Facts given explicitly (--release, --namespace) win over extracted ones. */
  overrides?: Partial<Facts>;
  now?: Date;
  perCheckTimeoutMs?: number;
}

export interface TriageWithChecks {
  diagnosis: Diagnosis;
  findings: Finding[];
  verdict: Verdict;
  source: TriageSource;
}

const STORED_FAILURE_CHECK = 'stored-failure';

export async function diagnoseWithChecks(input: TriageWithChecksInput): Promise<TriageWithChecks> {
  const { playbooks, kube, signal } = input;
  const overrides = input.overrides ?? {};
  let diagnosis = input.diagnosis ?? diagnose(input.text, playbooks, { overrides });
  let source: TriageSource = { kind: 'text' };
  const extra: Finding[] = [];

  const noise = diagnosis.playbook !== null && playbooks.get(diagnosis.playbook)?.noise === true;
  const release = diagnosis.facts.release;
  if ((diagnosis.playbook === null || noise) && release) {
    const namespace = diagnosis.facts.namespace ?? 'default';
    let stored: StoredFailure | null = null;
    try {
      stored = await readStoredFailure(kube, release, namespace, signal);
    } catch (err) {
      extra.push(findingFromError(STORED_FAILURE_CHECK, err));
    }
    if (stored) {
      const again = diagnose(stored.text, playbooks, { overrides: { ...definedFacts(diagnosis.facts), ...overrides } });
      if (diagnosis.playbook === null && again.playbook !== null) {
        diagnosis = { ...again, notes: [stored.note, ...again.notes] };
        source = { kind: 'release-record', release, namespace, revision: stored.revision, status: stored.status, note: stored.note };
      } else if (noise) {
        const what = again.playbook ? `diagnoses as ${again.playbook}` : 'matches no playbook';
        diagnosis = { ...diagnosis, notes: [...diagnosis.notes, `the real error, ${stored.note}, ${what}: ${stored.text}`] };
      }
    }
  }

  // Every plausible candidate's checks at once (not only the winner's): the cluster decides between them,
  // and the shared history memo reads each release once for all of them.
  const plan = planChecks(diagnosis, playbooks);
  const findings = await runChecks({
    checks: plan.checks, facts: diagnosis.facts, kube, signal,
    ...(input.now ? { now: input.now } : {}), ...(input.perCheckTimeoutMs ? { perCheckTimeoutMs: input.perCheckTimeoutMs } : {}),
  });
  const verdict = judgeCandidates({ ...diagnosis, candidates: plan.candidates }, findings, playbooks);
  return { diagnosis, findings: [...extra, ...findings], verdict, source };
}

function definedFacts(facts: Facts): Partial<Facts> {
  const out: Partial<Facts> = {};
  if (facts.release) out.release = facts.release;
  if (facts.namespace) out.namespace = facts.namespace;
  return out;
}
