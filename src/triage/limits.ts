// Numbers the pipeline agrees on, in one place.
export { MAX_INPUT_BYTES, MATCH_LINE_CAP } from './normalize.js';

/** Below this score the engine abstains: a wrong diagnosis costs more than none. */
export const DEFAULT_MIN_CONFIDENCE = 0.5;
/** Evidence lines kept per signal and per match (the reply has little room). */
export const EVIDENCE_PER_SIGNAL = 2;
export const EVIDENCE_PER_MATCH = 6;
/** Evidence text is cut to this many characters. */
export const EVIDENCE_TEXT_CAP = 300;
/** Matches listed in a diagnosis. */
export const MAX_MATCHES = 5;

// The statistical signal (src/triage/model.ts, combined in src/triage/combine.ts). Chosen by measurement
// (scripts/calibrate.ts): a wrong answer must stay rarer than an abstention.
export interface Calibration {
  /** Most the model adds to a candidate's noisy-OR (at posterior 1). */
  weight: number;
  /** Posteriors at or below this add nothing. */
  floor: number;
  /** Softmax temperature per √(terms found); higher flattens the posterior. */
  temperature: number;
  /** Log-score head start of "not a Helm failure": short texts with little evidence stay abstentions. */
  noneBias: number;
  /** The model adds nothing when it knows fewer distinct terms (unigrams and bigrams) of the text. */
  minTerms: number;
}
export const DEFAULT_CALIBRATION: Readonly<Calibration> = Object.freeze({ weight: 0.7, floor: 0.3, temperature: 1, noneBias: 3, minTerms: 8 });
/** A rule score this high (on a non-noise match) settles the text: the model is not consulted. */
export const RULES_DECISIVE = 0.9;
/** N-grams shown per match to explain the model's part. */
export const MODEL_TERMS_PER_MATCH = 5;
