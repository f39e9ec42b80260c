// Pure: combine the rule signals (match.ts) with the model's posterior (model.ts) into one calibrated score
// per candidate. The model is one more noisy-OR term, worth at most `weight` and only above `floor` (DEFAULT_CALIBRATION):
//   combined = (1 - (1 - rulePositive) * (1 - MODEL_WEIGHT * lift(p))) * vetoes,  lift(p) = (p - floor) / (1 - floor)
// so it can lift a rule candidate that sits below the abstain line, or propose one on its own only when
// its posterior is high; a playbook's vetoes pull down both parts. Lookalikes (texts that are not Helm
// failures) are scored the same way and, when one outranks every playbook, the engine abstains.
import type { CompiledLookalike, PlaybookSet } from '../playbooks/set.js';
import { DEFAULT_CALIBRATION, MODEL_TERMS_PER_MATCH, RULES_DECISIVE, type Calibration } from './limits.js';
import { round, signalScore, vetoFactor, type PreparedText, type ScoredMatch } from './match.js';
import { compileModel, scoreText, topTerms, type ModelRuntime, type ModelScores, type TriageModel } from './model.js';
import type { LiteralHits } from './lines.js';

export interface ModelView {
  rt: ModelRuntime;
  calibration: Calibration;
  scores: ModelScores;
}

export interface CombinedMatch extends ScoredMatch {
  /** Rule score alone (positive signals × vetoes). */
  rule: number;
  /** Model posterior of this playbook; null when the rules were decisive and the model was not consulted. */
  model: number | null;
  /** True when the model added to the score (its posterior was above the floor). */
  lifted: boolean;
}

export interface LookalikeScore {
  id: string;
  looksLike: string;
  score: number;
  rule: number;
  model: number | null;
  matchedSignals: string[];
}

const runtimes = new WeakMap<TriageModel, ModelRuntime>();

export function runtimeFor(model: TriageModel): ModelRuntime {
  let rt = runtimes.get(model);
  if (rt === undefined) {
    rt = compileModel(model);
    runtimes.set(model, rt);
  }
  return rt;
}

/** The model's view of a text; `prepared` gives the lowercase copy when there is one. */
export function modelView(set: PlaybookSet, prepared: PreparedText, calibration: Calibration = DEFAULT_CALIBRATION): ModelView {
  const rt = runtimeFor(set.model);
  const lower = prepared.lower;
  const scores = scoreText(rt, lower ?? prepared.text, calibration.temperature, calibration.noneBias, lower !== undefined);
  return { rt, calibration, scores };
}

/** The model's contribution to a noisy-OR: 0 at or below the floor, up to the weight at certainty. */
export function modelLift(p: number, { weight, floor }: Pick<Calibration, 'weight' | 'floor'> = DEFAULT_CALIBRATION): number {
  return p <= floor ? 0 : (weight * (p - floor)) / (1 - floor);
}

/** The lift in this view: nothing when the model knows too few terms of the text to judge it. */
function liftIn(view: ModelView, p: number): number {
  return view.scores.terms.length < view.calibration.minTerms ? 0 : modelLift(p, view.calibration);
}

function posteriorOf(view: ModelView | undefined, id: string): number {
  if (view === undefined) return 0;
  const c = view.rt.classIndex.get(id);
  return c === undefined ? 0 : (view.scores.posterior[c] ?? 0);
}

/** The strongest class other than `c`. */
function rivalOf(view: ModelView, c: number): number {
  const posterior = view.scores.posterior;
  let best = -1;
  let bestP = -1;
  for (let i = 0; i < posterior.length; i++) {
    const p = posterior[i] ?? 0;
    if (i !== c && p > bestP) {
      best = i;
      bestP = p;
    }
  }
  return best;
}

/** The n-grams that most favoured playbook `id` over its strongest rival class in the model. */
export function explainTerms(view: ModelView, id: string): string[] {
  const c = view.rt.classIndex.get(id);
  if (c === undefined) return [];
  return topTerms(view.rt, view.scores, c, rivalOf(view, c), MODEL_TERMS_PER_MATCH).map((t) => t.term);
}

/**
 * True when the rules alone settle the text: the best rule match is no noise and scores at least
 * RULES_DECISIVE. The model could not change the answer then (it adds at most its weight to a rival), so it
 * is not consulted: the common case of a pasted Helm error line stays as fast as the rules.
 */
export function rulesDecisive(rules: readonly ScoredMatch[]): boolean {
  const best = rules[0];
  return best !== undefined && !best.noise && best.score >= RULES_DECISIVE;
}

/**
 * Every playbook the rules or the model put forward, best first, with its combined score. Candidates only
 * the model proposes carry no rule evidence (but their playbook's vetoes still apply). Without a view (the
 * rules were decisive) the scores are the rule scores.
 */
export function combineSignals(
  rules: readonly ScoredMatch[],
  set: PlaybookSet,
  view: ModelView | undefined,
  prepared: PreparedText,
  scanned?: LiteralHits,
): CombinedMatch[] {
  const out: CombinedMatch[] = [];
  const seen = new Set<string>();
  const combined = (m: ScoredMatch, score: number, model: number | null, lifted: boolean): CombinedMatch => ({
    playbook: m.playbook,
    title: m.title,
    score,
    evidence: m.evidence,
    matchedSignals: m.matchedSignals,
    vetoed: m.vetoed,
    noise: m.noise,
    positive: m.positive,
    veto: m.veto,
    rule: m.score,
    model,
    lifted,
  });
  if (view === undefined) return rules.map((m) => combined(m, m.score, null, false));
  for (const m of rules) {
    seen.add(m.playbook);
    const p = posteriorOf(view, m.playbook);
    const lift = liftIn(view, p);
    const score = (1 - (1 - m.positive) * (1 - lift)) * m.veto;
    out.push(combined(m, round(Math.max(0, Math.min(1, score))), round(p), lift > 0));
  }
  for (const c of set.compiled) {
    const id = c.playbook.id;
    if (seen.has(id)) continue;
    const p = posteriorOf(view, id);
    const lift = liftIn(view, p);
    if (lift <= 0) continue;
    const { veto, vetoed, evidence } = vetoFactor(c, prepared, scanned);
    out.push({
      playbook: id,
      title: c.playbook.title,
      score: round(lift * veto),
      evidence,
      matchedSignals: [],
      vetoed,
      noise: c.playbook.noise,
      positive: 0,
      veto,
      rule: 0,
      model: round(p),
      lifted: true,
    });
  }
  return out.sort((a, b) => b.score - a.score || b.rule - a.rule || b.matchedSignals.length - a.matchedSignals.length || a.playbook.localeCompare(b.playbook));
}

/** The best-scoring lookalike (rule signals and model together), or undefined when none scores at all. */
export function bestLookalike(
  lookalikes: readonly CompiledLookalike[],
  view: ModelView | undefined,
  prepared: PreparedText,
  scanned?: LiteralHits,
): LookalikeScore | undefined {
  let best: LookalikeScore | undefined;
  for (const l of lookalikes) {
    const { score: rule, matched } = signalScore(l.signals, prepared, scanned);
    const p = posteriorOf(view, l.lookalike.id);
    const score = round(1 - (1 - rule) * (1 - (view === undefined ? 0 : liftIn(view, p))));
    if (score <= 0) continue;
    if (best === undefined || score > best.score) {
      best = { id: l.lookalike.id, looksLike: l.lookalike.looksLike, score, rule: round(rule), model: view === undefined ? null : round(p), matchedSignals: matched };
    }
  }
  return best;
}
