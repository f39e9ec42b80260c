// CLI start-up: `helm-triage diagnose FILE` (text only) through bin/ and dist/, as a user runs it, against the
// floor of bare `node -e 0`, both measured in this run, interleaved so machine load hits both alike.
// Targets (issue 12): ≤ 0.30 s wall and ≤ 2× bare Node. Needs `npm run build` (the playbook snapshot in dist/).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { percentile } from './support/stats.js';
import { ROOT } from './support/child-scan.js';

const RUNS = 15;

function wallMs(args: string[]): number {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1' } });
  const ms = performance.now() - t0;
  if (r.status !== 0) throw new Error(`${args.join(' ')} exited ${String(r.status)}: ${r.stderr.toString().slice(0, 300)}`);
  return ms;
}

export interface StartupFigures { bareMs: number; diagnoseMs: number; ratio: number }

export function measureStartup(runs = RUNS): StartupFigures {
  if (!existsSync(join(ROOT, 'dist', 'playbooks.snapshot.json'))) throw new Error('run `npm run build` first (dist/ and its playbook snapshot)');
  const example = join('examples', 'rollback-load-balancer-class.txt');
  const cli = [join('bin', 'helm-triage.js'), 'diagnose', example];
  const bare: number[] = [];
  const diag: number[] = [];
  wallMs(cli); // warm the file cache
  for (let i = 0; i < runs; i++) {
    bare.push(wallMs(['-e', '0']));
    diag.push(wallMs(cli));
  }
  bare.sort((a, b) => a - b);
  diag.sort((a, b) => a - b);
  const bareMs = percentile(bare, 50);
  const diagnoseMs = percentile(diag, 50);
  return { bareMs, diagnoseMs, ratio: diagnoseMs / bareMs };
}

export async function run(): Promise<void> {
  const f = measureStartup();
  console.log(`startup: helm-triage diagnose FILE ${f.diagnoseMs.toFixed(0)} ms median of ${RUNS}; floor bare node -e 0 ${f.bareMs.toFixed(0)} ms; ratio ${f.ratio.toFixed(2)} (targets: ≤ 300 ms, ratio ≤ 2.0) ${f.diagnoseMs <= 300 && f.ratio <= 2 ? 'met' : 'NOT met'}`);
}
