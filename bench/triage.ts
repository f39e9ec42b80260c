// Triage pipeline throughput and latency: typical paste, large log, adversarial inputs.
// Targets: ≥12,000 diagnoses per CPU-second for 2 KiB (issue 12; one core); 1 MiB ≤ 50 ms; adversarial 1 MiB ≤ 100 ms.
import { performance } from 'node:perf_hooks';
import { loadPlaybooks, type PlaybookSet } from '../src/playbooks/load.js';
import { diagnose } from '../src/triage/diagnose.js';
import { percentile } from './support/stats.js';

const MiB = 1024 * 1024;
const TARGET_PER_CPU_SECOND = 12_000;

function typicalPaste(): string {
  const lines = [
    '$ helm upgrade --install checkout ./charts/checkout -n storefront --atomic --timeout 5m --set image.tag=3.5.1',
    'Release "checkout" has been upgraded. Happy Helming!',
    'upgrade.go:142: [debug] preparing upgrade for checkout',
    'upgrade.go:150: [debug] performing update for checkout',
    'client.go:229: [debug] checking 9 resources for changes',
    'client.go:512: [debug] Looks like there are no changes for ServiceAccount "checkout"',
    'client.go:512: [debug] Looks like there are no changes for ConfigMap "checkout-config"',
    'wait.go:48: [debug] beginning wait for 9 resources with timeout of 5m0s',
  ];
  let text = lines.join('\n');
  while (text.length < 2048 - 200) text += `\nready.go:277: [debug] Deployment is not ready: storefront/checkout. 1 out of 3 expected pods are ready`;
  return `${text}\nError: UPGRADE FAILED: failed to replace object: Service "checkout-public" is invalid: spec.loadBalancerClass: Invalid value: "null": may not change once set\n`;
}

function bigLog(): string {
  const line = (i: number): string =>
    `2026-03-04T07:41:${String(i % 60).padStart(2, '0')}.532Z ready.go:277: [debug] Deployment is not ready: storefront/checkout-${i % 7}. 1 out of 3 expected pods are ready`;
  const parts: string[] = [];
  let size = 0;
  for (let i = 0; size < MiB - 300; i++) {
    const l = line(i);
    parts.push(l);
    size += l.length + 1;
  }
  parts.push('Error: UPGRADE FAILED: timed out waiting for the condition');
  return parts.join('\n');
}

const adversarial: Array<[string, () => string]> = [
  ['a×1M', () => 'a'.repeat(MiB)],
  ['spaces×1M', () => ' '.repeat(MiB)],
  ['quotes×1M', () => '"'.repeat(MiB)],
  ['dashes×1M', () => '-'.repeat(MiB)],
  ['nested brackets', () => '['.repeat(MiB / 2) + ']'.repeat(MiB / 2)],
  ['escaped quotes', () => '\\"'.repeat(MiB / 2)],
  ['repeated keywords', () => 'field is immutable spec.loadBalancerClass failed calling webhook '.repeat(MiB / 64)],
  ['token-like', () => 'password=token:secret '.repeat(MiB / 22)],
  ['long invalid line', () => `Service "x" is invalid: ${'spec.clusterIP: Invalid value: '.repeat(MiB / 32)}`],
  ['many short lines', () => 'x\n'.repeat(MiB / 2)],
  ['slack markup', () => '<http://a|'.repeat(MiB / 10)],
];

const cpuMs = (): number => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

// Wall-clock figures include time the process waits for a core on a busy machine; CPU time per diagnosis
// (cpu/op) is what one core spends, so both are printed.
function measure(set: PlaybookSet, text: string, runs: number): { p50: number; p99: number; max: number; perSecond: number; cpu: number } {
  const times: number[] = [];
  diagnose(text, set); // warm-up
  const cpu0 = cpuMs();
  const start = performance.now();
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    diagnose(text, set);
    times.push(performance.now() - t0);
  }
  const total = performance.now() - start;
  const cpu = (cpuMs() - cpu0) / runs;
  times.sort((a, b) => a - b);
  return { p50: percentile(times, 50), p99: percentile(times, 99), max: times[times.length - 1] ?? 0, perSecond: (runs / total) * 1000, cpu };
}

const ms = (n: number): string => `${n.toFixed(2)} ms`;

export async function run(): Promise<void> {
  const set = loadPlaybooks();
  const small = typicalPaste();
  for (let i = 0; i < 500; i++) diagnose(small, set); // JIT warm-up
  const s = measure(set, small, 20000);
  const perCpu = 1000 / s.cpu;
  console.log(`triage: 2 KiB paste (${small.length} B): ${Math.round(s.perSecond)} diagnoses/s wall, ${Math.round(perCpu)}/s per CPU-second (${(perCpu / TARGET_PER_CPU_SECOND).toFixed(2)}× the ${TARGET_PER_CPU_SECOND} floor), p50 ${ms(s.p50)}, p99 ${ms(s.p99)} [target ≥${TARGET_PER_CPU_SECOND}/s per CPU-second] ${perCpu >= TARGET_PER_CPU_SECOND ? 'met' : 'NOT met'}`);
  const big = bigLog();
  const b = measure(set, big, 30);
  console.log(`triage: 1 MiB log: p50 ${ms(b.p50)}, p99 ${ms(b.p99)}, max ${ms(b.max)}, cpu/op ${ms(b.cpu)} [target ≤50 ms]`);
  let worst = 0;
  let worstCpu = 0;
  for (const [name, make] of adversarial) {
    const text = make();
    const a = measure(set, text, 5);
    worst = Math.max(worst, a.max);
    worstCpu = Math.max(worstCpu, a.cpu);
    console.log(`triage: adversarial ${name} (${(text.length / MiB).toFixed(2)} MiB): p50 ${ms(a.p50)}, max ${ms(a.max)}, cpu/op ${ms(a.cpu)}`);
  }
  console.log(`triage: adversarial worst ${ms(worst)} wall, ${ms(worstCpu)} cpu/op [target ≤100 ms]`);
  await Promise.resolve();
}
