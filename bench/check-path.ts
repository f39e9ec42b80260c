// `helm-triage diagnose --check FILE` against the kubectl commands the playbook's runbook suggests, on the same
// local API server (its own process, HTTPS, 20 ms per request), for every founding scenario. Both sides run as a
// user runs them: fresh processes through bin/ and dist/ (`npm run build` first), with warm discovery caches.
// A runbook's `helm get/history/status` reads the release Secrets: it counts as the one `kubectl get secrets`
// list Helm sends. Floor when kubectl is missing: one GET per command from a plain Node process.
// Target (issue 12): ratio ≤ 1.0 for every founding scenario (aim 0.5).
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parse as parseYaml } from 'yaml';
import { ROOT } from './support/child-scan.js';
import { startKubeApiProcess, writeBenchKubeconfig } from './support/kube-api-process.js';
import { percentile } from './support/stats.js';

const LATENCY_MS = 20;
const RUNS = 5;
export const FOUNDING = ['lbc-class-confirmed', 'cluster-ip-confirmed', 'cleanup-noise-confirmed', 'persisted-values-confirmed', 'orphaned-pods-confirmed'];

interface Timed { ms: number; out: string }

function run(cmd: string, args: string[], env: NodeJS.ProcessEnv): Timed {
  const t0 = performance.now();
  const r = spawnSync(cmd, args, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  const ms = performance.now() - t0;
  return { ms, out: `${r.stdout.toString()}${r.status === 0 ? '' : `\n(exit ${String(r.status)}) ${r.stderr.toString().slice(0, 300)}`}` };
}

function hasKubectl(): boolean {
  return spawnSync('kubectl', ['version', '--client'], { stdio: 'ignore' }).status === 0;
}

/** The read-only kubectl commands of the diagnosis, as a person would paste them; helm reads become their Secret list. */
function kubectlSequence(diagnosisJson: string, facts: { release?: string; namespace?: string }): string[] {
  const d = JSON.parse(diagnosisJson) as { commands: Array<{ command: string; effect: string; missing?: string[] }> };
  const out: string[] = [];
  for (const c of d.commands) {
    if (c.effect !== 'read-only' || (c.missing?.length ?? 0) > 0 || c.command.includes('<')) continue;
    const cmd = c.command.trim();
    if (cmd.startsWith('kubectl ')) out.push(cmd);
    else if (/^helm (get|history|status)\b/.test(cmd) && facts.release) {
      out.push(`kubectl get secrets -n ${facts.namespace ?? 'default'} -l owner=helm,name=${facts.release}`);
    }
  }
  return out;
}

export interface CheckPathFigure { scenario: string; checkMs: number; floorMs: number; ratio: number; commands: number; requests: number; verdict: string }

export async function measureCheckPath(scenarios = FOUNDING, runs = RUNS): Promise<{ floor: string; figures: CheckPathFigure[] }> {
  if (!existsSync(join(ROOT, 'dist', 'playbooks.snapshot.json'))) throw new Error('run `npm run build` first (dist/)');
  const kubectl = hasKubectl();
  const dir = mkdtempSync(join(tmpdir(), 'ht-bench-check-'));
  const certFile = join(dir, 'cert.pem');
  const keyFile = join(dir, 'key.pem');
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1', '-keyout', keyFile, '-out', certFile], { stdio: 'ignore' });
  const figures: CheckPathFigure[] = [];
  try {
    for (const name of scenarios) {
      const file = join(ROOT, 'test', 'scenarios', `${name}.yaml`);
      const triage = (parseYaml(readFileSync(file, 'utf8')) as { triage: { text: string; facts: { release?: string; namespace?: string } } }).triage;
      const paste = join(dir, `${name}.txt`);
      writeFileSync(paste, triage.text);
      const server = await startKubeApiProcess(file, LATENCY_MS, { tls: { certFile, keyFile } });
      try {
        const kubeconfig = join(dir, `${name}.kubeconfig`);
        writeBenchKubeconfig(kubeconfig, server, certFile);
        const env = { ...process.env, KUBECONFIG: kubeconfig, HOME: dir, NO_COLOR: '1' };
        const cli = [join('bin', 'helm-triage.js'), 'diagnose', paste];
        const json = run(process.execPath, [...cli, '--json'], env).out;
        const sequence = kubectlSequence(json, triage.facts);
        const floorRun = (): number => {
          let total = 0;
          for (const cmd of sequence) {
            if (kubectl) total += run('sh', ['-c', cmd], env).ms;
            else total += run(process.execPath, ['-e', `fetch(${JSON.stringify(`${server.url}/version`)}).catch(() => {})`], { ...env, NODE_TLS_REJECT_UNAUTHORIZED: '0' }).ms;
          }
          return total;
        };
        // Warm-up: kubectl's discovery cache (under HOME), file caches.
        floorRun();
        const warm = run(process.execPath, [...cli, '--check'], env);
        const before = (await server.stats()).requestCount;
        run(process.execPath, [...cli, '--check'], env);
        const requests = (await server.stats()).requestCount - before;
        const checks: number[] = [];
        const floors: number[] = [];
        for (let i = 0; i < runs; i++) {
          checks.push(run(process.execPath, [...cli, '--check'], env).ms);
          floors.push(floorRun());
        }
        checks.sort((a, b) => a - b);
        floors.sort((a, b) => a - b);
        const checkMs = percentile(checks, 50);
        const floorMs = percentile(floors, 50);
        const verdict = /Cluster verdict: (\S+)/.exec(warm.out)?.[1] ?? 'none';
        figures.push({ scenario: name, checkMs, floorMs, ratio: checkMs / floorMs, commands: sequence.length, requests, verdict });
      } finally {
        await server.close();
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return { floor: kubectl ? 'kubectl' : 'one GET per command from node (kubectl not installed)', figures };
}

export async function run_(): Promise<void> {
  const { floor, figures } = await measureCheckPath();
  for (const f of figures) {
    console.log(`check-path: ${f.scenario}: diagnose --check ${f.checkMs.toFixed(0)} ms (${f.requests} API requests, verdict ${f.verdict}) vs ${f.commands} ${floor} commands ${f.floorMs.toFixed(0)} ms: ratio ${f.ratio.toFixed(2)}`);
  }
  const worst = Math.max(...figures.map((f) => f.ratio));
  console.log(`check-path: worst ratio ${worst.toFixed(2)} at ${LATENCY_MS} ms API latency, median of ${RUNS} (target ≤ 1.0, aim 0.5) ${worst <= 1 ? 'met' : 'NOT met'}`);
}

export { run_ as run };
