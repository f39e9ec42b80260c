// Pure: the text diagnosis plus the cluster findings → one verdict a human can act on.
// Decisive findings (a check whose answer alone settles the playbook) win; otherwise the conclusive
// findings must agree. A refutation demotes the text match and promotes the next plausible one.
import type { Finding, Verdict, VerdictStatus } from '../model/checks.js';
import { renderTemplate } from '../playbooks/render.js';
import type { Playbook } from '../playbooks/schema.js';
import type { Candidate } from './candidates.js';
import { renderCommands } from './diagnose.js';
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

/**
 * What the findings say about the playbook they were run for. A playbook's decisive checks are
 * alternative proofs (orphans left by the garbage collector, or objects held by finalizers): one
 * decisive confirmation confirms; decisive refutations refute when none confirms.
 */
export function findingsStatus(findings: readonly Finding[]): Exclude<VerdictStatus, 'text-only'> {
  const decisive = findings.filter((f) => f.decisive && isConclusive(f));
  if (decisive.length > 0) return decisive.some((f) => f.status === 'confirmed') ? 'confirmed' : 'refuted';
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

export type CandidatesVerdictInput = VerdictInput & { candidates: readonly Candidate[] };

const decisivelyConfirmed = (findings: readonly Finding[]): boolean =>
  findings.some((f) => f.decisive && f.status === 'confirmed');

function promotedConfidence(score: number): number {
  return round(Math.min(MAX_CONFIRMED_CONFIDENCE, Math.max(score, score + (1 - score) * 0.8)));
}

/**
 * Pure: the verdict across every checked candidate (src/triage/candidates.ts), the same on every path
 * (CLI --check, --via-queue, the agents behind Slack).
 * - The text winner confirmed by its checks stands.
 * - A candidate decisively confirmed by the cluster is promoted when the winner was refuted or when the
 *   text abstained ("confirmed by the cluster: …"); an above-line alternative is promoted, when the winner
 *   is refuted, on the agreement of its checks as well.
 * - An abstention stays one unless the cluster confirms a candidate: unconfirmed guesses are no diagnosis.
 */
export function judgeCandidates(input: CandidatesVerdictInput, findings: readonly Finding[], playbooks?: PlaybookLookup): Verdict {
  const of = (c: Candidate): Finding[] => findings.filter((f) => c.checks.includes(f.check));
  const statuses = input.candidates.map((c) => ({ playbook: c.playbook, score: round(c.score), status: of(c).length > 0 ? findingsStatus(of(c)) : 'text-only' as VerdictStatus }));
  const withCandidates = (v: Verdict): Verdict => (statuses.length > 0 ? { ...v, candidates: statuses } : v);
  const primary = input.playbook === null ? undefined : input.candidates.find((c) => c.playbook === input.playbook);
  const others = input.candidates.filter((c) => c !== primary && c.playbook !== input.playbook);
  const primaryFindings = primary ? of(primary) : [];
  const primaryStatus = primary && primaryFindings.length > 0 ? findingsStatus(primaryFindings) : 'text-only';

  if (input.playbook !== null && primaryStatus === 'confirmed') return withCandidates(decideVerdict(input, primaryFindings, playbooks));

  const promotable = others.find((c) => {
    const fs = of(c);
    if (fs.length === 0 || findingsStatus(fs) !== 'confirmed') return false;
    if (decisivelyConfirmed(fs)) return input.playbook === null || primaryStatus === 'refuted';
    return primaryStatus === 'refuted' && c.score >= MIN_ALTERNATIVE_SCORE;
  });
  if (promotable) {
    const fs = of(promotable);
    const supporting = fs.filter((f) => f.status === 'confirmed');
    const against = fs.filter((f) => f.status === 'refuted');
    const caveat = against.length > 0 ? ` (but ${joinSummaries(against)})` : '';
    const refuted = primaryFindings.filter((f) => f.status === 'refuted');
    const was = input.playbook === null
      ? ' (the text alone was not conclusive)'
      : ` (${input.playbook} refuted: ${joinSummaries(refuted)})`;
    const template = playbooks?.get(promotable.playbook)?.rootCause;
    return withCandidates({
      playbook: promotable.playbook,
      status: 'confirmed',
      confidence: promotedConfidence(promotable.score),
      summary: `confirmed by the cluster: ${joinSummaries(supporting)}${caveat}${was}`,
      rootCause: template ? renderTemplate(template.trim(), input.facts).text : null,
      firstGuess: { playbook: input.playbook, confidence: round(input.playbook === null ? promotable.score : input.confidence) },
    });
  }

  if (input.playbook !== null) {
    // Alternatives that were checked and refuted are not "next most likely".
    const refutedOthers = new Set(statuses.filter((s) => s.status === 'refuted').map((s) => s.playbook));
    const matches = input.matches.filter((m) => !refutedOthers.has(m.playbook));
    const verdict = decideVerdict({ ...input, matches }, primaryFindings, playbooks);
    const checked = statuses.find((s) => s.playbook === verdict.playbook && s.playbook !== input.playbook);
    const summary = checked ? verdict.summary.replace(/ \(not checked\)$/, ` (its checks: ${checked.status})`) : verdict.summary;
    return withCandidates({ ...verdict, summary });
  }

  // The text abstained and the cluster confirmed nothing: still no diagnosis.
  if (statuses.length === 0) return decideVerdict(input, [], playbooks);
  const said = input.candidates.map((c) => {
    const fs = of(c);
    const status = fs.length > 0 ? findingsStatus(fs) : 'text-only';
    const refuting = fs.filter((f) => f.status === 'refuted');
    const decisive = refuting.filter((f) => f.decisive);
    const why = status === 'refuted' ? joinSummaries(decisive.length > 0 ? decisive : refuting) : status === 'confirmed' ? 'no decisive evidence' : 'checks inconclusive';
    return `${c.playbook} ${status === 'refuted' ? 'refuted' : 'not confirmed'} (${why})`;
  });
  const allRefuted = statuses.every((s) => s.status === 'refuted');
  return {
    playbook: null,
    status: allRefuted ? 'refuted' : 'inconclusive',
    confidence: 0,
    summary: `no diagnosis: ${said.join('; ')}`,
    rootCause: null,
    candidates: statuses,
  };
}

/** What adopting a promoted verdict needs of a PlaybookSet. */
export interface AdoptLookup {
  get(id: string): Playbook | undefined;
}

/** The note a promoted diagnosis carries: the text-only answer was a guess. */
export function firstGuessNote(firstGuess: NonNullable<Verdict['firstGuess']>): string {
  return firstGuess.playbook === null
    ? 'The first answer was a guess: the text alone was not conclusive, the cluster confirmed this diagnosis.'
    : `The first answer was a guess: the text pointed to ${firstGuess.playbook}, the cluster refuted it and confirmed this diagnosis.`;
}

/**
 * Pure: the diagnosis as the cluster decided it. A promoted verdict (firstGuess set, confirmed) becomes
 * the diagnosis people read: its playbook's title, root cause and commands, with the note that the first
 * answer was a guess. Anything else leaves the diagnosis as it was.
 */
export function adoptVerdict(diagnosis: Diagnosis, verdict: Verdict | null | undefined, playbooks: AdoptLookup): Diagnosis {
  if (!verdict?.firstGuess || verdict.status !== 'confirmed' || verdict.playbook === null || verdict.playbook === diagnosis.playbook) return diagnosis;
  const playbook = playbooks.get(verdict.playbook);
  if (!playbook) return diagnosis;
  const facts = diagnosis.facts;
  return {
    ...diagnosis,
    playbook: playbook.id,
    title: playbook.title,
    confidence: verdict.confidence,
    rootCause: verdict.rootCause ?? renderTemplate(playbook.rootCause.trim(), facts).text,
    commands: renderCommands(playbook, facts),
    checks: [...playbook.checks],
    notes: [firstGuessNote(verdict.firstGuess), ...diagnosis.notes.filter((n) => !n.startsWith('not confident enough to diagnose'))],
  };
}
