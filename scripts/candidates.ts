// Measures the candidate floor and top-k of src/triage/candidates.ts on a labelled folder (DIR/index.json
// = [{ file, label }]): for each floor and k, how many texts the text engine gets wrong or abstains on
// have their true class among the checked candidates (the cluster can then decide), and how many extra
// playbooks would be checked in all, on negatives, and of the wrong class (the API requests they cost).
// Usage: npx tsx scripts/candidates.ts DIR
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadPlaybooks } from '../src/playbooks/load.js';
import { CANDIDATE_FLOOR, MAX_CANDIDATES, planChecks } from '../src/triage/candidates.js';
import { diagnose } from '../src/triage/diagnose.js';

const dir = process.argv.slice(2).find((a) => a !== '--');
if (dir === undefined) {
  console.error('usage: npx tsx scripts/candidates.ts DIR   (DIR holds index.json and the pastes)');
  process.exit(2);
}
const set = loadPlaybooks();
const index = JSON.parse(readFileSync(join(dir, 'index.json'), 'utf8')) as Array<{ file: string; label: string | null }>;
const rows = index.map((e) => ({ label: e.label, d: diagnose(readFileSync(join(dir, e.file), 'utf8'), set) }));
const missed = rows.filter((r) => r.d.playbook !== r.label && r.label !== null);
console.log(`${rows.length} texts; the text engine misses ${missed.length} Helm failures (wrong or abstained); current floor ${CANDIDATE_FLOOR}, k ${MAX_CANDIDATES}\n`);
console.log('floor  k  misses-recoverable  texts-with-extra  extra-playbooks  on-negatives  wrong-class');
for (const floor of [0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45]) {
  for (const k of [2, 3, 4]) {
    let recoverable = 0;
    let texts = 0;
    let extra = 0;
    let negatives = 0;
    let wrong = 0;
    for (const r of rows) {
      const others = planChecks(r.d, set, { floor, max: k }).candidates.filter((c) => !c.primary);
      if (others.length > 0) texts++;
      extra += others.length;
      if (r.label === null) negatives += others.length;
      wrong += others.filter((c) => c.playbook !== r.label).length;
      if (r.label !== null && r.d.playbook !== r.label && others.some((c) => c.playbook === r.label)) recoverable++;
    }
    console.log(`${floor.toFixed(2).padStart(5)} ${String(k).padStart(2)} ${String(recoverable).padStart(19)} ${String(texts).padStart(17)} ${String(extra).padStart(16)} ${String(negatives).padStart(13)} ${String(wrong).padStart(12)}`);
  }
}
