// apiVersion + kind → REST resource. The built-in table answers the common kinds without a
// discovery round-trip; anything else (CRDs) goes through discovery.

export interface ResourceInfo {
  /** '' for the core group */
  group: string;
  version: string;
  kind: string;
  plural: string;
  namespaced: boolean;
}

const T = (group: string, version: string, kind: string, plural: string, namespaced: boolean): ResourceInfo => ({
  group,
  version,
  kind,
  plural,
  namespaced,
});

export const BUILTIN_RESOURCES: readonly ResourceInfo[] = [
  T('', 'v1', 'Pod', 'pods', true),
  T('', 'v1', 'Service', 'services', true),
  T('', 'v1', 'Secret', 'secrets', true),
  T('', 'v1', 'ConfigMap', 'configmaps', true),
  T('', 'v1', 'Endpoints', 'endpoints', true),
  T('', 'v1', 'Event', 'events', true),
  T('', 'v1', 'ServiceAccount', 'serviceaccounts', true),
  T('', 'v1', 'PersistentVolumeClaim', 'persistentvolumeclaims', true),
  T('', 'v1', 'Namespace', 'namespaces', false),
  T('', 'v1', 'Node', 'nodes', false),
  T('apps', 'v1', 'Deployment', 'deployments', true),
  T('apps', 'v1', 'ReplicaSet', 'replicasets', true),
  T('apps', 'v1', 'StatefulSet', 'statefulsets', true),
  T('apps', 'v1', 'DaemonSet', 'daemonsets', true),
  T('apps', 'v1', 'ControllerRevision', 'controllerrevisions', true),
  T('batch', 'v1', 'Job', 'jobs', true),
  T('batch', 'v1', 'CronJob', 'cronjobs', true),
  T('apiextensions.k8s.io', 'v1', 'CustomResourceDefinition', 'customresourcedefinitions', false),
  T('admissionregistration.k8s.io', 'v1', 'ValidatingWebhookConfiguration', 'validatingwebhookconfigurations', false),
  T('admissionregistration.k8s.io', 'v1', 'MutatingWebhookConfiguration', 'mutatingwebhookconfigurations', false),
  T('apiregistration.k8s.io', 'v1', 'APIService', 'apiservices', false),
  T('discovery.k8s.io', 'v1', 'EndpointSlice', 'endpointslices', true),
  T('events.k8s.io', 'v1', 'Event', 'events', true),
  T('networking.k8s.io', 'v1', 'Ingress', 'ingresses', true),
  T('policy', 'v1', 'PodDisruptionBudget', 'poddisruptionbudgets', true),
];

export function splitApiVersion(apiVersion: string): { group: string; version: string } {
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? { group: '', version: apiVersion } : { group: apiVersion.slice(0, slash), version: apiVersion.slice(slash + 1) };
}

export function builtinResource(apiVersion: string, kind: string): ResourceInfo | undefined {
  const { group, version } = splitApiVersion(apiVersion);
  return BUILTIN_RESOURCES.find((r) => r.group === group && r.version === version && r.kind === kind);
}

/** `/api/v1` or `/apis/{group}/{version}` */
export function groupVersionPath(apiVersion: string): string {
  const { group, version } = splitApiVersion(apiVersion);
  return group === '' ? `/api/${encodeURIComponent(version)}` : `/apis/${encodeURIComponent(group)}/${encodeURIComponent(version)}`;
}

/** REST path of a collection (name undefined) or of one object. */
export function resourcePath(r: ResourceInfo, namespace?: string, name?: string): string {
  const base = groupVersionPath(r.group ? `${r.group}/${r.version}` : r.version);
  const ns = r.namespaced && namespace ? `/namespaces/${encodeURIComponent(namespace)}` : '';
  const tail = name !== undefined ? `/${encodeURIComponent(name)}` : '';
  return `${base}${ns}/${r.plural}${tail}`;
}

/** RBAC spelling of a resource: `pods`, `deployments.apps`. */
export function rbacResource(r: ResourceInfo): string {
  return r.group ? `${r.plural}.${r.group}` : r.plural;
}
