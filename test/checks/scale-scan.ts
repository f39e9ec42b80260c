// Child process of bench/checks.ts (not a test): runs the orphaned-workloads check through the
// facade against a large scenario and reports time and memory over IPC.
import { runChecks } from '../../src/checks/run.js';
import type { Finding } from '../../src/checks/types.js';
import { measure, scaleKube, type Measured } from '../support/measure-scan.js';

export type CheckScanResult = Measured<Finding>;

export async function scan(url: string, token: string, namespace: string): Promise<CheckScanResult> {
  const kube = scaleKube(url, token);
  return measure(kube, async () => {
    const [finding] = await runChecks({ checks: ['orphaned-workloads'], facts: { namespace }, kube, signal: AbortSignal.timeout(120_000), perCheckTimeoutMs: 120_000 });
    if (!finding) throw new Error('no finding');
    return finding;
  });
}

const args = process.env.CHECKS_SCALE_SCAN;
if (args && process.send) {
  const { url, token, namespace } = JSON.parse(args) as { url: string; token: string; namespace: string };
  const result = await scan(url, token, namespace);
  process.send(result, () => process.exit(0));
}
