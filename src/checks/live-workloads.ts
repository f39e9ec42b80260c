// The objects of one release revision that Helm waits for (its manifest plus its hook Jobs), matched to
// what is live, and why each one is not ready. Shared by the wait-timeout explainer (unready-resources)
// and the stuck-release doctor (stuck-release).
//
// Gathering reads by list, never per object, so the cost does not grow with the manifest:
//   per namespace of the revision, one list per waitable kind present (label selector: the labels every
//   manifest object of that kind carries), one Pod list (selector: the labels every pod template
//   carries), one PVC list only when a pod mounts a claim the manifest does not hold, and one list of
//   Warning events (only when something is not ready). Lists go in pages of 500 and stop after
//   MAX_LIST_ITEMS items (events after MAX_EVENTS), so one request-count bound holds for any size:
//   per namespace ≤ kinds + 3 lists, each ≤ ⌈min(items, cap) / 500⌉ pages.
// Judging (readiness, causes, ranking) is pure and lives below the gather.
import { parseManifest } from '../kube/helm-manifest.js';
import type { HelmHook } from '../kube/helm-release-codec.js';
import type { KubeObject, ReadOnlyKube } from '../kube/types.js';
import { at, isRecord, num, records, str, type Json } from './fields.js';

/** Kinds Helm's --wait (and hook execution) waits for, with their API versions. */
export const WAITABLE: ReadonlyArray<{ apiVersion: string; kind: string }> = [
  { apiVersion: 'apps/v1', kind: 'Deployment' },
  { apiVersion: 'apps/v1', kind: 'StatefulSet' },
  { apiVersion: 'apps/v1', kind: 'DaemonSet' },
  { apiVersion: 'batch/v1', kind: 'Job' },
  { apiVersion: 'v1', kind: 'PersistentVolumeClaim' },
  { apiVersion: 'v1', kind: 'Pod' },
];
const WORKLOAD_KINDS = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'Job']);

export const PAGE_SIZE = 500;
/** Items read per list at most (4 pages); what lies beyond is reported as not read. */
export const MAX_LIST_ITEMS = 2_000;
/** Warning events read per namespace at most (2 pages). */
export const MAX_EVENTS = 1_000;
/** Events kept per object (newest first). */
export const EVENTS_PER_OBJECT = 3;

export interface Target {
  kind: string;
  apiVersion: string;
  name: string;
  namespace: string;
  /** Hook events (`pre-upgrade` …) when the object is a hook, not part of the manifest. */
  hook?: string[];
  /** Labels the manifest gives the object, and (workloads) its pod template. */
  labels: Record<string, string>;
  podLabels: Record<string, string>;
}

export interface EventNote {
  reason: string;
  message: string;
  count: number;
  at: string;
}

export interface LiveTarget {
  target: Target;
  /** The live object; null when it is not in the cluster. */
  live: KubeObject | null;
  /** Its pods (workloads), oldest ReplicaSets' pods included. */
  pods: KubeObject[];
}

export interface LiveState {
  targets: LiveTarget[];
  /** Claims mounted by the release's pods, by `namespace/name`. */
  claims: Record<string, KubeObject>;
  /** Warning events by `namespace/Kind/name`, newest first. */
  events: Record<string, EventNote[]>;
  /** Lists that stopped at their cap, e.g. `Pod in shop: stopped after 2000`. */
  capped: string[];
}

function labelsOf(obj: unknown, path: string): Record<string, string> {
  const v = at(obj, path);
  if (!isRecord(v)) return {};
  return Object.fromEntries(Object.entries(v).filter((e): e is [string, string] => typeof e[1] === 'string'));
}

/** The waitable objects of a revision: its manifest, plus its hook Jobs (from the hook manifests). */
export function targetsOf(manifest: string, hooks: readonly HelmHook[], namespace: string): Target[] {
  const out: Target[] = [];
  const add = (obj: Record<string, unknown>, kind: string, name: string, ns: string | undefined, hook?: string[]): void => {
    const api = WAITABLE.find((w) => w.kind === kind);
    if (!api) return;
    if (out.some((t) => t.kind === kind && t.name === name && t.namespace === (ns ?? namespace))) return;
    out.push({
      kind, apiVersion: api.apiVersion, name, namespace: ns ?? namespace,
      ...(hook ? { hook } : {}),
      labels: labelsOf(obj, 'metadata.labels'),
      podLabels: kind === 'Pod' ? labelsOf(obj, 'metadata.labels') : labelsOf(obj, 'spec.template.metadata.labels'),
    });
  };
  for (const r of parseManifest(manifest)) add(r.object, r.kind, r.name, r.namespace);
  for (const h of hooks) {
    for (const r of parseManifest(h.manifest)) add(r.object, r.kind, r.name, r.namespace, h.events);
  }
  return out;
}

/** The label pairs every map shares, as a selector (`a=b,c=d`); '' when they share none. */
export function commonSelector(maps: ReadonlyArray<Record<string, string>>): string {
  if (maps.length === 0) return '';
  const [first, ...rest] = maps;
  const shared = Object.entries(first ?? {}).filter(([k, v]) => rest.every((m) => m[k] === v) && SELECTOR_SAFE.test(k) && SELECTOR_VALUE.test(v));
  return shared.sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, v]) => `${k}=${v}`).join(',');
}
// Label keys and values as Kubernetes allows them: anything else never reaches a selector.
const SELECTOR_SAFE = /^([a-z0-9]([-a-z0-9.]*[a-z0-9])?\/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/;
const SELECTOR_VALUE = /^([A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)?$/;

/** The workload a pod belongs to, from its controller reference (ReplicaSet `<deployment>-<hash>`). */
export function podOwner(pod: KubeObject): { kind: string; name: string } | undefined {
  const ref = pod.metadata?.ownerReferences?.find((o) => o.controller !== false) ?? pod.metadata?.ownerReferences?.[0];
  if (!ref) return undefined;
  if (ref.kind === 'ReplicaSet') {
    const cut = ref.name.lastIndexOf('-');
    return cut > 0 ? { kind: 'Deployment', name: ref.name.slice(0, cut) } : undefined;
  }
  return { kind: ref.kind, name: ref.name };
}

export const claimNames = (pod: unknown): string[] =>
  records(pod, 'spec.volumes').map((v) => str(v, 'persistentVolumeClaim.claimName')).filter((n): n is string => n !== undefined);

export interface GatherOptions {
  signal: AbortSignal;
  /** Read Warning events for what is not ready (the explainer); the doctor does without. */
  events: boolean;
}

/** Reads the live state of the targets; see the head of this file for the request bound. */
export async function gatherLive(kube: ReadOnlyKube, targets: readonly Target[], opts: GatherOptions): Promise<LiveState> {
  const state: LiveState = { targets: [], claims: {}, events: {}, capped: [] };
  const listAll = async (apiVersion: string, kind: string, namespace: string, selector: { labelSelector?: string; fieldSelector?: string }, cap: number): Promise<KubeObject[]> => {
    const items: KubeObject[] = [];
    for await (const obj of kube.list(apiVersion, kind, { namespace, pageSize: PAGE_SIZE, signal: opts.signal, ...selector })) {
      items.push(obj);
      // Stop on the cap itself, so no page beyond it is ever fetched.
      if (items.length >= cap) {
        state.capped.push(`${kind} in ${namespace}: stopped after ${cap}, more may exist`);
        break;
      }
    }
    return items;
  };
  const namespaces = [...new Set(targets.map((t) => t.namespace))].sort();
  for (const ns of namespaces) {
    const here = targets.filter((t) => t.namespace === ns);
    const live = new Map<string, KubeObject>();
    for (const w of WAITABLE) {
      const group = here.filter((t) => t.kind === w.kind);
      if (group.length === 0) continue;
      const labelSelector = commonSelector(group.map((t) => t.labels));
      const names = new Set(group.map((t) => t.name));
      for (const obj of await listAll(w.apiVersion, w.kind, ns, labelSelector ? { labelSelector } : {}, MAX_LIST_ITEMS)) {
        const name = obj.metadata?.name;
        if (name && names.has(name)) live.set(`${w.kind}/${name}`, obj);
      }
    }
    const workloads = here.filter((t) => WORKLOAD_KINDS.has(t.kind));
    const pods = new Map<string, KubeObject[]>();
    if (workloads.length > 0) {
      const labelSelector = commonSelector(workloads.map((t) => t.podLabels));
      const wanted = new Set(workloads.map((t) => `${t.kind}/${t.name}`));
      for (const pod of await listAll('v1', 'Pod', ns, labelSelector ? { labelSelector } : {}, MAX_LIST_ITEMS)) {
        const owner = podOwner(pod);
        const key = owner ? `${owner.kind}/${owner.name}` : undefined;
        if (key && wanted.has(key)) (pods.get(key) ?? pods.set(key, []).get(key)!).push(pod);
      }
    }
    const nsTargets = here.map((t): LiveTarget => ({ target: t, live: live.get(`${t.kind}/${t.name}`) ?? null, pods: pods.get(`${t.kind}/${t.name}`) ?? [] }));
    state.targets.push(...nsTargets);

    // Claims the pods mount that the manifest does not hold (StatefulSet volumeClaimTemplates, pre-made PVCs).
    const inManifest = new Set(here.filter((t) => t.kind === 'PersistentVolumeClaim').map((t) => t.name));
    for (const t of nsTargets) if (t.target.kind === 'PersistentVolumeClaim' && t.live) state.claims[`${ns}/${t.target.name}`] = t.live;
    const podsHere = nsTargets.flatMap((t) => t.pods).concat(nsTargets.filter((t) => t.target.kind === 'Pod' && t.live).map((t) => t.live!));
    const missingClaims = new Set(podsHere.filter((p) => !isPodReady(p)).flatMap(claimNames).filter((c) => !inManifest.has(c)));
    if (missingClaims.size > 0) {
      for (const pvc of await listAll('v1', 'PersistentVolumeClaim', ns, {}, MAX_LIST_ITEMS)) {
        const name = pvc.metadata?.name;
        if (name && missingClaims.has(name)) state.claims[`${ns}/${name}`] = pvc;
      }
    }

    if (opts.events && nsTargets.some((t) => judgeTarget(t, state).ready === false)) {
      const notes = new Map<string, EventNote[]>();
      for (const ev of await listAll('v1', 'Event', ns, { fieldSelector: 'type=Warning' }, MAX_EVENTS)) {
        const kind = str(ev, 'involvedObject.kind');
        const name = str(ev, 'involvedObject.name');
        if (!kind || !name) continue;
        const key = `${ns}/${kind}/${name}`;
        const list = notes.get(key) ?? notes.set(key, []).get(key)!;
        list.push({
          reason: str(ev, 'reason') ?? '?',
          message: (str(ev, 'message') ?? '').trim(),
          count: num(ev, 'count') ?? 1,
          at: str(ev, 'lastTimestamp') ?? str(ev, 'eventTime') ?? str(ev, 'metadata.creationTimestamp') ?? '',
        });
      }
      for (const [key, list] of notes) state.events[key] = list.sort((a, b) => b.at.localeCompare(a.at)).slice(0, EVENTS_PER_OBJECT);
    }
  }
  return state;
}

// ---- Judging (pure) --------------------------------------------------------------------------------

/**
 * Why an object is not ready, worst first. Ranked by how surely waiting longer would not help:
 * what can never start (bad image, missing config, quota) before what cannot be placed, before what
 * runs but fails, before what may only be slow.
 */
export type CauseKind =
  | 'image-pull' | 'container-config' | 'replica-failure' | 'crash-loop' | 'unschedulable' | 'pvc-pending'
  | 'job-failed' | 'readiness-probe' | 'job-running' | 'missing' | 'progressing';

export const CAUSE_RANK: Readonly<Record<CauseKind, number>> = {
  'image-pull': 1, 'container-config': 2, 'replica-failure': 3, 'crash-loop': 4, unschedulable: 5, 'pvc-pending': 6,
  'job-failed': 7, 'readiness-probe': 8, 'job-running': 9, missing: 10, progressing: 11,
};

/** Causes that waiting will not cure: a stuck release with one of these is not "still running". */
export const FATAL: ReadonlySet<CauseKind> = new Set(['image-pull', 'container-config', 'replica-failure', 'crash-loop', 'unschedulable', 'pvc-pending', 'job-failed', 'readiness-probe']);

export interface Cause {
  kind: CauseKind;
  /** One line: what is wrong, with the image, exit reason, scheduler message or storage class. */
  text: string;
  pod?: string;
  container?: string;
  image?: string;
  /** The PersistentVolumeClaim, for pvc-pending. */
  claim?: string;
}

export interface TargetVerdict {
  /** `Deployment/api`, with `(pre-upgrade hook)` for hooks. */
  label: string;
  ready: boolean;
  /** e.g. `1/3 ready`. */
  progress: string;
  causes: Cause[];
  /** Still doing work (a hook Job with active pods, a rollout without a fatal cause). */
  active: boolean;
}

const IMAGE_PULL = new Set(['ErrImagePull', 'ImagePullBackOff', 'InvalidImageName', 'ErrImageNeverPull', 'RegistryUnavailable']);
const CONFIG_ERRORS = new Set(['CreateContainerConfigError', 'CreateContainerError', 'RunContainerError', 'PreCreateHookError', 'PostStartHookError']);

function condition(obj: unknown, type: string): Json | undefined {
  return records(obj, 'status.conditions').find((c) => c['type'] === type);
}
const isTrue = (c: Json | undefined): boolean => c?.['status'] === 'True';

export function isPodReady(pod: KubeObject): boolean {
  return str(pod, 'status.phase') === 'Succeeded' || isTrue(condition(pod, 'Ready'));
}

function clip(s: string, max = 240): string {
  const one = s.replace(/\s+/g, ' ').trim();
  return one.length > max ? `${one.slice(0, max - 1)}…` : one;
}

function eventsFor(state: Pick<LiveState, 'events'>, ns: string, kind: string, name: string): EventNote[] {
  return state.events[`${ns}/${kind}/${name}`] ?? [];
}

/** What keeps one pod from being ready, worst first. */
export function podCauses(pod: KubeObject, state: Pick<LiveState, 'events' | 'claims'>): Cause[] {
  if (isPodReady(pod)) return [];
  const name = pod.metadata?.name ?? '?';
  const ns = pod.metadata?.namespace ?? '';
  const events = eventsFor(state, ns, 'Pod', name);
  const specImage = (container: string): string | undefined =>
    [...records(pod, 'spec.initContainers'), ...records(pod, 'spec.containers')].map((c) => (str(c, 'name') === container ? str(c, 'image') : undefined)).find((i) => i !== undefined);
  const causes: Cause[] = [];
  const statuses = [...records(pod, 'status.initContainerStatuses'), ...records(pod, 'status.containerStatuses')];
  for (const cs of statuses) {
    const container = str(cs, 'name') ?? '?';
    const waiting = str(cs, 'state.waiting.reason');
    const waitingMessage = str(cs, 'state.waiting.message') ?? '';
    const image = specImage(container) ?? str(cs, 'image') ?? '?';
    if (waiting && IMAGE_PULL.has(waiting)) {
      const pulled = events.find((e) => /pull/i.test(e.message) && e.reason === 'Failed');
      const detail = clip(pulled?.message ?? waitingMessage, 200);
      causes.push({ kind: 'image-pull', pod: name, container, image, text: `image ${image} cannot be pulled (${waiting}${detail ? `: ${detail}` : ''})` });
    } else if (waiting && CONFIG_ERRORS.has(waiting)) {
      causes.push({ kind: 'container-config', pod: name, container, image, text: `container ${container} cannot be created (${waiting}${waitingMessage ? `: ${clip(waitingMessage, 200)}` : ''})` });
    } else if (waiting === 'CrashLoopBackOff' || (str(cs, 'state.terminated.reason') !== undefined && (num(cs, 'state.terminated.exitCode') ?? 0) !== 0)) {
      const last = str(cs, 'state.terminated.reason') ? 'state.terminated' : 'lastState.terminated';
      const reason = str(cs, `${last}.reason`) ?? 'unknown';
      const code = num(cs, `${last}.exitCode`);
      const restarts = num(cs, 'restartCount') ?? 0;
      const how = waiting === 'CrashLoopBackOff' ? `crash-looping (${restarts} restarts), last exit` : 'exited';
      causes.push({ kind: 'crash-loop', pod: name, container, image, text: `container ${container} ${how}: ${reason}${code !== undefined ? ` (exit code ${code})` : ''}` });
    } else if (str(cs, 'state.running.startedAt') !== undefined || at(cs, 'state.running') !== undefined) {
      if (cs['ready'] === true) continue;
      const probe = events.find((e) => e.reason === 'Unhealthy' && /readiness probe/i.test(e.message));
      if (probe) causes.push({ kind: 'readiness-probe', pod: name, container, image, text: `container ${container} fails its readiness probe (${clip(probe.message, 200)}${probe.count > 1 ? `, ${probe.count}×` : ''})` });
    }
  }
  const scheduled = condition(pod, 'PodScheduled');
  if (scheduled?.['status'] === 'False') {
    const pending = claimNames(pod).map((c) => state.claims[`${ns}/${c}`]).filter((c): c is KubeObject => c !== undefined && str(c, 'status.phase') !== 'Bound');
    if (pending.length > 0) {
      for (const pvc of pending) causes.push(pvcCause(pvc, state, name));
    } else {
      const failed = events.find((e) => e.reason === 'FailedScheduling');
      const message = clip(str(scheduled, 'message') ?? failed?.message ?? str(scheduled, 'reason') ?? 'no reason given', 300);
      causes.push({ kind: 'unschedulable', pod: name, text: `pod ${name} cannot be scheduled: ${message}` });
    }
  }
  return causes.sort((a, b) => CAUSE_RANK[a.kind] - CAUSE_RANK[b.kind]);
}

function pvcCause(pvc: KubeObject, state: Pick<LiveState, 'events'>, pod?: string): Cause {
  const name = pvc.metadata?.name ?? '?';
  const cls = str(pvc, 'spec.storageClassName');
  const ev = eventsFor(state, pvc.metadata?.namespace ?? '', 'PersistentVolumeClaim', name)[0];
  const phase = str(pvc, 'status.phase') ?? 'Pending';
  const why = ev ? `: ${ev.reason}: ${clip(ev.message, 200)}` : '';
  return {
    kind: 'pvc-pending',
    claim: name,
    ...(pod ? { pod } : {}),
    text: `PersistentVolumeClaim ${name} is ${phase} (storage class ${cls ?? 'not set: the default class, if any'})${why}`,
  };
}

function replicasLine(ready: number, want: number): string {
  return `${ready}/${want} ready`;
}

/** Readiness of one target as Helm's waiter sees it, and what keeps it back. */
export function judgeTarget(t: LiveTarget, state: Pick<LiveState, 'events' | 'claims'>): TargetVerdict {
  const { target, live } = t;
  const label = `${target.kind}/${target.name}${target.hook ? ` (${target.hook.join(', ')} hook)` : ''}`;
  if (!live) {
    return { label, ready: false, progress: 'not in the cluster', active: false, causes: [{ kind: 'missing', text: `${target.kind}/${target.name} is not in namespace ${target.namespace}` }] };
  }
  const podCause = (): Cause[] => t.pods.flatMap((p) => podCauses(p, state));
  const ownEvents = eventsFor(state, target.namespace, target.kind, target.name);
  switch (target.kind) {
    case 'Deployment':
    case 'StatefulSet': {
      const want = num(live, 'spec.replicas') ?? 1;
      const ready = num(live, target.kind === 'Deployment' ? 'status.availableReplicas' : 'status.readyReplicas') ?? 0;
      const updated = num(live, 'status.updatedReplicas') ?? (target.kind === 'StatefulSet' ? ready : 0);
      const generation = num(live, 'metadata.generation');
      const observed = num(live, 'status.observedGeneration');
      const isReady = ready >= want && updated >= want && (generation === undefined || observed === undefined || observed >= generation);
      const causes = isReady ? [] : podCause();
      const failure = condition(live, 'ReplicaFailure');
      if (!isReady && isTrue(failure)) causes.push({ kind: 'replica-failure', text: `${label} cannot create pods: ${clip(str(failure, 'message') ?? str(failure, 'reason') ?? '?')}` });
      const rsFailed = ownEvents.find((e) => e.reason === 'FailedCreate');
      if (!isReady && !isTrue(failure) && rsFailed) causes.push({ kind: 'replica-failure', text: `${label} cannot create pods: ${clip(rsFailed.message)}` });
      const progressing = condition(live, 'Progressing');
      const stalled = str(progressing, 'reason') === 'ProgressDeadlineExceeded';
      if (!isReady && causes.length === 0) {
        causes.push({ kind: 'progressing', text: `${label} has ${replicasLine(ready, want)}${stalled ? ' and passed its progress deadline' : ''}, no pod reports a reason` });
      }
      return finish(label, isReady, replicasLine(ready, want), causes, !stalled);
    }
    case 'DaemonSet': {
      const want = num(live, 'status.desiredNumberScheduled') ?? 0;
      const ready = num(live, 'status.numberReady') ?? 0;
      const updated = num(live, 'status.updatedNumberScheduled') ?? ready;
      const isReady = ready >= want && updated >= want;
      const causes = isReady ? [] : podCause();
      if (!isReady && causes.length === 0) causes.push({ kind: 'progressing', text: `${label} has ${replicasLine(ready, want)}, no pod reports a reason` });
      return finish(label, isReady, replicasLine(ready, want), causes, true);
    }
    case 'Job': {
      if (isTrue(condition(live, 'Complete'))) return finish(label, true, 'complete', [], false);
      const failed = condition(live, 'Failed');
      const active = num(live, 'status.active') ?? 0;
      const causes = podCause();
      if (isTrue(failed)) {
        causes.push({ kind: 'job-failed', text: `Job ${target.name} failed: ${str(failed, 'reason') ?? '?'}${str(failed, 'message') ? ` (${clip(str(failed, 'message')!)})` : ''}` });
      } else if (causes.length === 0) {
        causes.push({ kind: 'job-running', text: `Job ${target.name} has not completed: ${active} pod(s) active, ${num(live, 'status.failed') ?? 0} failed` });
      }
      return finish(label, false, isTrue(failed) ? 'failed' : `${active} active`, causes, !isTrue(failed) && active > 0);
    }
    case 'PersistentVolumeClaim': {
      const bound = str(live, 'status.phase') === 'Bound';
      return finish(label, bound, str(live, 'status.phase') ?? 'Pending', bound ? [] : [pvcCause(live, state)], false);
    }
    default: {
      const ready = isPodReady(live);
      const causes = podCauses(live, state);
      if (!ready && causes.length === 0) causes.push({ kind: 'progressing', text: `pod ${target.name} is ${str(live, 'status.phase') ?? 'Pending'} and not ready, no reason reported` });
      return finish(label, ready, ready ? 'ready' : (str(live, 'status.phase') ?? 'Pending'), causes, true);
    }
  }
}

function finish(label: string, ready: boolean, progress: string, causes: Cause[], mayProgress: boolean): TargetVerdict {
  const sorted = dedupe(causes).sort((a, b) => CAUSE_RANK[a.kind] - CAUSE_RANK[b.kind]);
  const fatal = sorted.some((c) => FATAL.has(c.kind));
  return { label, ready, progress, causes: sorted, active: !ready && mayProgress && !fatal };
}

/** The same cause on ten pods of one ReplicaSet reads once, with the first pod named. */
function dedupe(causes: Cause[]): Cause[] {
  const seen = new Map<string, Cause>();
  for (const c of causes) {
    const key = `${c.kind}|${c.container ?? ''}|${c.image ?? ''}|${c.pod ? c.text.split(c.pod).join('') : c.text}`;
    if (!seen.has(key)) seen.set(key, c);
  }
  return [...seen.values()];
}

/** Every target judged, the not-ready ones first and worst first. */
export function judgeAll(state: LiveState): TargetVerdict[] {
  const verdicts = state.targets.map((t) => judgeTarget(t, state));
  const worst = (v: TargetVerdict): number => (v.ready ? 99 : Math.min(...v.causes.map((c) => CAUSE_RANK[c.kind]), 98));
  return verdicts.map((v, i) => ({ v, i })).sort((a, b) => worst(a.v) - worst(b.v) || a.i - b.i).map((x) => x.v);
}
