// Used inside the scale benches' child processes (see bench/support/child-scan.ts): a facade for the
// local API server and a measurement of one scan's wall time, CPU and peak memory.
import { KubeClient } from '../../src/kube/client.js';
import { DirectTransport } from '../../src/kube/direct-transport.js';

export interface Measured<T> {
  result: T;
  ms: number;
  /** CPU time of this process (user + system), which machine load does not inflate. */
  cpuMs: number;
  baselineRssMb: number;
  peakRssMb: number;
  peakHeapMb: number;
}

const mb = (bytes: number): number => Math.round((bytes / 1024 / 1024) * 10) / 10;

export function scaleKube(url: string, token: string): KubeClient {
  return new KubeClient(new DirectTransport({ context: 'scale', server: url, skipTLSVerify: true, auth: { kind: 'token', token } }, 30_000));
}

/** Runs `scan` after a warm-up call, sampling RSS and heap every 5 ms. */
export async function measure<T>(kube: KubeClient, scan: () => Promise<T>): Promise<Measured<T>> {
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
  const result = await scan();
  const ms = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  clearInterval(sampler);
  peak = Math.max(peak, process.memoryUsage.rss(), process.resourceUsage().maxRSS * 1024);
  return { result, ms, cpuMs: (cpu.user + cpu.system) / 1000, baselineRssMb: mb(baseline), peakRssMb: mb(peak), peakHeapMb: mb(peakHeap) };
}
