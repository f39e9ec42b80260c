// How many ready backends a Service has: the question behind every "webhook unavailable" error.
import type { ReadOnlyKube } from '../kube/types.js';
import { at, records } from './fields.js';

export interface ServiceEndpoints {
  service: string;
  /** False when the Service itself does not exist. */
  exists: boolean;
  ready: number;
  notReady: number;
}

export async function readServiceEndpoints(kube: ReadOnlyKube, namespace: string, name: string, signal: AbortSignal): Promise<ServiceEndpoints> {
  const service = `${namespace}/${name}`;
  const [svc, ep] = await Promise.all([
    kube.get('v1', 'Service', name, namespace, signal),
    kube.get('v1', 'Endpoints', name, namespace, signal),
  ]);
  if (ep === null && svc !== null) return { service, exists: true, ...(await fromSlices(kube, namespace, name, signal)) };
  const subsets = records(ep, 'subsets');
  return {
    service,
    exists: svc !== null,
    ready: subsets.reduce((n, s) => n + records(s, 'addresses').length, 0),
    notReady: subsets.reduce((n, s) => n + records(s, 'notReadyAddresses').length, 0),
  };
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

export function describeEndpoints(e: ServiceEndpoints): string {
  if (!e.exists) return `service ${e.service} does not exist`;
  return `service ${e.service}: ${e.ready} ready, ${e.notReady} not ready endpoint(s)`;
}
