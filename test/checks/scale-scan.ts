// Child process of bench/checks.ts (not a test): runs the orphaned-workloads check through the
// facade against a large scenario and reports time and memory over IPC.
import { KubeConfig } from '@kubernetes/client-node';
import { runChecks } from '../../src/checks/run.js';
import type { Finding } from '../../src/checks/types.js';
import { KubeClient } from '../../src/kube/client.js';

export interface CheckScanResult {
  finding: Finding;
  ms: number;
  cpuMs: number;
  baselineRssMb: number;
  peakRssMb: number;
}

const mb = (bytes: number): number => Math.round((bytes / 1024 / 1024) * 10) / 10;

export async function scan(url: string, token: string, namespace: string): Promise<CheckScanResult> {
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
  const sampler = setInterval(() => { peak = Math.max(peak, process.memoryUsage.rss()); }, 5);
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  const [finding] = await runChecks({ checks: ['orphaned-workloads'], facts: { namespace }, kube, signal: AbortSignal.timeout(120_000), perCheckTimeoutMs: 120_000 });
  const ms = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  clearInterval(sampler);
  peak = Math.max(peak, process.memoryUsage.rss(), process.resourceUsage().maxRSS * 1024);
  if (!finding) throw new Error('no finding');
  return { finding, ms, cpuMs: (cpu.user + cpu.system) / 1000, baselineRssMb: mb(baseline), peakRssMb: mb(peak) };
}

const args = process.env.CHECKS_SCALE_SCAN;
if (args && process.send) {
  const { url, token, namespace } = JSON.parse(args) as { url: string; token: string; namespace: string };
  const result = await scan(url, token, namespace);
  process.send(result, () => process.exit(0));
}
