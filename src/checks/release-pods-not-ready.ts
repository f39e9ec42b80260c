// "timed out waiting for the condition": which of the release's pods are not ready, and why.
import type { KubeObject } from '../kube/types.js';
import { defineCheck } from './define.js';
import { records, str } from './fields.js';
import { releaseFromFacts } from './releases.js';

export const MAX_PODS_SHOWN = 5;
export const MAX_EVENTS_PER_POD = 2;

export interface PodState {
  name: string;
  phase: string;
  ready: boolean;
  /** Waiting/terminated reasons of its containers, e.g. `app: ImagePullBackOff`. */
  reasons: string[];
  /** Recent warning events about it, newest first. */
  events: string[];
}

export interface Gathered {
  release: string;
  namespace: string;
  pods: PodState[];
}

export function podState(pod: KubeObject): Omit<PodState, 'events'> {
  const ready = records(pod, 'status.conditions').some((c) => c['type'] === 'Ready' && c['status'] === 'True');
  const reasons = records(pod, 'status.containerStatuses').flatMap((cs) => {
    const name = str(cs, 'name') ?? '?';
    const waiting = str(cs, 'state.waiting.reason');
    const terminated = str(cs, 'state.terminated.reason') ?? str(cs, 'lastState.terminated.reason');
    const r = waiting ?? terminated;
    return r ? [`${name}: ${r}`] : [];
  });
  const unschedulable = records(pod, 'status.conditions').find((c) => c['type'] === 'PodScheduled' && c['status'] === 'False');
  if (unschedulable) reasons.push(`unschedulable: ${str(unschedulable, 'message') ?? str(unschedulable, 'reason') ?? '?'}`);
  return { name: pod.metadata?.name ?? '?', phase: str(pod, 'status.phase') ?? 'Unknown', ready, reasons };
}

export const releasePodsNotReady = defineCheck<Gathered>({
  id: 'release-pods-not-ready',
  description: "Pods labelled for the release that are not ready, with container reasons and recent warning events.",
  permissions: ['list pods, events in the release namespace'],
  async gather({ kube, facts, signal }) {
    const { release, namespace } = releaseFromFacts(facts);
    const seen = new Map<string, Omit<PodState, 'events'>>();
    for (const selector of [`app.kubernetes.io/instance=${release}`, `release=${release}`]) {
      for await (const pod of kube.list('v1', 'Pod', { namespace, labelSelector: selector, signal })) {
        const s = podState(pod);
        seen.set(s.name, s);
      }
    }
    const notReady = new Set([...seen.values()].filter((p) => !p.ready && p.phase !== 'Succeeded').map((p) => p.name));
    const events = new Map<string, Array<{ at: string; text: string }>>();
    if (notReady.size > 0) {
      for await (const ev of kube.list('v1', 'Event', { namespace, fieldSelector: 'type=Warning', signal })) {
        const pod = str(ev, 'involvedObject.name');
        if (str(ev, 'involvedObject.kind') !== 'Pod' || !pod || !notReady.has(pod)) continue;
        const list = events.get(pod) ?? [];
        list.push({ at: str(ev, 'lastTimestamp') ?? str(ev, 'eventTime') ?? '', text: `${str(ev, 'reason') ?? '?'}: ${str(ev, 'message') ?? ''}`.trim() });
        events.set(pod, list);
      }
    }
    const pods = [...seen.values()].map((p) => ({
      ...p,
      events: (events.get(p.name) ?? []).sort((a, b) => b.at.localeCompare(a.at)).slice(0, MAX_EVENTS_PER_POD).map((e) => e.text),
    }));
    return { release, namespace, pods };
  },
  judge({ release, namespace, pods }) {
    if (pods.length === 0) {
      return { status: 'inconclusive', summary: `no pods labelled for release ${release} in ${namespace} (app.kubernetes.io/instance or release)`, evidence: [] };
    }
    const bad = pods.filter((p) => !p.ready && p.phase !== 'Succeeded');
    if (bad.length === 0) {
      return { status: 'refuted', summary: `all ${pods.length} pod(s) of ${release} are ready now: the wait may have been too short (raise --timeout)`, evidence: [] };
    }
    const evidence = bad.slice(0, MAX_PODS_SHOWN).map((p) => {
      const why = [...p.reasons, ...p.events].join('; ');
      return `${p.name} (${p.phase}): ${why || 'not ready, no reason reported'}`;
    });
    const topReason = bad.flatMap((p) => p.reasons)[0];
    return {
      status: 'confirmed',
      summary: `${bad.length} of ${pods.length} pod(s) of ${release} not ready${topReason ? ` (e.g. ${topReason})` : ''}`,
      evidence,
      learned: { notReadyPods: String(bad.length), ...(topReason ? { notReadyReason: topReason } : {}) },
    };
  },
});
