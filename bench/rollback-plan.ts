// `helm-triage rollback-plan` on a big release: 50 revisions, 2,000 objects in each manifest (ConfigMaps,
// Services, Deployments, ServiceAccounts, Secrets), all live, on the local API server in its own process
// (HTTPS, 20 ms per request, as bench/check-path.ts). Revision 49 differs from 50 in 400 Deployment images,
// 10 ConfigMaps and one user-supplied value, so the plan has real work (diff, predictions) to do.
// Figures: the CLI's wall time as a user runs it (fresh process through bin/ and dist/: `npm run build`
// first; skipped without it), the planner's own time in this process (fresh client each run), the API
// requests of one plan, and the ratio to floors measured in the same run: one kubectl request round
// (`kubectl get secrets -l owner=helm,name=…`, what `helm history` reads) and kubectl listing the release's
// live objects. Without kubectl the floor is one GET round from node. Target: wall time ≤ 2 s.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createReadOnlyKube } from '../src/kube/config.js';
import type { RollbackPlan } from '../src/model/rollback.js';
import { planRollback } from '../src/rollback/plan.js';
import { ROOT } from './support/child-scan.js';
import { startKubeApiProcess, writeBenchKubeconfig } from './support/kube-api-process.js';
import { percentile } from './support/stats.js';
import { stringify as toYaml } from 'yaml';

const LATENCY_MS = 20;
const RUNS = 5;
const REVISIONS = 50;
const RELEASE = 'bench-app';
const NS = 'bench';
const TARGET_MS = 2_000;
/** Kinds of the manifest and how many of each (2,000 in all). */
const KINDS = [
  { apiVersion: 'v1', kind: 'ConfigMap', plural: 'configmaps', n: 800 },
  { apiVersion: 'v1', kind: 'Service', plural: 'services', n: 400 },
  { apiVersion: 'apps/v1', kind: 'Deployment', plural: 'deployments', n: 400 },
  { apiVersion: 'v1', kind: 'ServiceAccount', plural: 'serviceaccounts', n: 200 },
  { apiVersion: 'v1', kind: 'Secret', plural: 'secrets', n: 200 },
] as const;
const EXTRA_CONFIGMAPS = 10;

type Obj = Record<string, unknown>;

function object(kind: (typeof KINDS)[number], i: number, revision: number): Obj {
  const name = `${kind.plural.slice(0, -1)}-${i}`;
  const labels = { 'app.kubernetes.io/name': `svc-${i % 50}`, 'app.kubernetes.io/instance': RELEASE, 'app.kubernetes.io/managed-by': 'Helm', 'helm.sh/chart': `bench-app-1.${revision}.0` };
  const metadata = { name, labels };
  switch (kind.kind) {
    case 'ConfigMap': return { apiVersion: 'v1', kind: 'ConfigMap', metadata, data: { 'app.properties': `feature.${i}=on\nlevel=info\n`, index: String(i) } };
    case 'Service': return { apiVersion: 'v1', kind: 'Service', metadata, spec: { selector: { 'app.kubernetes.io/name': `svc-${i % 50}` }, ports: [{ port: 80, targetPort: 8080 }] } };
    case 'Deployment': {
      const sel = { 'app.kubernetes.io/name': `dep-${i}` };
      // Revision 49 runs the previous image: 400 objects change.
      return { apiVersion: 'apps/v1', kind: 'Deployment', metadata, spec: { replicas: 2, selector: { matchLabels: sel }, template: { metadata: { labels: sel }, spec: { containers: [{ name: 'app', image: `registry.example/app-${i}:1.${revision >= REVISIONS ? 1 : 0}.0`, ports: [{ containerPort: 8080 }] }] } } } };
    }
    case 'ServiceAccount': return { apiVersion: 'v1', kind: 'ServiceAccount', metadata };
    case 'Secret': return { apiVersion: 'v1', kind: 'Secret', metadata, type: 'Opaque', stringData: { password: `not-a-password-${i}` } };
  }
}

function manifestOf(revision: number): { yaml: string; objects: Obj[] } {
  const objects: Obj[] = [];
  for (const k of KINDS) for (let i = 0; i < k.n; i++) objects.push(object(k, i, revision));
  // The current revision adds ConfigMaps the target lacks (the rollback deletes them).
  if (revision === REVISIONS) for (let i = 0; i < EXTRA_CONFIGMAPS; i++) objects.push({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `extra-${i}` }, data: { on: 'yes' } });
  // Block-style YAML, as Helm renders it; objects differ between revisions in their helm.sh/chart label too.
  const yaml = objects.map((o) => `---\n# Source: bench-app/templates/${String(o.kind).toLowerCase()}.yaml\n${toYaml(o)}`).join('');
  return { yaml, objects };
}

export function scenario(): Obj {
  const objects: Obj[] = [];
  const current = manifestOf(REVISIONS);
  const other = manifestOf(REVISIONS - 1);
  for (let r = 1; r <= REVISIONS; r++) {
    const m = r === REVISIONS ? current : other;
    objects.push({
      helmRelease: {
        name: RELEASE, namespace: NS, revision: r, status: r === REVISIONS ? 'deployed' : 'superseded',
        chart: { name: 'bench-app', version: `1.${r}.0` },
        config: { image: { tag: r === REVISIONS ? '1.1.0' : '1.0.0' }, db: { password: 'bench-s3cret' } },
        manifest: m.yaml,
      },
    });
  }
  // What revision 50 applied is live, with Helm's ownership annotations.
  for (const o of current.objects) {
    const meta = o.metadata as Obj;
    const { stringData: _s, ...rest } = o;
    void _s;
    objects.push({ ...rest, metadata: { ...meta, namespace: NS, annotations: { 'meta.helm.sh/release-name': RELEASE, 'meta.helm.sh/release-namespace': NS } }, ...(o.kind === 'Secret' ? { data: { password: 'eA==' } } : {}) });
  }
  return { description: 'bench: 50 revisions, 2,000 objects', objects };
}

interface Timed { ms: number; out: string; code: number | null }

function run(cmd: string, args: string[], env: NodeJS.ProcessEnv): Timed {
  const t0 = performance.now();
  const r = spawnSync(cmd, args, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 * 1024 * 1024 });
  return { ms: performance.now() - t0, out: `${r.stdout.toString()}${r.status === 0 ? '' : `\n(exit ${String(r.status)}) ${r.stderr.toString().slice(0, 300)}`}`, code: r.status };
}

const median = (xs: number[]): number => percentile([...xs].sort((a, b) => a - b), 50);

export async function run_(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'ht-bench-rollback-'));
  try {
    const file = join(dir, 'scenario.json');
    const t0 = performance.now();
    writeFileSync(file, JSON.stringify(scenario()));
    const certFile = join(dir, 'cert.pem');
    const keyFile = join(dir, 'key.pem');
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1', '-keyout', keyFile, '-out', certFile], { stdio: 'ignore' });
    const server = await startKubeApiProcess(file, LATENCY_MS, { tls: { certFile, keyFile } });
    console.log(`rollback-plan: scenario of ${REVISIONS} revisions × ${KINDS.reduce((n, k) => n + k.n, 0)} objects (+${EXTRA_CONFIGMAPS} in the current one) ready in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    try {
      const kubeconfig = join(dir, 'kubeconfig');
      writeBenchKubeconfig(kubeconfig, server, certFile);
      const env = { ...process.env, KUBECONFIG: kubeconfig, HOME: dir, NO_COLOR: '1' };
      const args = ['rollback-plan', RELEASE, String(REVISIONS - 1), '-n', NS, '--json'];

      // The planner in this process: a fresh client (cold discovery, new TLS connections) per run.
      const inProcess: number[] = [];
      let plan: RollbackPlan | undefined;
      let requests = 0;
      for (let i = 0; i <= RUNS; i++) {
        const kube = createReadOnlyKube({ kubeconfigPath: kubeconfig, env: {} });
        const before = (await server.stats()).requestCount;
        const t = performance.now();
        plan = await planRollback(kube, { release: RELEASE, namespace: NS, revision: REVISIONS - 1 }, { signal: AbortSignal.timeout(60_000) });
        const ms = performance.now() - t;
        requests = (await server.stats()).requestCount - before;
        if (i > 0) inProcess.push(ms); // the first run warms the JIT
      }
      if (!plan) throw new Error('no plan');
      console.log(`rollback-plan: verdict ${plan.verdict.kind} (${plan.predictions.map((p) => p.kind).join(', ') || 'no predictions'}); diff ${plan.diff?.objects.length ?? 0} objects differ, ${plan.diff?.unchanged ?? 0} unchanged; ${requests} API requests (the plan counted ${plan.requests})`);

      const cliBuilt = existsSync(join(ROOT, 'dist', 'cli', 'rollback-plan.js'));
      const cli: number[] = [];
      if (cliBuilt) {
        run(process.execPath, [join('bin', 'helm-triage.js'), ...args], env);
        for (let i = 0; i < RUNS; i++) {
          const r = run(process.execPath, [join('bin', 'helm-triage.js'), ...args], env);
          if (r.code !== 0) throw new Error(`the CLI failed: ${r.out.slice(-400)}`);
          cli.push(r.ms);
        }
      }

      const kubectl = spawnSync('kubectl', ['version', '--client'], { stdio: 'ignore' }).status === 0;
      const roundFloor: number[] = [];
      const objectsFloor: number[] = [];
      const kinds = KINDS.map((k) => k.plural).join(',');
      if (kubectl) {
        run('kubectl', ['get', kinds, '-n', NS, '-o', 'name'], env); // warm kubectl's discovery cache (under HOME)
        for (let i = 0; i < RUNS; i++) {
          roundFloor.push(run('kubectl', ['get', 'secrets', '-n', NS, '-l', `owner=helm,name=${RELEASE}`, '-o', 'name'], env).ms);
          objectsFloor.push(run('kubectl', ['get', kinds, '-n', NS, '-o', 'name'], env).ms);
        }
      } else {
        for (let i = 0; i < RUNS; i++) roundFloor.push(run(process.execPath, ['-e', `fetch(${JSON.stringify(`${server.url}/version`)}).catch(() => {})`], { ...env, NODE_TLS_REJECT_UNAUTHORIZED: '0' }).ms);
      }
      const floorName = kubectl ? 'one kubectl request round (kubectl get secrets -l owner=helm,…)' : 'one GET round from a node process (kubectl not installed)';
      const floor = median(roundFloor);
      const planMs = median(inProcess);
      console.log(`rollback-plan: planner in process ${planMs.toFixed(0)} ms (median of ${RUNS}, fresh client each)`);
      if (cliBuilt) {
        const wall = median(cli);
        console.log(`rollback-plan: helm-triage ${args.join(' ')}: wall ${wall.toFixed(0)} ms (median of ${RUNS}, fresh process) vs ${floorName} ${floor.toFixed(0)} ms: ratio ${(wall / floor).toFixed(1)}`);
        if (kubectl) console.log(`rollback-plan: vs kubectl get ${kinds} -n ${NS} (the live objects alone) ${median(objectsFloor).toFixed(0)} ms: ratio ${(wall / median(objectsFloor)).toFixed(2)}`);
        console.log(`rollback-plan: target wall ≤ ${TARGET_MS} ms at ${LATENCY_MS} ms per request: ${wall <= TARGET_MS ? 'met' : 'NOT met'}`);
      } else {
        console.log(`rollback-plan: planner ${planMs.toFixed(0)} ms vs ${floorName} ${floor.toFixed(0)} ms: ratio ${(planMs / floor).toFixed(1)}; run \`npm run build\` for the CLI's wall time`);
      }
      const writes = (await server.stats()).writeAttempts;
      if (writes > 0) throw new Error(`${writes} write(s) reached the API server`);
    } finally {
      await server.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export { run_ as run };
