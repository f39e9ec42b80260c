// Pure: the text diagnosis plus the cluster findings → one verdict a human can act on.
// Decisive findings (a check whose answer alone settles the playbook) win; otherwise the conclusive
// findings must agree. A refutation demotes the text match and promotes the next plausible one.
import type { Finding, Verdict, VerdictStatus } from '../checks/types.js';
import { renderTemplate } from '../playbooks/render.js';
import type { Playbook } from '../playbooks/schema.js';
import type { Diagnosis } from './types.js';

/** What the verdict needs of a PlaybookSet: the promoted alternative's root cause. */
export interface PlaybookLookup {
  get(id: string): Pick<Playbook, 'rootCause'> | undefined;
}

/** An alternative match needs at least this score to be promoted when the primary is refuted. */
export const MIN_ALTERNATIVE_SCORE = 0.5;
const MAX_CONFIRMED_CONFIDENCE = 0.99;

type VerdictInput = Pick<Diagnosis, 'playbook' | 'confidence' | 'rootCause' | 'matches' | 'facts'>;

const isConclusive = (f: Finding): boolean => f.status === 'confirmed' || f.status === 'refuted';

/** What the findings say about the playbook they were run for. */
export function findingsStatus(findings: readonly Finding[]): Exclude<VerdictStatus, 'text-only'> {
  const decisive = findings.filter((f) => f.decisive && isConclusive(f));
  if (decisive.length > 0) return decisive.some((f) => f.status === 'refuted') ? 'refuted' : 'confirmed';
  const conclusive = findings.filter(isConclusive);
  if (conclusive.length === 0) return 'inconclusive';
  if (conclusive.every((f) => f.status === 'confirmed')) return 'confirmed';
  if (conclusive.every((f) => f.status === 'refuted')) return 'refuted';
  return 'inconclusive';
}

function round(n: number): number {
  return Math.round(n * 100) / 100;
}

function joinSummaries(findings: readonly Finding[]): string {
  return findings.map((f) => f.summary).join('; ');
}

export function decideVerdict(diagnosis: VerdictInput, findings: readonly Finding[], playbooks?: PlaybookLookup): Verdict {
  const base = { playbook: diagnosis.playbook, rootCause: diagnosis.rootCause };
  if (findings.length === 0) {
    const summary = diagnosis.playbook ? `text diagnosis only (no cluster checks ran): ${diagnosis.playbook}` : 'no diagnosis and no cluster checks';
    return { ...base, status: 'text-only', confidence: diagnosis.confidence, summary };
  }
  const status = findingsStatus(findings);
  if (status === 'confirmed') {
    const supporting = findings.filter((f) => f.status === 'confirmed');
    const against = findings.filter((f) => f.status === 'refuted');
    const caveat = against.length > 0 ? ` (but ${joinSummaries(against)})` : '';
    const confidence = round(Math.min(MAX_CONFIRMED_CONFIDENCE, diagnosis.confidence + (1 - diagnosis.confidence) * 0.8));
    return { ...base, status, confidence: Math.max(confidence, round(diagnosis.confidence)), summary: `confirmed: ${joinSummaries(supporting)}${caveat}` };
  }
  if (status === 'refuted') {
    const refuting = findings.filter((f) => f.status === 'refuted' && (f.decisive || !findings.some((g) => g.decisive && isConclusive(g))));
    const because = joinSummaries(refuting);
    const alternative = diagnosis.matches.find((m) => m.playbook !== diagnosis.playbook && !m.noise && m.score >= MIN_ALTERNATIVE_SCORE);
    if (alternative) {
      const template = playbooks?.get(alternative.playbook)?.rootCause;
      const rootCause = template ? renderTemplate(template.trim(), diagnosis.facts).text : null;
      return {
        playbook: alternative.playbook,
        status: 'inconclusive',
        confidence: round(Math.min(alternative.score, diagnosis.confidence) * 0.9),
        summary: `refuted ${diagnosis.playbook ?? 'the text match'}: ${because}; next most likely: ${alternative.title} (not checked)`,
        rootCause,
      };
    }
    return { ...base, status, confidence: round(diagnosis.confidence * 0.25), summary: `refuted: ${because}` };
  }
  const conclusive = findings.filter(isConclusive);
  const open = findings.filter((f) => !isConclusive(f));
  const parts = [...conclusive.map((f) => `${f.status} ${f.summary}`), ...open.map((f) => `${f.check} ${f.status}: ${f.summary}`)];
  return { ...base, status, confidence: round(diagnosis.confidence), summary: `inconclusive: ${parts.join('; ')}` };
}
