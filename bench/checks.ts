// Cluster checks: (1) the orphaned-workloads scan over 50,000 Pods + 10,000 ReplicaSets served by
// the local API server (targets ≤ 5 s, ≤ 200 MB RSS), measured in a separate plain-JavaScript
// process so the in-memory server and tsx are not counted; (2) API requests per triage: each
// scenario's playbook checks against the local server, counted by the server.
import { fork } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { parse as parseYaml } from 'yaml';
import { runChecks } from '../src/checks/run.js';
import type { KubeObject } from '../src/kube/types.js';
import { loadPlaybooks } from '../src/playbooks/load.js';
import type { Facts } from '../src/triage/types.js';
import type { CheckScanResult } from '../test/checks/scale-scan.js';
import { kubeFor, startKubeApiServer } from '../test/support/kube-api-server.js';
import { generateWorkloads, loadScenario } from '../test/support/scenario.js';

const PODS = 50_000;
const REPLICA_SETS = 10_000;
const ORPHAN_EVERY = 50;
const NAMESPACE = 'scale';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
// Inside node_modules so the transpiled files resolve packages from the project.
const outDir = join(root, 'node_modules', '.cache', 'helm-triage-bench-checks');

function listTs(dir: string): string[] {
  return readdirSync(join(root, dir), { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? listTs(join(dir, e.name)) : e.name.endsWith('.ts') && !e.name.endsWith('.d.ts') ? [join(dir, e.name)] : []);
}

/** The production code as plain JavaScript (like the build), plus the scan entry. */
function transpile(): string {
  for (const file of [...listTs('src'), 'test/checks/scale-scan.ts']) {
    const out = ts.transpileModule(readFileSync(join(root, file), 'utf8'), {
      compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext, verbatimModuleSyntax: false },
      fileName: file,
    });
    const target = join(outDir, file.replace(/\.ts$/, '.js'));
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, out.outputText);
  }
  writeFileSync(join(outDir, 'package.json'), '{"type":"module"}\n');
  return join(outDir, 'test/checks/scale-scan.js');
}

/** ReplicaSets and Pods, plus the Deployments that own all but every ORPHAN_EVERY-th ReplicaSet. */
function* scaleObjects(): Generator<KubeObject> {
  for (let i = 0; i < REPLICA_SETS; i++) {
    if (i % ORPHAN_EVERY === 0) continue;
    yield { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: `web-${i}`, namespace: NAMESPACE, uid: `deploy-${i}` } };
  }
  yield* generateWorkloads({ namespace: NAMESPACE, pods: PODS, replicaSets: REPLICA_SETS });
}

async function orphanScan(): Promise<void> {
  const entry = transpile();
  const server = await startKubeApiServer({}, { objects: scaleObjects() });
  try {
    const child = fork(entry, [], {
      execArgv: [],
      env: { ...process.env, CHECKS_SCALE_SCAN: JSON.stringify({ url: server.url, token: server.token, namespace: NAMESPACE }) },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    const serverCpu0 = process.cpuUsage();
    const result = await new Promise<CheckScanResult>((resolve, reject) => {
      child.once('message', (m) => resolve(m as CheckScanResult));
      child.once('error', reject);
      child.once('exit', (code) => reject(new Error(`scan process exited with ${code} before reporting`)));
    });
    const serverCpu = process.cpuUsage(serverCpu0);
    const expected = REPLICA_SETS / ORPHAN_EVERY;
    console.log(`checks: orphaned-workloads over ${PODS} pods + ${REPLICA_SETS} replicasets: ${(result.ms / 1000).toFixed(2)} s wall, ${(result.cpuMs / 1000).toFixed(2)} s CPU in the checking process, ${((serverCpu.user + serverCpu.system) / 1e6).toFixed(2)} s CPU in the local server, ${server.requestCount - 1} API requests (wall time depends on machine load)`);
    console.log(`checks: checking process RSS baseline ${result.baselineRssMb} MB → peak ${result.peakRssMb} MB (targets: ≤ 5 s, ≤ 200 MB)`);
    console.log(`checks: finding ${result.finding.status}: ${result.finding.summary} (expected ${expected} orphaned replicasets)`);
    console.log(`checks: (transpiled scan at ${relative(root, entry)})`);
    if (result.finding.learned?.['orphanedReplicaSets'] !== String(expected)) throw new Error('the scan found the wrong number of orphans');
  } finally {
    await server.close();
  }
}

async function requestsPerTriage(): Promise<void> {
  const playbooks = loadPlaybooks();
  const dir = join(root, 'test', 'scenarios');
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.yaml')).sort()) {
    const triage = (parseYaml(readFileSync(join(dir, file), 'utf8')) as { triage: { playbook: string; facts: Facts } }).triage;
    const checks = playbooks.get(triage.playbook)?.checks ?? [];
    const server = await startKubeApiServer(loadScenario(join(dir, file)));
    try {
      const t0 = performance.now();
      const findings = await runChecks({ checks, facts: triage.facts, kube: kubeFor(server), signal: AbortSignal.timeout(30_000) });
      const ms = performance.now() - t0;
      const statuses = findings.map((f) => `${f.check}=${f.status}`).join(' ');
      console.log(`checks: ${triage.playbook} (${file}): ${server.requestCount} API requests, ${ms.toFixed(0)} ms — ${statuses}`);
    } finally {
      await server.close();
    }
  }
}

export async function run(): Promise<void> {
  await orphanScan();
  await requestsPerTriage();
}
