// Builds the statistical model from the validated playbooks and lookalikes: a pure function of the YAML, so
// adding examples to a playbook improves recognition with no code change, and the result (plain JSON data)
// can be computed at build time and snapshotted.
import { NONE_CLASS, trainModel, type TrainingDoc, type TriageModel } from '../triage/model.js';
import type { Lookalike, Playbook } from './schema.js';

/** The class of a playbook's near misses: its examples that must abstain. */
export function nearMissClass(playbookId: string): string {
  return `${NONE_CLASS} ${playbookId}`;
}

/**
 * The training documents: every example under the class it expects; a playbook's abstaining examples under
 * that playbook's near-miss class (so they weigh against it as much as its positives weigh for it);
 * lookalike texts under their lookalike.
 */
export function modelDocuments(playbooks: readonly Playbook[], lookalikes: readonly Lookalike[]): TrainingDoc[] {
  const known = new Set(playbooks.map((p) => p.id));
  const docs: TrainingDoc[] = [];
  for (const p of playbooks) {
    for (const ex of p.examples) {
      const label = ex.expect === null ? nearMissClass(p.id) : known.has(ex.expect) ? ex.expect : undefined;
      if (label !== undefined) docs.push({ label, text: ex.input });
    }
  }
  for (const l of lookalikes) for (const ex of l.examples) docs.push({ label: l.id, text: ex.input });
  return docs;
}

/** The model of a playbook set: the entry point for a build-time snapshot. */
export function buildTriageModel(playbooks: readonly Playbook[], lookalikes: readonly Lookalike[] = []): TriageModel {
  return trainModel(modelDocuments(playbooks, lookalikes), [...playbooks.map((p) => p.id), ...lookalikes.map((l) => l.id), NONE_CLASS]);
}
