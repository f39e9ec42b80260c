// The text pipeline: normalize → redact → facts → match → diagnosis. Pure and total: never throws.
import type { PlaybookSet } from '../playbooks/set.js';
import type { Playbook } from '../playbooks/schema.js';
import { renderTemplate } from '../playbooks/render.js';
import { extractFacts, factLiterals, withPlaybookFacts } from './facts.js';
import { DEFAULT_MIN_CONFIDENCE, MAX_MATCHES, type Calibration } from './limits.js';
import { LiteralScanner, indexLines } from './lines.js';
import { bestLookalike, combineSignals, explainTerms, modelView, rulesDecisive, type CombinedMatch, type LookalikeScore, type ModelView } from './combine.js';
import { matchPlaybooks, round } from './match.js';
import { byteLength, normalize } from './normalize.js';
import { redact } from './redact.js';
import type { Decision, Diagnosis, Facts, InputInfo, Match, MatchSignals, RenderedCommand } from './types.js';

export interface DiagnoseOptions {
  /** Facts given explicitly (slash-command --release/--namespace) win over extracted ones. */
  overrides?: Partial<Facts>;
  /** Below this, abstain (playbook: null). */
  minConfidence?: number;
  /** How much the model counts (scripts/calibrate.ts tries others); DEFAULT_CALIBRATION otherwise. */
  calibration?: Calibration;
}

export function diagnose(text: string, playbooks: PlaybookSet, options: DiagnoseOptions = {}): Diagnosis {
  try {
    return diagnoseUnsafe(typeof text === 'string' ? text : String(text), playbooks, options);
  } catch (err) {
    // Last line of defence: a bug must not take the reply down, and must not echo the paste.
    return emptyDiagnosis(
      { bytes: typeof text === 'string' ? byteLength(text) : 0, lines: 0, truncated: false, redactions: 0, binary: false },
      [`internal error while diagnosing (${err instanceof Error ? err.name : 'unknown'}); no diagnosis was made — please report this paste shape`],
    );
  }
}

function emptyDiagnosis(input: InputInfo, notes: string[], text = '', facts: Facts = {}): Diagnosis {
  return { playbook: null, title: null, confidence: 0, facts, rootCause: null, commands: [], matches: [], checks: [], notes, input, text };
}

function diagnoseUnsafe(raw: string, set: PlaybookSet, options: DiagnoseOptions): Diagnosis {
  const normalized = normalize(raw);
  const notes: string[] = [];
  if (normalized.binary) {
    return emptyDiagnosis(
      { bytes: normalized.bytes, lines: 0, truncated: false, redactions: 0, binary: true },
      ['the input looks binary (NUL bytes or control characters), not terminal output: paste the text Helm printed, e.g. `helm upgrade … 2>&1 | tail -50`'],
    );
  }
  const redacted = redact(normalized.text);
  const text = redacted.text;
  // One line index for counting, facts and matching: splitting a 1 MiB paste of short lines would
  // allocate half a million strings.
  const index = indexLines(text);
  const lines = text === '' ? 0 : index.count;
  const input: InputInfo = {
    bytes: normalized.bytes,
    lines,
    truncated: normalized.truncated,
    redactions: redacted.count,
    binary: false,
  };
  if (normalized.truncation !== undefined) {
    input.truncation = normalized.truncation;
    notes.push(normalized.truncation);
  }
  if (redacted.count > 0) notes.push(`${redacted.count} secret${redacted.count === 1 ? '' : 's'} redacted before diagnosis`);
  const scanned = scannerFor(set).scan(index);
  let facts: Facts = { ...extractFacts(text, index, scanned), ...definedOnly(options.overrides ?? {}) };
  if (text.trim() === '') {
    notes.push('the input is empty: paste the failed helm command and the error it printed');
    return emptyDiagnosis(input, notes, text, facts);
  }
  const rules = matchPlaybooks(set.compiled, index, scanned);
  const view = rulesDecisive(rules) ? undefined : modelView(set, index, options.calibration);
  const scored = combineSignals(rules, set, view, index, scanned);
  const lookalike = bestLookalike(set.lookalikes, view, index, scanned);
  const threshold = options.minConfidence ?? DEFAULT_MIN_CONFIDENCE;
  const primary = choosePrimary(scored, threshold, lookalike);
  const matches: Match[] = scored.slice(0, MAX_MATCHES).map((m) => publicMatch(m, primary, threshold, view));
  const decision = decisionOf(view, threshold, primary, lookalike);
  if (primary === undefined) {
    const best = scored[0];
    if (lookalike !== undefined && lookalike.score >= threshold && lookalike.score >= (best?.score ?? 0)) {
      notes.push(`this looks like ${lookalike.looksLike}: no Helm playbook applies`);
    } else {
      notes.push(
        best === undefined
          ? 'no playbook matched: this does not look like a known Helm failure'
          : `not confident enough to diagnose (best guess ${best.playbook} at ${best.score.toFixed(2)}, needs ${threshold.toFixed(2)})`,
      );
    }
    return { ...emptyDiagnosis(input, notes, text, facts), matches, decision };
  }
  const playbook = set.get(primary.playbook);
  if (playbook === undefined) return { ...emptyDiagnosis(input, notes, text, facts), matches, decision };
  facts = withPlaybookFacts(facts, set.compiled.find((c) => c.playbook === playbook)?.factPatterns ?? [], index);
  for (const m of scored) {
    if (m !== primary && m.noise && m.score >= threshold) {
      notes.push(`also found ${m.title.toLowerCase()} (${m.playbook}): it is noise around the real error, which is ${primary.playbook}`);
    }
  }
  return {
    playbook: playbook.id,
    title: playbook.title,
    confidence: round(primary.score),
    facts,
    rootCause: renderTemplate(playbook.rootCause.trim(), facts).text,
    commands: renderCommands(playbook, facts),
    matches,
    checks: [...playbook.checks],
    notes,
    decision,
    input,
    text,
  };
}

// One scanner per playbook set: its regex of every literal is built once, not per paste.
const scanners = new WeakMap<object, LiteralScanner>();
function scannerFor(set: PlaybookSet): LiteralScanner {
  let scanner = scanners.get(set.compiled);
  if (scanner === undefined) {
    const literals = [...set.compiled, ...set.lookalikes].flatMap((c) => c.signals.flatMap((s) => [...(s.literals ?? []), ...(s.conjuncts ?? []).flat()]));
    scanner = new LiteralScanner([...literals, ...factLiterals()]);
    scanners.set(set.compiled, scanner);
  }
  return scanner;
}

/**
 * The one place that decides: the strongest non-noise match above the threshold (noise is primary only when
 * nothing else is), unless a lookalike (a text that is not a Helm failure) scores at least as high.
 */
export function choosePrimary<M extends Pick<Match, 'score'> & { noise: boolean }>(
  scored: readonly M[],
  threshold: number,
  lookalike?: Pick<LookalikeScore, 'score'>,
): M | undefined {
  const pick = scored.find((m) => !m.noise && m.score >= threshold) ?? scored.find((m) => m.noise && m.score >= threshold);
  if (pick !== undefined && lookalike !== undefined && lookalike.score >= threshold && lookalike.score >= pick.score) return undefined;
  return pick;
}

/** What carried a match over the line: the rules alone, the model alone, or only both together. */
export function decidedBy(m: Pick<CombinedMatch, 'rule' | 'positive'>, threshold: number): NonNullable<MatchSignals['decidedBy']> {
  if (m.rule >= threshold) return 'rules';
  return m.positive > 0 ? 'rules+model' : 'model';
}

function decisionOf(view: ModelView | undefined, threshold: number, primary: CombinedMatch | undefined, lookalike: LookalikeScore | undefined): Decision {
  let model: Decision['model'] = null;
  if (view !== undefined) {
    const posterior = view.scores.posterior;
    let top = 0;
    for (let i = 1; i < posterior.length; i++) if ((posterior[i] ?? 0) > (posterior[top] ?? 0)) top = i;
    model = { top: view.rt.model.classes[top] ?? '', probability: round(posterior[top] ?? 0) };
  }
  const out: Decision = { threshold, decidedBy: primary === undefined ? null : decidedBy(primary, threshold), model };
  if (primary === undefined && lookalike !== undefined && lookalike.score >= threshold) {
    out.lookalike = { id: lookalike.id, looksLike: lookalike.looksLike, score: lookalike.score, rule: lookalike.rule, model: lookalike.model };
  }
  return out;
}

function publicMatch(m: CombinedMatch, primary: CombinedMatch | undefined, threshold: number, view: ModelView | undefined): Match {
  const signals: MatchSignals = { rule: m.rule, model: m.model, terms: m.lifted && view !== undefined ? explainTerms(view, m.playbook) : [] };
  if (m === primary) signals.decidedBy = decidedBy(m, threshold);
  const out: Match = { playbook: m.playbook, title: m.title, score: m.score, evidence: m.evidence, signals };
  // Noise is flagged unless it is itself the diagnosis.
  if (m.noise && primary !== m) out.noise = true;
  return out;
}

/** Read-only commands first (they are safe to run now); playbook order otherwise. */
export function renderCommands(playbook: Playbook, facts: Facts): RenderedCommand[] {
  const rendered = playbook.commands.map((c, i) => {
    const { text, missing } = renderTemplate(c.run.trim(), facts, { shell: true });
    const out: RenderedCommand = { command: text, effect: c.effect };
    if (c.description !== undefined) out.description = renderTemplate(c.description, facts).text;
    if (c.risk !== undefined) out.risk = c.risk;
    if (missing.length > 0) out.missing = missing;
    return { out, i };
  });
  rendered.sort((a, b) => (a.out.effect === b.out.effect ? a.i - b.i : a.out.effect === 'read-only' ? -1 : 1));
  return rendered.map((r) => r.out);
}

function definedOnly(partial: Partial<Facts>): Partial<Facts> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(partial)) if (v !== undefined && v !== '') out[k] = v;
  return out as Partial<Facts>;
}
