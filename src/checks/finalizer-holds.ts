// After `helm uninstall`, objects of the release that were deleted but are still there because a
// finalizer was never removed (its controller uninstalled first, or blocked): PVCs, Services, workloads,
// and custom resources of the release's own CRDs and of CRDs converted by a webhook. Metadata only.
import { KubeForbiddenError, KubeNotServedError } from '../kube/errors.js';
import type { KubeObject, ReadOnlyKube } from '../kube/types.js';
import { defineCheck, type Judgement } from './define.js';
import { records, str } from './fields.js';
import { releaseFromFacts, releaseIsInstalled } from './releases.js';

export const MAX_HELD_EXAMPLES = 10;
/** Custom resource kinds listed per triage (the release's CRDs first, then converted ones). */
export const MAX_CUSTOM_KINDS = 5;

const BUILTIN_KINDS: ReadonlyArray<readonly [apiVersion: string, kind: string]> = [
  ['v1', 'PersistentVolumeClaim'],
  ['v1', 'Service'],
  ['apps/v1', 'Deployment'],
  ['apps/v1', 'StatefulSet'],
];

export interface HeldObject {
  ref: string;
  finalizers: string[];
  since: string;
}

export interface Gathered {
  release: string;
  namespace: string;
  installed: boolean;
  scanned: string[];
  /** Kinds the agent may not list (RBAC), with the permission that would let it. */
  unreadable: Array<{ kind: string; permission: string }>;
  held: HeldObject[];
  heldCount: number;
}

/** Pure: the object carries the release's Helm annotations or instance labels. */
export function belongsToRelease(obj: KubeObject, release: string, namespace: string): boolean {
  const m = obj.metadata ?? {};
  const a = m.annotations ?? {};
  if (a['meta.helm.sh/release-name'] === release && (a['meta.helm.sh/release-namespace'] ?? namespace) === namespace) return true;
  const l = m.labels ?? {};
  return l['app.kubernetes.io/instance'] === release || l['release'] === release;
}

/** Pure: deletion was requested and finalizers still hold it. */
export function heldByFinalizers(obj: KubeObject): boolean {
  const m = obj.metadata ?? {};
  return m.deletionTimestamp !== undefined && m.deletionTimestamp !== null && (m.finalizers ?? []).length > 0;
}

/** Namespaced custom kinds worth listing: the release's own CRDs first, then CRDs with conversion webhooks. */
function customKinds(crds: readonly KubeObject[], release: string, namespace: string): Array<{ apiVersion: string; kind: string; plural: string; group: string }> {
  const pick = (crd: KubeObject) => {
    const group = str(crd, 'spec.group');
    const kind = str(crd, 'spec.names.kind');
    const plural = str(crd, 'spec.names.plural');
    const version = records(crd, 'spec.versions').find((v) => v['storage'] === true) ?? records(crd, 'spec.versions')[0];
    const name = version ? str(version, 'name') : undefined;
    if (!group || !kind || !plural || !name || str(crd, 'spec.scope') === 'Cluster') return null;
    return { apiVersion: `${group}/${name}`, kind, plural, group };
  };
  const own = crds.filter((c) => belongsToRelease(c, release, namespace));
  const converted = crds.filter((c) => !own.includes(c) && str(c, 'spec.conversion.strategy') === 'Webhook');
  return [...own, ...converted].map(pick).filter((k) => k !== null).slice(0, MAX_CUSTOM_KINDS);
}

async function scan(kube: ReadOnlyKube, apiVersion: string, kind: string, namespace: string, release: string, signal: AbortSignal, out: Gathered): Promise<void> {
  for await (const obj of kube.list(apiVersion, kind, { namespace, metadataOnly: true, signal })) {
    if (!heldByFinalizers(obj) || !belongsToRelease(obj, release, namespace)) continue;
    out.heldCount++;
    if (out.held.length < MAX_HELD_EXAMPLES) {
      const since = obj.metadata?.deletionTimestamp;
      out.held.push({ ref: `${kind} ${namespace}/${obj.metadata?.name ?? '?'}`, finalizers: obj.metadata?.finalizers ?? [], since: since instanceof Date ? since.toISOString() : String(since) });
    }
  }
}

export const finalizerHolds = defineCheck<Gathered>({
  id: 'finalizer-holds',
  decisive: true,
  description: "Objects of an uninstalled release still there because finalizers hold them (deletionTimestamp set): PVCs, Services, Deployments, StatefulSets, and custom resources of the release's CRDs or of webhook-converted CRDs.",
  permissions: [
    'list persistentvolumeclaims, services, deployments.apps, statefulsets.apps in the release namespace',
    'list customresourcedefinitions.apiextensions.k8s.io',
    'list secrets (Helm release records)',
    'list <custom resources of the release CRDs> (optional: grant per CRD to see their finalizers)',
  ],
  async gather({ kube, facts, signal }) {
    const { release, namespace } = releaseFromFacts(facts);
    const out: Gathered = { release, namespace, installed: false, scanned: [], unreadable: [], held: [], heldCount: 0 };
    const crds: KubeObject[] = [];
    const [installed] = await Promise.all([
      releaseIsInstalled(kube, release, namespace, signal),
      (async () => { for await (const crd of kube.list('apiextensions.k8s.io/v1', 'CustomResourceDefinition', { signal })) crds.push(crd); })(),
    ]);
    out.installed = installed;
    if (installed) return out;
    const kinds = [
      ...BUILTIN_KINDS.map(([apiVersion, kind]) => ({ apiVersion, kind, permission: '' })),
      ...customKinds(crds, release, namespace).map((k) => ({ apiVersion: k.apiVersion, kind: k.kind, permission: `list ${k.plural}.${k.group}` })),
    ];
    await Promise.all(kinds.map(async (k) => {
      try {
        await scan(kube, k.apiVersion, k.kind, namespace, release, signal, out);
        out.scanned.push(k.kind);
      } catch (err) {
        // A custom kind the agent may not read (or no longer served) leaves the others standing.
        if (k.permission !== '' && (err instanceof KubeForbiddenError || err instanceof KubeNotServedError)) out.unreadable.push({ kind: k.kind, permission: k.permission });
        else throw err;
      }
    }));
    out.scanned.sort();
    return out;
  },
  judge(g): Judgement {
    if (g.installed) {
      return { status: 'inconclusive', summary: `release ${g.release} is still installed in ${g.namespace}: nothing was left behind by an uninstall`, evidence: [] };
    }
    const evidence = [
      `scanned ${g.scanned.join(', ') || 'nothing'} in namespace ${g.namespace} for objects of release ${g.release}`,
      ...g.held.map((h) => `${h.ref}: deleting since ${h.since}, held by ${h.finalizers.join(', ')}`),
      ...g.unreadable.map((u) => `could not list ${u.kind}: grant ${u.permission} to see its finalizers`),
    ];
    const missing = g.unreadable[0]?.permission;
    if (g.heldCount > 0) {
      const first = g.held[0] as HeldObject;
      return {
        status: 'confirmed',
        summary: `${g.heldCount} object(s) of uninstalled release ${g.release} are held by finalizers (e.g. ${first.ref}: ${first.finalizers.join(', ')})`,
        evidence,
        learned: { heldObjects: String(g.heldCount), firstHeld: first.ref, finalizers: first.finalizers.join(',') },
      };
    }
    return {
      status: 'refuted',
      summary: `no object of release ${g.release} in ${g.namespace} is waiting on a finalizer`,
      evidence,
      ...(missing ? { missingPermission: missing } : {}),
    };
  },
});
