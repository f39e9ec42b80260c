// After `helm uninstall`, ReplicaSets and Pods that outlived their owner (or still carry the release's
// labels) show that the garbage collector could not finish. Streams metadata-only pages: 50k pods stay cheap.
import type { KubeObject, ReadOnlyKube } from '../kube/types.js';
import { defineCheck } from './define.js';
import { releaseIsInstalled } from './releases.js';

export const MAX_EXAMPLES = 10;

/** uids of objects that can own ReplicaSets or Pods, per kind. */
export type OwnerUids = Map<string, Set<string>>;

export type Classification = 'orphan' | 'release-labelled' | 'ok';

/** Pure: an object is an orphan when a known-kind owner it names no longer exists. */
export function classifyObject(obj: KubeObject, owners: OwnerUids, release: string | null): { kind: Classification; detail: string } {
  for (const ref of obj.metadata?.ownerReferences ?? []) {
    const known = owners.get(ref.kind);
    if (known && !known.has(ref.uid)) return { kind: 'orphan', detail: `owner ${ref.kind}/${ref.name} (uid ${ref.uid}) no longer exists` };
  }
  if (release) {
    const labels = obj.metadata?.labels ?? {};
    if (labels['app.kubernetes.io/instance'] === release) return { kind: 'release-labelled', detail: `label app.kubernetes.io/instance=${release}` };
    if (labels['release'] === release) return { kind: 'release-labelled', detail: `label release=${release}` };
  }
  return { kind: 'ok', detail: '' };
}

export interface Tally {
  scanned: number;
  orphans: number;
  labelled: number;
  examples: string[];
}

export interface Gathered {
  scope: string;
  release: string | null;
  /** False when Helm still has a live release of that name: its labels then mean nothing. */
  releaseInstalled: boolean;
  replicaSets: Tally;
  pods: Tally;
}

async function uidsOf(kube: ReadOnlyKube, apiVersion: string, kind: string, namespace: string | undefined, signal: AbortSignal): Promise<Set<string>> {
  const uids = new Set<string>();
  for await (const o of kube.list(apiVersion, kind, { ...(namespace ? { namespace } : {}), metadataOnly: true, signal })) if (o.metadata?.uid) uids.add(o.metadata.uid);
  return uids;
}

/** Only what classifyObject and the examples read. */
function slim(obj: KubeObject): KubeObject {
  const m = obj.metadata ?? {};
  const labels: Record<string, string> = {};
  for (const key of ['app.kubernetes.io/instance', 'release']) {
    const v = m.labels?.[key];
    if (v !== undefined) labels[key] = v;
  }
  return { metadata: { name: m.name, namespace: m.namespace, labels, ownerReferences: m.ownerReferences ?? [] } };
}

function tally(): Tally {
  return { scanned: 0, orphans: 0, labelled: 0, examples: [] };
}

function count(t: Tally, obj: KubeObject, owners: OwnerUids, release: string | null, kind: string): void {
  t.scanned++;
  const c = classifyObject(obj, owners, release);
  if (c.kind === 'ok') return;
  if (c.kind === 'orphan') t.orphans++;
  else t.labelled++;
  if (t.examples.length < MAX_EXAMPLES) t.examples.push(`${kind} ${obj.metadata?.namespace ?? ''}/${obj.metadata?.name ?? '?'}: ${c.detail}`);
}

export const orphanedWorkloads = defineCheck<Gathered>({
  id: 'orphaned-workloads',
  decisive: true,
  description: "ReplicaSets and Pods whose owner no longer exists, or that still carry the uninstalled release's labels.",
  permissions: ['list pods, replicasets.apps, deployments.apps, statefulsets.apps, daemonsets.apps, jobs.batch', 'list secrets (Helm release records)'],
  async gather({ kube, facts, signal }) {
    const namespace = facts.namespace;
    const release = facts.release ?? null;
    const [deployments, statefulSets, daemonSets, jobs, installed] = await Promise.all([
      uidsOf(kube, 'apps/v1', 'Deployment', namespace, signal),
      uidsOf(kube, 'apps/v1', 'StatefulSet', namespace, signal),
      uidsOf(kube, 'apps/v1', 'DaemonSet', namespace, signal),
      uidsOf(kube, 'batch/v1', 'Job', namespace, signal),
      release && namespace ? releaseIsInstalled(kube, release, namespace, signal) : Promise.resolve(false),
    ]);
    const labelRelease = installed ? null : release;
    const replicaSets = tally();
    const pods = tally();
    const rsUids = new Set<string>();
    const rsOwners: OwnerUids = new Map([['Deployment', deployments]]);
    const podOwners: OwnerUids = new Map([['ReplicaSet', rsUids], ['StatefulSet', statefulSets], ['DaemonSet', daemonSets], ['Job', jobs]]);
    const scope = { ...(namespace ? { namespace } : {}), metadataOnly: true, signal };
    // ReplicaSets and Pods stream side by side; a Pod whose ReplicaSet has not been listed yet waits
    // (as a few fields) until both lists are done.
    const deferred: KubeObject[] = [];
    let replicaSetsDone = false;
    await Promise.all([
      (async () => {
        for await (const rs of kube.list('apps/v1', 'ReplicaSet', scope)) {
          if (rs.metadata?.uid) rsUids.add(rs.metadata.uid);
          count(replicaSets, rs, rsOwners, labelRelease, 'ReplicaSet');
        }
        replicaSetsDone = true;
      })(),
      (async () => {
        for await (const pod of kube.list('v1', 'Pod', scope)) {
          const waiting = !replicaSetsDone && (pod.metadata?.ownerReferences ?? []).some((r) => r.kind === 'ReplicaSet' && !rsUids.has(r.uid));
          if (waiting) deferred.push(slim(pod));
          else count(pods, pod, podOwners, labelRelease, 'Pod');
        }
      })(),
    ]);
    for (const pod of deferred) count(pods, pod, podOwners, labelRelease, 'Pod');
    return { scope: namespace ? `namespace ${namespace}` : 'all namespaces', release, releaseInstalled: installed, replicaSets, pods };
  },
  judge(g) {
    const orphans = g.replicaSets.orphans + g.pods.orphans;
    const labelled = g.replicaSets.labelled + g.pods.labelled;
    const evidence = [
      `scanned ${g.replicaSets.scanned} ReplicaSets and ${g.pods.scanned} Pods in ${g.scope}`,
      ...g.replicaSets.examples,
      ...g.pods.examples,
    ];
    if (g.release && g.releaseInstalled) evidence.push(`release ${g.release} is still installed: its labels were not counted`);
    const learned = { orphanedReplicaSets: String(g.replicaSets.orphans + g.replicaSets.labelled), orphanedPods: String(g.pods.orphans + g.pods.labelled) };
    if (orphans + labelled === 0) {
      return { status: 'refuted', summary: `no orphaned ReplicaSets or Pods in ${g.scope}: garbage collection finished`, evidence, learned };
    }
    const parts = [];
    if (g.replicaSets.orphans + g.replicaSets.labelled > 0) parts.push(`${g.replicaSets.orphans + g.replicaSets.labelled} ReplicaSet(s)`);
    if (g.pods.orphans + g.pods.labelled > 0) parts.push(`${g.pods.orphans + g.pods.labelled} Pod(s)`);
    const why = orphans > 0 && labelled > 0 ? 'whose owner is gone or that carry the release labels' : orphans > 0 ? 'whose owner is gone' : `still labelled for release ${g.release}`;
    return { status: 'confirmed', summary: `${parts.join(' and ')} ${why} in ${g.scope}`, evidence, learned };
  },
});
