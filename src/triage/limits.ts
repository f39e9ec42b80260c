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
