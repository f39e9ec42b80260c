// Measures how much the statistical model should count: for each calibration (weight, floor, temperature)
// it diagnoses every labelled paste of the given folders and prints right / wrong / abstained / false
// diagnoses, so the choice in src/triage/limits.ts (DEFAULT_CALIBRATION) is a measured one. The cost that
// matters: a wrong answer (wrong playbook, or a diagnosis on a negative) is worse than an abstention.
// With --loo it also scores every playbook example with a model trained without that example.
// Usage: npx tsx scripts/calibrate.ts DIR... [--loo] [--playbooks DIR]
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { createPlaybookSet, loadPlaybooks, type PlaybookSet } from '../src/playbooks/load.js';
import { diagnose } from '../src/triage/diagnose.js';
import { DEFAULT_CALIBRATION, type Calibration } from '../src/triage/limits.js';

const indexSchema = z.array(z.object({ file: z.string(), label: z.string().nullable() }).loose());

interface Paste { text: string; label: string | null }
interface Tally { right: number; wrong: number; abstained: number; falseOnNegative: number; positives: number; negatives: number }

function tally(set: PlaybookSet, pastes: readonly Paste[], calibration: Calibration): Tally {
  const t: Tally = { right: 0, wrong: 0, abstained: 0, falseOnNegative: 0, positives: 0, negatives: 0 };
  for (const p of pastes) {
    const got = diagnose(p.text, set, { calibration }).playbook;
    if (p.label === null) {
      t.negatives++;
      if (got !== null) t.falseOnNegative++;
    } else {
      t.positives++;
      if (got === p.label) t.right++;
      else if (got === null) t.abstained++;
      else t.wrong++;
    }
  }
  return t;
}

function line(name: string, t: Tally): string {
  const pct = t.positives === 0 ? 0 : (100 * t.right) / t.positives;
  return `${name} ${pct.toFixed(1).padStart(5)}% right, ${String(t.wrong).padStart(2)} wrong, ${String(t.abstained).padStart(2)} abstained, ${String(t.falseOnNegative).padStart(2)}/${t.negatives} false`;
}

/** Every playbook example scored by a model trained without it (rules unchanged). */
function leaveOneOut(set: PlaybookSet, calibration: Calibration): Tally {
  const t: Tally = { right: 0, wrong: 0, abstained: 0, falseOnNegative: 0, positives: 0, negatives: 0 };
  const looks = set.lookalikes.map((l) => l.lookalike);
  set.playbooks.forEach((p, pi) => {
    p.examples.forEach((ex, ei) => {
      const without = set.playbooks.map((q, qi) => (qi === pi ? { ...q, examples: q.examples.filter((_, k) => k !== ei) } : q));
      const trained = createPlaybookSet(without, 'loo', { lookalikes: looks });
      const got = diagnose(ex.input, trained, { calibration }).playbook;
      if (ex.expect === null) {
        t.negatives++;
        if (got !== null) t.falseOnNegative++;
      } else {
        t.positives++;
        if (got === ex.expect) t.right++;
        else if (got === null) t.abstained++;
        else t.wrong++;
      }
    });
  });
  return t;
}

function main(): void {
  const args = process.argv.slice(2).filter((a) => a !== '--');
  const loo = args.includes('--loo');
  const pi = args.indexOf('--playbooks');
  const set = loadPlaybooks(pi >= 0 ? args[pi + 1] : undefined);
  const dirs = args.filter((a, i) => !a.startsWith('--') && (pi < 0 || i !== pi + 1));
  const folders = dirs.map((dir) => ({
    dir,
    pastes: indexSchema.parse(JSON.parse(readFileSync(join(dir, 'index.json'), 'utf8'))).map((e) => ({ text: readFileSync(join(dir, e.file), 'utf8'), label: e.label })),
  }));
  const grid: Calibration[] = [{ weight: 0, floor: 1, temperature: 1, noneBias: 0, minTerms: 0 }];
  const only = (v: number[], d: number): number[] => (args.includes('--quick') ? [d] : v);
  for (const temperature of only([0.5, 1, 1.5, 2], DEFAULT_CALIBRATION.temperature)) {
    for (const noneBias of [0, 1, 2, 3, 4]) {
      for (const weight of only([0.6, 0.7, 0.8], DEFAULT_CALIBRATION.weight)) {
        for (const floor of only([0.2, 0.3, 0.4, 0.5], DEFAULT_CALIBRATION.floor)) grid.push({ weight, floor, temperature, noneBias, minTerms: DEFAULT_CALIBRATION.minTerms });
      }
    }
  }
  for (const c of grid) {
    const mark = c.weight === DEFAULT_CALIBRATION.weight && c.floor === DEFAULT_CALIBRATION.floor && c.temperature === DEFAULT_CALIBRATION.temperature && c.noneBias === DEFAULT_CALIBRATION.noneBias ? '*' : ' ';
    const name = c.weight === 0 ? 'rules only                  ' : `w ${c.weight.toFixed(1)} floor ${c.floor.toFixed(1)} T ${c.temperature.toFixed(1)} none+${String(c.noneBias).padStart(2)}`;
    const parts = folders.map((f) => line(f.dir.split('/').filter(Boolean).pop() ?? f.dir, tally(set, f.pastes, c)));
    if (loo) parts.push(line('examples-loo', leaveOneOut(set, c)));
    console.log(`${mark}${name} | ${parts.join(' | ')}`);
  }
}

main();
