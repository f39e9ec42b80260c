// The held-out pastes (test/fixtures/holdout) through the real loader and diagnose: a guard against
// tuning the playbooks to the dev corpus only. Labels: a playbook id, or null when the engine must abstain.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { loadPlaybooks, type PlaybookSet } from '../../src/playbooks/load.js';
import { diagnose } from '../../src/triage/diagnose.js';

const HOLDOUT_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'holdout');
const MIN_TOP1 = 0.95;

const indexSchema = z.array(z.object({ file: z.string().min(1), label: z.string().nullable() }));

interface Outcome {
  file: string;
  label: string | null;
  got: string | null;
  confidence: number;
}

function readIndex(): z.infer<typeof indexSchema> {
  return indexSchema.parse(JSON.parse(readFileSync(join(HOLDOUT_DIR, 'index.json'), 'utf8')));
}

function describeMiss(o: Outcome): string {
  return `${o.file}: expected ${o.label ?? 'none'}, got ${o.got ?? 'none'}${o.got === null ? '' : ` (${o.confidence.toFixed(2)})`}`;
}

describe('holdout pastes', () => {
  let set: PlaybookSet;
  let outcomes: Outcome[];

  beforeAll(() => {
    set = loadPlaybooks();
    outcomes = readIndex().map((entry) => {
      const d = diagnose(readFileSync(join(HOLDOUT_DIR, entry.file), 'utf8'), set);
      return { file: entry.file, label: entry.label, got: d.playbook, confidence: d.confidence };
    });
  });

  it('has labels that name shipped playbooks, and positives for every playbook (held out, or its own examples)', () => {
    const ids = new Set(set.playbooks.map((p) => p.id));
    const unknown = outcomes.filter((o) => o.label !== null && !ids.has(o.label)).map((o) => `${o.file}: ${o.label ?? ''}`);
    expect(unknown).toEqual([]);
    // A new playbook is one file: its examples are its tests until someone adds held-out pastes for it,
    // and then it needs more than the two positives every playbook has (test/playbooks/examples.test.ts).
    const covered = new Set(outcomes.flatMap((o) => (o.label === null ? [] : [o.label])));
    const ownPositives = (id: string): number => set.get(id)?.examples.filter((e) => e.expect === id).length ?? 0;
    expect([...ids].filter((id) => !covered.has(id) && ownPositives(id) < 3)).toEqual([]);
    expect(outcomes.filter((o) => o.label === null).length).toBeGreaterThanOrEqual(20);
  });

  it(`diagnoses at least ${MIN_TOP1 * 100}% of the labelled pastes with the right playbook (top-1)`, () => {
    const labelled = outcomes.filter((o) => o.label !== null);
    const right = labelled.filter((o) => o.got === o.label);
    const accuracy = right.length / labelled.length;
    const misses = labelled.filter((o) => o.got !== o.label).map(describeMiss);
    // The misses are in the message so a failing run says which pastes to look at.
    expect({ accuracy: accuracy >= MIN_TOP1 ? 'ok' : accuracy.toFixed(3), misses: accuracy >= MIN_TOP1 ? [] : misses }).toEqual({
      accuracy: 'ok',
      misses: [],
    });
  });

  it('makes no diagnosis on pastes that are not a known Helm failure', () => {
    const falseDiagnoses = outcomes.filter((o) => o.label === null && o.got !== null).map(describeMiss);
    expect(falseDiagnoses).toEqual([]);
  });
});
