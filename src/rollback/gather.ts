// The planner's reads, all GETs through ReadOnlyKube; everything it judges is pure (diff.ts,
// predict.ts, verdict.ts). What it reads:
//   - the release history from labels (one metadata-only list; the ConfigMap driver's list too when
//     no Secret holds the release), and only the current and target revisions decoded (two GETs);
//   - /version;
//   - the live objects a prediction reads (plan.ts liveStateMatters: immutable-field kinds, objects in one
//     manifest only), grouped by apiVersion+kind+namespace: a group of at most
//     GET_PER_OBJECT_MAX objects is read with one GET each, a larger one with one list of that kind in
//     that namespace (pages of PAGE_SIZE, stopping at LIST_MAX_ITEMS: what lies beyond is reported unread);
//   - with a LoadBalancer Service: the AWS LB controller's webhook operations (one list of
//     MutatingWebhookConfigurations) and its Deployment (one GET, a label list when that misses);
//   - API discovery for every apiVersion of the target (one GET per groupVersion, cached), and the
//     CRD list only when a non-built-in kind is not served.
// Bound: requests ≤ 2 (history) + 2 (revisions) + 1 (/version) + Σ groups min(n, GET_PER_OBJECT_MAX, pages)
//   + groupVersions of the target + 1 (CRDs) + 3 (AWS LBC), whatever the manifest's size: 2,000 objects
//   of 5 kinds in one namespace cost 5 lists of 4 pages, not 2,000 GETs. READ_CONCURRENCY reads run at once.
import { awsLbcVersion } from '../checks/aws-lbc-version.js';
import { awsLbcWebhookOperations } from '../checks/aws-lbc-webhook-operations.js';
import { isBuiltInGroup, type CrdState } from '../checks/crd-exists.js';
import { records, str } from '../checks/fields.js';
import { currentRevision, releaseHistory, rollbackTarget, type RevisionMeta } from '../checks/releases.js';
import { isHelmTriageError } from '../errors.js';
import { DEFAULT_PAGE_SIZE } from '../kube/client.js';
import { KubeForbiddenError, KubeNotServedError } from '../kube/errors.js';
import type { HelmRelease } from '../kube/helm-releases.js';
import { builtinResource, splitApiVersion } from '../kube/resources.js';
import type { KubeObject, ListOptions, ReadOnlyKube, ServerVersion } from '../kube/types.js';
import { describeKey, type RollbackRequest } from '../model/rollback.js';
import type { RevisionSide } from './diff.js';
import { manifestObjects, type ManifestObject } from './objects.js';
import type { ApiState, LbcState } from './predict.js';

export const GET_PER_OBJECT_MAX = 3;
export const PAGE_SIZE = 500;
export const LIST_MAX_ITEMS = 5_000;
export const READ_CONCURRENCY = 8;

/** A ReadOnlyKube that counts the requests it causes (list pages; discovery once per groupVersion, as KubeClient caches it). */
export function countingKube(kube: ReadOnlyKube): { kube: ReadOnlyKube; requests: () => number } {
  let n = 0;
  const discovered = new Set<string>();
  const discover = (apiVersion: string): void => {
    if (!discovered.has(apiVersion)) {
      discovered.add(apiVersion);
      n++;
    }
  };
  const counted: ReadOnlyKube = {
    version: (signal?: AbortSignal): Promise<ServerVersion> => {
      n++;
      return kube.version(signal);
    },
    get: (apiVersion, kind, name, namespace, signal) => {
      if (!builtinResource(apiVersion, kind)) discover(apiVersion);
      n++;
      return kube.get(apiVersion, kind, name, namespace, signal);
    },
    list: (apiVersion: string, kind: string, opts?: ListOptions): AsyncIterable<KubeObject> => ({
      async *[Symbol.asyncIterator]() {
        if (!builtinResource(apiVersion, kind)) discover(apiVersion);
        const pageSize = opts?.pageSize ?? DEFAULT_PAGE_SIZE;
        let items = 0;
        n++;
        for await (const obj of kube.list(apiVersion, kind, opts)) {
          if (items > 0 && items % pageSize === 0) n++;
          items++;
          yield obj;
        }
      },
    }),
    serves: (groupVersion, kind, signal) => {
      discover(groupVersion);
      return kube.serves(groupVersion, kind, signal);
    },
  };
  return { kube: counted, requests: () => n };
}

/** Runs the tasks, at most `limit` at once. */
async function pool<T>(tasks: ReadonlyArray<() => Promise<T>>, limit: number): Promise<T[]> {
  const out: T[] = new Array<T>(tasks.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < tasks.length) {
      const i = next++;
      out[i] = await (tasks[i] as () => Promise<T>)();
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, tasks.length) }, worker));
  return out;
}

/** A short reason for a read that failed (the typed errors say what to do next). */
function reason(err: unknown): string {
  if (err instanceof KubeForbiddenError) return `forbidden (needs ${err.permission})`;
  if (err instanceof KubeNotServedError) return 'not served';
  return isHelmTriageError(err) || err instanceof Error ? err.message : String(err);
}

/** Cluster-access failures are the planner's to report; anything else is a bug and propagates. */
function isKubeFailure(err: unknown): boolean {
  return isHelmTriageError(err);
}

export interface Revisions {
  history: RevisionMeta[];
  current: RevisionMeta | undefined;
  target: RevisionMeta | undefined;
}

/** History from labels, and which revisions are current and target (no payload decoded). */
export async function gatherRevisions(kube: ReadOnlyKube, request: RollbackRequest, signal: AbortSignal): Promise<Revisions> {
  const history = await releaseHistory(kube, request.release, request.namespace, signal);
  const current = currentRevision(history);
  const target = rollbackTarget(history, request.revision);
  return { history, current, target };
}

export function revisionSide(r: HelmRelease, namespace: string): RevisionSide {
  return {
    revision: r.version,
    chart: r.chart.version ? `${r.chart.name}-${r.chart.version}` : r.chart.name,
    ...(r.chart.appVersion !== undefined ? { appVersion: r.chart.appVersion } : {}),
    config: r.config,
    objects: manifestObjects(r.manifest, namespace),
  };
}

export interface LiveRead {
  live: Map<string, KubeObject | null>;
  gaps: string[];
}

/** The live state of every object of both manifests; see the head of this file for the bound. */
export async function gatherLive(kube: ReadOnlyKube, objects: readonly ManifestObject[], signal: AbortSignal): Promise<LiveRead> {
  const groups = new Map<string, ManifestObject[]>();
  for (const o of objects) {
    const k = `${o.key.apiVersion}|${o.key.kind}|${o.key.namespace}`;
    const g = groups.get(k);
    if (g) g.push(o);
    else groups.set(k, [o]);
  }
  const live = new Map<string, KubeObject | null>();
  const gaps: string[] = [];
  const tasks: Array<() => Promise<void>> = [];
  for (const group of groups.values()) {
    const first = group[0] as ManifestObject;
    const { apiVersion, kind, namespace } = first.key;
    const where = namespace ? ` in ${namespace}` : '';
    if (group.length <= GET_PER_OBJECT_MAX) {
      for (const o of group) {
        tasks.push(async () => {
          try {
            live.set(o.id, await kube.get(apiVersion, kind, o.key.name, namespace || undefined, signal));
          } catch (err) {
            // Nothing lives behind an API the cluster does not serve (api-not-served predicts what that means).
            if (err instanceof KubeNotServedError) {
              live.set(o.id, null);
              return;
            }
            if (!isKubeFailure(err)) throw err;
            gaps.push(`live ${describeKey(o.key)}: ${reason(err)}`);
          }
        });
      }
      continue;
    }
    tasks.push(async () => {
      const wanted = new Map(group.map((o) => [o.key.name, o]));
      let seen = 0;
      let capped = false;
      try {
        for await (const obj of kube.list(apiVersion, kind, { ...(namespace ? { namespace } : {}), pageSize: PAGE_SIZE, signal })) {
          const o = wanted.get(obj.metadata?.name ?? '');
          if (o) live.set(o.id, obj);
          // Stop on the cap itself, so no page beyond it is fetched.
          if (++seen >= LIST_MAX_ITEMS) {
            capped = true;
            break;
          }
        }
      } catch (err) {
        if (err instanceof KubeNotServedError) {
          for (const o of group) live.set(o.id, null);
          return;
        }
        if (!isKubeFailure(err)) throw err;
        gaps.push(`live ${kind}${where} (${group.length} objects): ${reason(err)}`);
        return;
      }
      let unread = 0;
      for (const o of group) {
        if (live.has(o.id)) continue;
        if (capped) unread++;
        else live.set(o.id, null);
      }
      if (unread > 0) gaps.push(`live ${kind}${where}: the list stopped after ${LIST_MAX_ITEMS} items, ${unread} of ${group.length} objects not read`);
    });
  }
  await pool(tasks, READ_CONCURRENCY);
  return { live, gaps };
}

/** Whether a LoadBalancer Service is in either manifest or live with a class. */
export function involvesLoadBalancer(objects: readonly ManifestObject[], live: ReadonlyMap<string, KubeObject | null>): boolean {
  return objects.some((o) => o.key.kind === 'Service' && (str(o.object, 'spec.type') === 'LoadBalancer' || str(live.get(o.id), 'spec.loadBalancerClass') !== undefined));
}

/** The AWS LB controller's Service webhook and Deployment, through the checks' own gathers. */
export async function gatherLbc(kube: ReadOnlyKube, signal: AbortSignal): Promise<{ lbc: LbcState; gaps: string[] }> {
  const ctx = { kube, facts: {}, signal, now: new Date(0) };
  const gaps: string[] = [];
  const [webhooks, controller] = await Promise.all([
    awsLbcWebhookOperations.gather(ctx).then((g) => g.webhooks, (err: unknown) => {
      if (!isKubeFailure(err)) throw err;
      gaps.push(`MutatingWebhookConfigurations: ${reason(err)}`);
      return null;
    }),
    awsLbcVersion.gather(ctx).then((g) => g.deployments[0] ?? null, (err: unknown) => {
      if (!isKubeFailure(err)) throw err;
      gaps.push(`aws-load-balancer-controller Deployment: ${reason(err)}`);
      return undefined;
    }),
  ]);
  return { lbc: { webhooks, controller }, gaps };
}

/** Discovery for every apiVersion+kind of the target; the CRDs of groups whose kind is not served. */
export async function gatherApis(kube: ReadOnlyKube, target: readonly ManifestObject[], signal: AbortSignal): Promise<{ apis: ApiState[]; gaps: string[] }> {
  const kinds = new Map<string, { apiVersion: string; kind: string }>();
  for (const o of target) kinds.set(`${o.key.apiVersion}|${o.key.kind}`, { apiVersion: o.key.apiVersion, kind: o.key.kind });
  const gaps: string[] = [];
  const apis = await pool([...kinds.values()].map(({ apiVersion, kind }) => async (): Promise<ApiState> => {
    const builtIn = isBuiltInGroup(splitApiVersion(apiVersion).group);
    try {
      return { apiVersion, kind, served: await kube.serves(apiVersion, kind, signal), builtIn, crds: [] };
    } catch (err) {
      if (!isKubeFailure(err)) throw err;
      gaps.push(`discovery of ${apiVersion}: ${reason(err)}`);
      return { apiVersion, kind, served: null, builtIn, crds: [] };
    }
  }), READ_CONCURRENCY);
  const unservedGroups = new Set(apis.filter((a) => a.served === false && !a.builtIn).map((a) => splitApiVersion(a.apiVersion).group));
  if (unservedGroups.size > 0) {
    let crds: Array<{ group: string; crd: CrdState }> | null = [];
    try {
      for await (const crd of kube.list('apiextensions.k8s.io/v1', 'CustomResourceDefinition', { signal })) {
        const group = str(crd, 'spec.group') ?? '';
        if (!unservedGroups.has(group)) continue;
        crds.push({
          group,
          crd: {
            name: crd.metadata?.name ?? '?',
            kind: str(crd, 'spec.names.kind') ?? '?',
            servedVersions: records(crd, 'spec.versions').filter((v) => v['served'] !== false).map((v) => str(v, 'name') ?? '?'),
          },
        });
      }
    } catch (err) {
      if (!isKubeFailure(err)) throw err;
      gaps.push(`CustomResourceDefinitions: ${reason(err)}`);
      crds = null;
    }
    for (const a of apis) {
      if (a.served !== false || a.builtIn) continue;
      const group = splitApiVersion(a.apiVersion).group;
      a.crds = crds === null ? null : crds.filter((c) => c.group === group).map((c) => c.crd);
    }
  }
  return { apis, gaps };
}

/** /version's gitVersion, or null with a gap. */
export async function gatherServerVersion(kube: ReadOnlyKube, signal: AbortSignal): Promise<{ version: string | null; gaps: string[] }> {
  try {
    const v = await kube.version(signal);
    return { version: v.gitVersion || `v${v.major}.${v.minor.replace(/\D+$/, '')}`, gaps: [] };
  } catch (err) {
    if (!isKubeFailure(err)) throw err;
    return { version: null, gaps: [`/version: ${reason(err)}`] };
  }
}
