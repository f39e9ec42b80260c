// STUB (skeleton): the triage-core work replaces the body; the signature is the contract.
import type { PlaybookSet } from '../playbooks/load.js';
import type { Diagnosis, Facts } from './types.js';

export interface DiagnoseOptions {
  /** Facts given explicitly (slash-command --release/--namespace) win over extracted ones. */
  overrides?: Partial<Facts>;
  /** Below this, abstain (playbook: null). */
  minConfidence?: number;
}

export function diagnose(text: string, _playbooks: PlaybookSet, _options: DiagnoseOptions = {}): Diagnosis {
  return {
    playbook: null, title: null, confidence: 0, facts: {}, rootCause: null, commands: [], matches: [], checks: [], notes: [],
    input: { bytes: Buffer.byteLength(text), lines: text.split('\n').length, truncated: false, redactions: 0, binary: false },
    text,
  };
}
