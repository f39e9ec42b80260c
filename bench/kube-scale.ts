// Proves the facade's list path streams: 50,000 Pods and 10,000 ReplicaSets served by the local
// API server, scanned page by page (500 per page) through the real client-node stack.
// Targets: scan ≤ 5 s, peak RSS of the scanning process ≤ 200 MB.
// The scan runs in a fresh child process as plain JavaScript (the facade transpiled with
// TypeScript, as in the production build), so its memory is measured alone: the in-memory server
// stays in this process, and tsx's loader overhead (~90 MB with client-node) is not counted.
import { relative } from 'node:path';
import { startKubeApiServer } from '../test/support/kube-api-server.js';
import { generateWorkloads } from '../test/support/scenario.js';
import type { ScanResult } from '../test/kube/scale-scan.js';
import { ROOT, listTs, runChild, transpileForChild } from './support/child-scan.js';

const PODS = 50_000;
const REPLICA_SETS = 10_000;
const PAGE = 500;
const NAMESPACE = 'scale';

const SOURCES = [...listTs('src/kube'), 'src/errors.ts'];

export async function run(): Promise<void> {
  const entry = transpileForChild('helm-triage-bench', SOURCES, 'test/kube/scale-scan.ts');
  const t0 = performance.now();
  const server = await startKubeApiServer({}, { objects: generateWorkloads({ namespace: NAMESPACE, pods: PODS, replicaSets: REPLICA_SETS, orphanEvery: 50 }) });
  const loadMs = performance.now() - t0;
  try {
    const { result: scan, parentCpuMs } = await runChild<ScanResult>(entry, 'KUBE_SCALE_SCAN', { url: server.url, token: server.token, namespace: NAMESPACE, pageSize: PAGE });
    const result = { ...scan.result, ...scan };
    const pages = server.requestCount - 1; // minus the warm-up /version
    console.log(`kube-scale: local server holds ${PODS} pods + ${REPLICA_SETS} replicasets (loaded in ${loadMs.toFixed(0)} ms)`);
    console.log(`kube-scale: scan ${(result.ms / 1000).toFixed(2)} s for ${result.pods + result.replicaSets} objects, ${pages} pages of ${PAGE} (${result.orphanReplicaSets} orphaned replicasets seen)`);
    console.log(`kube-scale: CPU ${(result.cpuMs / 1000).toFixed(2)} s in the scanning process, ${(parentCpuMs / 1000).toFixed(2)} s in the local server (wall time above depends on machine load)`);
    console.log(`kube-scale: scanning process RSS baseline ${result.baselineRssMb} MB → peak ${result.peakRssMb} MB; peak heap ${result.peakHeapMb} MB (targets: ≤ 5 s, ≤ 200 MB RSS)`);
    console.log(`kube-scale: (transpiled scan at ${relative(ROOT, entry)})`);
    if (result.pods !== PODS || result.replicaSets !== REPLICA_SETS) throw new Error('the scan saw the wrong number of objects');
  } finally {
    await server.close();
  }
}
