// Child process of bench/kube-scale.ts (not a test): scans Pods and ReplicaSets through the facade
// and reports time and memory over IPC. Runs as plain JavaScript, so it imports only the facade.
import { measure, scaleKube, type Measured } from '../support/measure-scan.js';

export type ScanResult = Measured<{ pods: number; replicaSets: number; orphanReplicaSets: number }>;

export async function scan(url: string, token: string, namespace: string, pageSize: number): Promise<ScanResult> {
  const kube = scaleKube(url, token);
  return measure(kube, async () => {
    let replicaSets = 0;
    let orphanReplicaSets = 0;
    for await (const rs of kube.list('apps/v1', 'ReplicaSet', { namespace, pageSize })) {
      replicaSets++;
      if (rs.metadata?.ownerReferences?.some((o) => o.name.startsWith('gone-'))) orphanReplicaSets++;
    }
    let pods = 0;
    for await (const pod of kube.list('v1', 'Pod', { namespace, pageSize })) if (pod.metadata?.name) pods++;
    return { pods, replicaSets, orphanReplicaSets };
  });
}

const args = process.env.KUBE_SCALE_SCAN;
if (args && process.send) {
  const { url, token, namespace, pageSize } = JSON.parse(args) as { url: string; token: string; namespace: string; pageSize: number };
  const result = await scan(url, token, namespace, pageSize);
  process.send(result, () => process.exit(0));
}
