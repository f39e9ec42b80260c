// How many ready backends a Service has: the question behind every "webhook unavailable" error.
import type { ReadOnlyKube } from '../kube/types.js';
import type { KubeObject } from '../kube/types.js';
import { at, isRecord, num, records, str } from './fields.js';

/** Why a Service has no ready endpoints, from one of the pods its selector picks. */
export interface PodState {
  name: string;
  /** e.g. `0/1` */
  ready: string;
  phase: string;
  /** The waiting reason of a container that is not running (CrashLoopBackOff, ImagePullBackOff …). */
  waiting?: string;
  restarts: number;
  /** The last termination of a container: reason and exit code (`Error, exit code 1`). */
  lastTermination?: string;
}

export interface ServiceEndpoints {
  service: string;
  /** False when the Service itself does not exist. */
  exists: boolean;
  ready: number;
  notReady: number;
  /** The pods the Service selects, read only when no endpoint is ready (undefined: not read). */
  pods?: PodState[];
  /** The Service has no selector (endpoints managed by hand): no pods to look at. */
  noSelector?: boolean;
}

/** Pods listed per Service without ready endpoints; the finding shows the first few. */
export const MAX_PODS_DESCRIBED = 3;

export async function readServiceEndpoints(kube: ReadOnlyKube, namespace: string, name: string, signal: AbortSignal): Promise<ServiceEndpoints> {
  const service = `${namespace}/${name}`;
  const [svc, ep] = await Promise.all([
    kube.get('v1', 'Service', name, namespace, signal),
    kube.get('v1', 'Endpoints', name, namespace, signal),
  ]);
  let counts: { ready: number; notReady: number };
  if (ep === null && svc !== null) counts = await fromSlices(kube, namespace, name, signal);
  else {
    const subsets = records(ep, 'subsets');
    counts = {
      ready: subsets.reduce((n, s) => n + records(s, 'addresses').length, 0),
      notReady: subsets.reduce((n, s) => n + records(s, 'notReadyAddresses').length, 0),
    };
  }
  const out: ServiceEndpoints = { service, exists: svc !== null, ...counts };
  if (svc === null || counts.ready > 0) return out;
  // No ready endpoint: say why, from the pods the Service selects.
  const selector = labelSelectorOf(svc);
  if (selector === null) return { ...out, noSelector: true };
  const pods: PodState[] = [];
  for await (const pod of kube.list('v1', 'Pod', { namespace, labelSelector: selector, signal })) pods.push(podState(pod));
  return { ...out, pods };
}

/** `a=b,c=d` from a Service's spec.selector; null when it has none. */
export function labelSelectorOf(svc: KubeObject): string | null {
  const selector = at(svc, 'spec.selector');
  if (!isRecord(selector)) return null;
  const terms = Object.entries(selector).filter(([, v]) => typeof v === 'string').map(([k, v]) => `${k}=${String(v)}`);
  return terms.length > 0 ? terms.join(',') : null;
}

/** Pure: what a pod's status says about why it does not serve. */
export function podState(pod: KubeObject): PodState {
  const statuses = records(pod, 'status.containerStatuses');
  const declared = records(pod, 'spec.containers').length;
  const total = Math.max(statuses.length, declared);
  const ready = statuses.filter((c) => at(c, 'ready') === true).length;
  const waiting = statuses.map((c) => str(c, 'state.waiting.reason')).find((r) => r !== undefined)
    ?? records(pod, 'status.initContainerStatuses').map((c) => str(c, 'state.waiting.reason')).find((r) => r !== undefined);
  const restarts = statuses.reduce((n, c) => n + (num(c, 'restartCount') ?? 0), 0);
  const terminated = statuses.map((c) => at(c, 'lastState.terminated') ?? at(c, 'state.terminated')).find(isRecord);
  const out: PodState = { name: pod.metadata?.name ?? '?', ready: `${ready}/${total}`, phase: str(pod, 'status.phase') ?? 'Unknown', restarts };
  if (waiting) out.waiting = waiting;
  if (terminated) {
    const reason = str(terminated, 'reason') ?? 'terminated';
    const code = num(terminated, 'exitCode');
    out.lastTermination = code === undefined ? reason : `${reason}, exit code ${code}`;
  }
  return out;
}

export function describePod(p: PodState): string {
  const parts = [`${p.name} ${p.ready} ready`, p.waiting ?? p.phase];
  if (p.restarts > 0) parts.push(`${p.restarts} restart${p.restarts === 1 ? '' : 's'}`);
  if (p.lastTermination) parts.push(`last terminated: ${p.lastTermination}`);
  return parts.join(', ');
}

// Clusters that stopped mirroring the deprecated Endpoints API still publish EndpointSlices.
async function fromSlices(kube: ReadOnlyKube, namespace: string, name: string, signal: AbortSignal): Promise<{ ready: number; notReady: number }> {
  let ready = 0;
  let notReady = 0;
  for await (const slice of kube.list('discovery.k8s.io/v1', 'EndpointSlice', { namespace, labelSelector: `kubernetes.io/service-name=${name}`, signal })) {
    for (const e of records(slice, 'endpoints')) {
      // An unset `ready` condition means ready (discovery.k8s.io/v1).
      if (at(e, 'conditions.ready') === false) notReady++;
      else ready++;
    }
  }
  return { ready, notReady };
}

/** Why the Service has no ready endpoints, in the pods' words (empty when it has ready ones). */
export function describeBackingPods(e: ServiceEndpoints): string {
  if (!e.exists || e.ready > 0) return '';
  if (e.noSelector) return '; the Service has no selector (endpoints are managed by hand)';
  if (!e.pods) return '';
  if (e.pods.length === 0) return '; its selector matches no pods (is the webhook\'s Deployment scaled to 0 or gone?)';
  const shown = e.pods.slice(0, MAX_PODS_DESCRIBED).map(describePod).join('; ');
  const more = e.pods.length > MAX_PODS_DESCRIBED ? `; and ${e.pods.length - MAX_PODS_DESCRIBED} more` : '';
  return `; backing pod${e.pods.length === 1 ? '' : 's'}: ${shown}${more}`;
}

export function describeEndpoints(e: ServiceEndpoints): string {
  if (!e.exists) return `service ${e.service} does not exist`;
  return `service ${e.service}: ${e.ready} ready, ${e.notReady} not ready endpoint(s)${describeBackingPods(e)}`;
}
