// Child process of bench/kube-scale.ts (not a test): scans Pods and ReplicaSets through the facade
// and reports time and memory over IPC. Runs as plain JavaScript, so it imports only the facade.
import { KubeConfig } from '@kubernetes/client-node';
import { KubeClient } from '../../src/kube/client.js';

export interface ScanResult {
  pods: number;
  replicaSets: number;
  orphanReplicaSets: number;
  ms: number;
  /** CPU time of the scanning process (user + system), which machine load does not inflate. */
  cpuMs: number;
  baselineRssMb: number;
  peakRssMb: number;
  peakHeapMb: number;
}

const mb = (bytes: number): number => Math.round((bytes / 1024 / 1024) * 10) / 10;

export async function scan(url: string, token: string, namespace: string, pageSize: number): Promise<ScanResult> {
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [{ name: 'scale', server: url, skipTLSVerify: true }],
    users: [{ name: 'scale', token }],
    contexts: [{ name: 'scale', cluster: 'scale', user: 'scale' }],
    currentContext: 'scale',
  });
  const kube = KubeClient.fromKubeConfig(kc, { timeoutMs: 30_000 });
  await kube.version(); // warm-up: first connection and lazy module work happen before the baseline
  const baseline = process.memoryUsage.rss();
  let peak = baseline;
  let peakHeap = process.memoryUsage().heapUsed;
  const sampler = setInterval(() => {
    const m = process.memoryUsage();
    peak = Math.max(peak, m.rss);
    peakHeap = Math.max(peakHeap, m.heapUsed);
  }, 5);
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  let replicaSets = 0;
  let orphanReplicaSets = 0;
  for await (const rs of kube.list('apps/v1', 'ReplicaSet', { namespace, pageSize })) {
    replicaSets++;
    if (rs.metadata?.ownerReferences?.some((o) => o.name.startsWith('gone-'))) orphanReplicaSets++;
  }
  let pods = 0;
  for await (const pod of kube.list('v1', 'Pod', { namespace, pageSize })) if (pod.metadata?.name) pods++;
  const ms = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  clearInterval(sampler);
  peak = Math.max(peak, process.memoryUsage.rss(), process.resourceUsage().maxRSS * 1024);
  return { pods, replicaSets, orphanReplicaSets, ms, cpuMs: (cpu.user + cpu.system) / 1000, baselineRssMb: mb(baseline), peakRssMb: mb(peak), peakHeapMb: mb(peakHeap) };
}

const args = process.env.KUBE_SCALE_SCAN;
if (args && process.send) {
  const { url, token, namespace, pageSize } = JSON.parse(args) as { url: string; token: string; namespace: string; pageSize: number };
  const result = await scan(url, token, namespace, pageSize);
  process.send(result, () => process.exit(0));
}
