// Cluster checks: (1) the orphaned-workloads scan over 50,000 Pods + 10,000 ReplicaSets served by
// the local API server (targets ≤ 5 s, ≤ 200 MB RSS), measured in a separate plain-JavaScript
// process so the in-memory server and tsx are not counted; (2) API requests per triage: each
// scenario's playbook checks against the local server, counted by the server.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { runChecks } from '../src/checks/run.js';
import type { KubeObject } from '../src/kube/types.js';
import { loadPlaybooks } from '../src/playbooks/load.js';
import type { Facts } from '../src/triage/types.js';
import type { CheckScanResult } from '../test/checks/scale-scan.js';
import { kubeFor, startKubeApiServer } from '../test/support/kube-api-server.js';
import { generateWorkloads, loadScenario } from '../test/support/scenario.js';
import { ROOT, listTs, runChild, transpileForChild } from './support/child-scan.js';

const PODS = 50_000;
const REPLICA_SETS = 10_000;
const ORPHAN_EVERY = 50;
const NAMESPACE = 'scale';

/** ReplicaSets and Pods, plus the Deployments that own all but every ORPHAN_EVERY-th ReplicaSet. */
function* scaleObjects(): Generator<KubeObject> {
  for (let i = 0; i < REPLICA_SETS; i++) {
    if (i % ORPHAN_EVERY === 0) continue;
    yield { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: `web-${i}`, namespace: NAMESPACE, uid: `deploy-${i}` } };
  }
  yield* generateWorkloads({ namespace: NAMESPACE, pods: PODS, replicaSets: REPLICA_SETS });
}

async function orphanScan(): Promise<void> {
  // The production code as plain JavaScript (like the build), plus the scan entry.
  const entry = transpileForChild('helm-triage-bench-checks', listTs('src'), 'test/checks/scale-scan.ts');
  const server = await startKubeApiServer({}, { objects: scaleObjects() });
  try {
    const { result: scan, parentCpuMs } = await runChild<CheckScanResult>(entry, 'CHECKS_SCALE_SCAN', { url: server.url, token: server.token, namespace: NAMESPACE });
    const result = { ...scan, finding: scan.result };
    const expected = REPLICA_SETS / ORPHAN_EVERY;
    console.log(`checks: orphaned-workloads over ${PODS} pods + ${REPLICA_SETS} replicasets: ${(result.ms / 1000).toFixed(2)} s wall, ${(result.cpuMs / 1000).toFixed(2)} s CPU in the checking process, ${(parentCpuMs / 1000).toFixed(2)} s CPU in the local server, ${server.requestCount - 1} API requests (wall time depends on machine load)`);
    console.log(`checks: checking process RSS baseline ${result.baselineRssMb} MB → peak ${result.peakRssMb} MB (targets: ≤ 5 s, ≤ 200 MB)`);
    console.log(`checks: finding ${result.finding.status}: ${result.finding.summary} (expected ${expected} orphaned replicasets)`);
    console.log(`checks: (transpiled scan at ${relative(ROOT, entry)})`);
    if (result.finding.learned?.['orphanedReplicaSets'] !== String(expected)) throw new Error('the scan found the wrong number of orphans');
  } finally {
    await server.close();
  }
}

async function requestsPerTriage(): Promise<void> {
  const playbooks = loadPlaybooks();
  const dir = join(ROOT, 'test', 'scenarios');
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
