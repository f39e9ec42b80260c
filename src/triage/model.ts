// The second, statistical signal: a multinomial naive-Bayes model over word unigrams and bigrams, trained
// from the playbooks' own examples (and the lookalike texts) when a playbook set is built. Pure and
// deterministic; the trained model is plain JSON data (see TriageModel), so it can be snapshotted at build.
//
// Tokens are normalized so the model learns error shapes rather than instances: quoted names become «q»,
// numbers «#», long ids «#»; `--flags` and dotted paths (spec.clusterIP, values.yaml) stay whole tokens.
// Each document counts a feature once (binarized), and every class gets the same total weight so a class
// with few or short examples is not favoured on unknown words (the classic naive-Bayes length bias).

/** The class of texts that are not a Helm failure at all (examples with `expect: null`). */
export const NONE_CLASS = '(none)';
export const MODEL_VERSION = 1;

/** Laplace smoothing per feature and class. */
const ALPHA = 0.5;
/** Every class's feature counts are scaled to this total. */
const CLASS_MASS = 1000;
/** The model reads at most this many characters: the head and the tail of the text, distinct lines only. */
export const MODEL_TEXT_CAP = 6 * 1024;
const MAX_TOKEN = 32;

export interface TrainingDoc {
  label: string;
  text: string;
}

/** A trained model: plain, JSON-serializable data. */
export interface TriageModel {
  v: typeof MODEL_VERSION;
  classes: string[];
  /** Vocabulary: unigrams and bigrams ("a b"). */
  terms: string[];
  /** Per term, sparse scaled counts: [classIndex, count, classIndex, count, …]. */
  counts: number[][];
  /** Documents per class. */
  docs: number[];
  alpha: number;
}

const STOP = new Set(
  ('the a an and or of to in on at for is are was were be been being it its this that these those i we you he she ' +
    'they my our your me us with as by from so if but then than there here do does did have has had will can could ' +
    'just also very really some any all what which who how am im i\'m it\'s there\'s').split(' '),
);

const TOKEN = /--[a-z][a-z0-9-]{0,40}|[a-z][a-z0-9_]*(?:'[a-z]{1,2})?(?:\.[a-z][a-z0-9_]*)*|\d[\d.:,]*|"[^"\n]{0,80}"/g;

function normalizeToken(raw: string): string | undefined {
  if (raw.charCodeAt(0) === 34 /* " */) return '«q»';
  const c = raw.charCodeAt(0);
  if (c >= 48 && c <= 57) return '#';
  if (raw.length > MAX_TOKEN) return '#';
  let digits = 0;
  for (let i = 0; i < raw.length; i++) {
    const d = raw.charCodeAt(i);
    if (d >= 48 && d <= 57) digits++;
  }
  if (digits >= 4) return '#';
  if (raw.length < 2 || STOP.has(raw)) return undefined;
  return raw.endsWith('.') ? raw.slice(0, -1) : raw;
}

/** Normalized tokens of one lowercase line, stop words dropped. */
export function lineTokens(lower: string, out: string[] = []): string[] {
  TOKEN.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = TOKEN.exec(lower)) !== null) {
    const raw = m[0];
    // A quoted phrase with spaces is words (a message, a sentence); a quoted single name is a placeholder.
    if (raw.charCodeAt(0) === 34 && (raw.length < 3 || raw.includes(' ') || raw[raw.length - 1] !== '"')) {
      TOKEN.lastIndex = m.index + 1;
      continue;
    }
    const t = normalizeToken(raw);
    if (t !== undefined) out.push(t);
  }
  return out;
}

/**
 * The lines the model reads: distinct, from the head and the tail of the text within MODEL_TEXT_CAP.
 * `lower` says the text is lowercase already.
 */
export function modelLines(text: string, lower = false): string[] {
  const half = MODEL_TEXT_CAP >> 1;
  const body = text.length <= MODEL_TEXT_CAP ? text : `${text.slice(0, half)}\n${text.slice(text.length - half)}`;
  const seen = new Set<string>();
  const out: string[] = [];
  for (const line of (lower ? body : body.toLowerCase()).split('\n')) {
    const t = line.trim();
    if (t.length < 2 || seen.has(t)) continue;
    seen.add(t);
    out.push(t);
  }
  return out;
}

/** Distinct unigram and bigram features of a text (bigrams within a line). */
export function textFeatures(text: string): string[] {
  const features = new Set<string>();
  const tokens: string[] = [];
  for (const line of modelLines(text)) {
    tokens.length = 0;
    lineTokens(line, tokens);
    for (let i = 0; i < tokens.length; i++) {
      const t = tokens[i] ?? '';
      features.add(t);
      if (i > 0) features.add(`${tokens[i - 1] ?? ''} ${t}`);
    }
  }
  return [...features];
}

/** Trains the model. Deterministic: classes in the given order then first seen, terms in first-seen order. */
export function trainModel(docs: readonly TrainingDoc[], classOrder: readonly string[] = []): TriageModel {
  const classes = [...classOrder];
  const classIndex = new Map(classes.map((c, i) => [c, i]));
  for (const d of docs) if (!classIndex.has(d.label)) classIndex.set(d.label, classes.push(d.label) - 1);
  const termIds = new Map<string, number>();
  const terms: string[] = [];
  /** Per term: [class, count, class, count, …] (a term is seen in few classes). */
  const rows: number[][] = [];
  const docCount = classes.map(() => 0);
  const totals = classes.map(() => 0);
  for (const d of docs) {
    const c = classIndex.get(d.label) ?? 0;
    docCount[c] = (docCount[c] ?? 0) + 1;
    for (const f of textFeatures(d.text)) {
      let id = termIds.get(f);
      if (id === undefined) {
        id = terms.push(f) - 1;
        termIds.set(f, id);
        rows.push([]);
      }
      const row = rows[id] ?? [];
      let j = 0;
      while (j < row.length && row[j] !== c) j += 2;
      if (j < row.length) row[j + 1] = (row[j + 1] ?? 0) + 1;
      else row.push(c, 1);
      totals[c] = (totals[c] ?? 0) + 1;
    }
  }
  for (const row of rows) {
    for (let j = 0; j < row.length; j += 2) {
      const total = totals[row[j] ?? 0] ?? 1;
      row[j + 1] = Math.round(((row[j + 1] ?? 0) * CLASS_MASS * 1e4) / total) / 1e4;
    }
  }
  return { v: MODEL_VERSION, classes, terms, counts: rows, docs: docCount, alpha: ALPHA };
}

/** A model ready to score: lookup tables built once from the plain data. */
export interface ModelRuntime {
  readonly model: TriageModel;
  /** Class index by id. */
  readonly classIndex: ReadonlyMap<string, number>;
  readonly unigrams: ReadonlyMap<string, number>;
  /** By unigram id pair (a * terms + b, a small integer): bigram term id. */
  readonly bigrams: ReadonlyMap<number, number>;
  /** Per term: sparse [class, log(1 + count/alpha), …]. */
  readonly bonus: ReadonlyArray<Float64Array>;
}

export function compileModel(model: TriageModel): ModelRuntime {
  const unigrams = new Map<string, number>();
  model.terms.forEach((t, i) => {
    if (!t.includes(' ')) unigrams.set(t, i);
  });
  const bigrams = new Map<number, number>();
  model.terms.forEach((t, i) => {
    const sp = t.indexOf(' ');
    if (sp < 0) return;
    const a = unigrams.get(t.slice(0, sp));
    const b = unigrams.get(t.slice(sp + 1));
    if (a !== undefined && b !== undefined) bigrams.set(a * model.terms.length + b, i);
  });
  const bonus = model.counts.map((sparse) => {
    const out = new Float64Array(sparse.length);
    for (let j = 0; j < sparse.length; j += 2) {
      out[j] = sparse[j] ?? 0;
      out[j + 1] = Math.log1p((sparse[j + 1] ?? 0) / model.alpha);
    }
    return out;
  });
  return { model, classIndex: new Map(model.classes.map((c, i) => [c, i])), unigrams, bigrams, bonus };
}

export interface ModelTerm {
  term: string;
  /** Log-likelihood ratio this term adds to the class over its strongest rival. */
  weight: number;
}

export interface ModelScores {
  /** Posterior per class, same order as model.classes. */
  posterior: Float64Array;
  /** Vocabulary terms found in the text (ids). */
  terms: number[];
  /** Raw log scores per class. */
  raw: Float64Array;
}

/**
 * Log scores of every class (equal priors), and the posterior at the given temperature per √(terms found),
 * with `noneBias` log-odds for NONE_CLASS: with little evidence the model leans to "not a Helm failure".
 */
export function scoreText(rt: ModelRuntime, text: string, temperature: number, noneBias = 0, lower = false): ModelScores {
  const k = rt.model.classes.length;
  const raw = new Float64Array(k);
  const none = rt.classIndex.get(NONE_CLASS);
  const size = rt.model.terms.length;
  const seen = new Uint8Array(size);
  const terms: number[] = [];
  const found = (id: number): void => {
    if (seen[id] === 0) {
      seen[id] = 1;
      terms.push(id);
    }
  };
  const tokens: string[] = [];
  for (const line of modelLines(text, lower)) {
    tokens.length = 0;
    lineTokens(line, tokens);
    let prev = -1;
    for (const t of tokens) {
      const id = rt.unigrams.get(t);
      if (id === undefined) {
        prev = -1;
        continue;
      }
      found(id);
      if (prev >= 0) {
        const bi = rt.bigrams.get(prev * size + id);
        if (bi !== undefined) found(bi);
      }
      prev = id;
    }
  }
  for (const id of terms) {
    const b = rt.bonus[id];
    if (b === undefined) continue;
    for (let j = 0; j < b.length; j += 2) {
      const c = b[j] ?? 0;
      raw[c] = (raw[c] ?? 0) + (b[j + 1] ?? 0);
    }
  }
  // Temperature grows with the evidence so a long paste does not make the posterior falsely certain.
  const tau = temperature * Math.sqrt(Math.max(1, terms.length));
  let max = -Infinity;
  // The head start of "not a Helm failure" is in posterior log-odds (after the temperature): the evidence
  // must outweigh it, and a text with few known terms cannot.
  const logit = new Float64Array(k);
  for (let c = 0; c < k; c++) logit[c] = (raw[c] ?? 0) / tau + (c === none ? noneBias : 0);
  for (let c = 0; c < k; c++) max = Math.max(max, logit[c] ?? 0);
  const posterior = new Float64Array(k);
  let sum = 0;
  for (let c = 0; c < k; c++) {
    const e = Math.exp((logit[c] ?? 0) - max);
    posterior[c] = e;
    sum += e;
  }
  for (let c = 0; c < k; c++) posterior[c] = (posterior[c] ?? 0) / sum;
  return { posterior, terms, raw };
}

/** The terms that most favour class `c` over class `rival`, strongest first. */
export function topTerms(rt: ModelRuntime, scores: ModelScores, c: number, rival: number, limit: number): ModelTerm[] {
  const out: ModelTerm[] = [];
  for (const id of scores.terms) {
    const b = rt.bonus[id];
    if (b === undefined) continue;
    let mine = 0;
    let theirs = 0;
    for (let j = 0; j < b.length; j += 2) {
      if (b[j] === c) mine = b[j + 1] ?? 0;
      else if (b[j] === rival) theirs = b[j + 1] ?? 0;
    }
    if (mine > theirs) out.push({ term: rt.model.terms[id] ?? '', weight: Math.round((mine - theirs) * 100) / 100 });
  }
  out.sort((a, b) => b.weight - a.weight || a.term.localeCompare(b.term));
  return out.slice(0, limit);
}
