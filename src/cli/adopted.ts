// When the cluster promoted a candidate (src/triage/verdict.ts adoptVerdict), the diagnosis people read
// is the confirmed one: --json replaces the text-only fields, the text output prints it under its heading.
import { diagnosisJson } from '../render/json.js';
import { renderText } from '../render/text.js';
import type { Diagnosis } from '../triage/types.js';

/** The --json fields replaced by the adopted diagnosis (none when nothing was promoted). */
export function adoptedFields(original: Diagnosis, adopted: Diagnosis): Record<string, unknown> {
  if (adopted === original) return {};
  const { input: _input, ...fields } = diagnosisJson(adopted);
  void _input;
  return fields;
}

export function adoptedText(original: Diagnosis, adopted: Diagnosis, color: boolean): string {
  if (adopted === original) return '';
  return `\n${renderText(adopted, { color, heading: 'Diagnosis confirmed by the cluster', checked: true })}`;
}
