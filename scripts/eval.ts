// Evaluate the engine on a labelled folder: DIR/index.json = [{ file, label }] (label null = must abstain).
// Prints per-class precision/recall, top-1 accuracy, false diagnoses on negatives and a confusion list.
// Usage: npm run eval -- DIR [--playbooks DIR] [--verbose]
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { loadPlaybooks } from '../src/playbooks/load.js';
import { diagnose } from '../src/triage/diagnose.js';

const indexSchema = z.array(z.object({ file: z.string(), label: z.string().nullable() }).loose());

interface Row { file: string; label: string | null; got: string | null; confidence: number; second: string | null; by: string | null; lookalike: string | null }

function parseArgs(argv: string[]): { dir: string; playbooks?: string; verbose: boolean } {
  const args = argv.filter((a) => a !== '--');
  let dir: string | undefined;
  let playbooks: string | undefined;
  let verbose = false;
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '--playbooks') playbooks = args[++i];
    else if (a === '--verbose' || a === '-v') verbose = true;
    else if (a !== undefined && !a.startsWith('-')) dir = a;
  }
  if (dir === undefined) {
    console.error('usage: npm run eval -- DIR [--playbooks DIR] [--verbose]   (DIR holds index.json and the pastes)');
    process.exit(2);
  }
  const out: { dir: string; playbooks?: string; verbose: boolean } = { dir, verbose };
  if (playbooks !== undefined) out.playbooks = playbooks;
  return out;
}

function pct(n: number, d: number): string {
  return d === 0 ? '  n/a' : `${((100 * n) / d).toFixed(1).padStart(5)}%`;
}

function main(): void {
  const opts = parseArgs(process.argv.slice(2));
  const set = loadPlaybooks(opts.playbooks);
  const index = indexSchema.parse(JSON.parse(readFileSync(join(opts.dir, 'index.json'), 'utf8')));
  const rows: Row[] = [];
  for (const entry of index) {
    const text = readFileSync(join(opts.dir, entry.file), 'utf8');
    const d = diagnose(text, set);
    const second = d.matches.find((m) => m.playbook !== d.playbook)?.playbook ?? null;
    rows.push({ file: entry.file, label: entry.label, got: d.playbook, confidence: d.confidence, second, by: d.decision?.decidedBy ?? null, lookalike: d.decision?.lookalike?.id ?? null });
  }
  const classes = [...new Set(rows.flatMap((r) => [r.label, r.got]).filter((x): x is string => x !== null))].sort();
  console.log(`eval: ${rows.length} pastes, ${set.playbooks.length} playbooks from ${set.source}\n`);
  console.log(`${'class'.padEnd(34)} ${'n'.padStart(3)} ${'prec'.padStart(6)} ${'recall'.padStart(6)}`);
  for (const c of classes) {
    const tp = rows.filter((r) => r.label === c && r.got === c).length;
    const predicted = rows.filter((r) => r.got === c).length;
    const actual = rows.filter((r) => r.label === c).length;
    console.log(`${c.padEnd(34)} ${String(actual).padStart(3)} ${pct(tp, predicted)} ${pct(tp, actual)}`);
  }
  const wrong = rows.filter((r) => r.got !== r.label);
  if (wrong.length > 0) {
    console.log('\nconfusion (expected → got):');
    for (const r of wrong) {
      console.log(`  ${r.file}: ${r.label ?? 'none'} → ${r.got ?? 'none'}${r.got ? ` (${r.confidence.toFixed(2)})` : ''}${r.second ? ` [next: ${r.second}]` : ''}`);
    }
  }
  if (opts.verbose) {
    console.log('\nall:');
    for (const r of rows) console.log(`  ${r.got === r.label ? 'ok ' : 'BAD'} ${r.file}: ${r.got ?? 'none'} ${r.confidence.toFixed(2)}`);
  }
  const correct = rows.filter((r) => r.got === r.label).length;
  const positives = rows.filter((r) => r.label !== null);
  const top1 = positives.filter((r) => r.got === r.label).length;
  const negatives = rows.filter((r) => r.label === null);
  const falseOnNeg = negatives.filter((r) => r.got !== null).length;
  const misdiagnosed = positives.filter((r) => r.got !== null && r.got !== r.label).length;
  const abstainedPos = positives.filter((r) => r.got === null).length;
  console.log('');
  console.log(`top-1 accuracy (labelled): ${top1}/${positives.length} = ${pct(top1, positives.length).trim()}`);
  console.log(`false diagnoses on negatives: ${falseOnNeg}/${negatives.length}; wrong class on labelled: ${misdiagnosed}; abstained on labelled: ${abstainedPos}`);
  console.log(`overall: ${correct}/${rows.length} = ${pct(correct, rows.length).trim()}`);
  const by = (b: string): string => {
    const decided = rows.filter((r) => r.by === b);
    return `${b} ${decided.length} (${decided.filter((r) => r.got === r.label).length} right)`;
  };
  console.log(`decided by: ${['rules', 'rules+model', 'model'].map(by).join(', ')}; abstained as a lookalike: ${rows.filter((r) => r.got === null && r.lookalike !== null).length} (${rows.filter((r) => r.got === null && r.lookalike !== null && r.label === null).length} of them negatives)`);
}

main();
