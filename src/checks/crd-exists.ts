// Is there a CustomResourceDefinition for the kind's group? Built-in groups never have one.
import { splitApiVersion } from '../kube/resources.js';
import { defineCheck } from './define.js';
import { MissingFactError } from './errors.js';
import { records, str } from './fields.js';

export interface CrdState {
  name: string;
  kind: string;
  servedVersions: string[];
}

export interface Gathered {
  group: string;
  version: string;
  kind: string | null;
  builtIn: boolean;
  crds: CrdState[];
}

/** Groups Kubernetes itself serves: a missing kind there is a removed API, not a missing CRD. */
export function isBuiltInGroup(group: string): boolean {
  return group === '' || !group.includes('.') || BUILT_IN_K8S_IO.has(group);
}

// `*.k8s.io` groups served by kube-apiserver itself (others, e.g. gateway.networking.k8s.io, are CRDs).
const BUILT_IN_K8S_IO = new Set([
  'admissionregistration.k8s.io', 'apiextensions.k8s.io', 'apiregistration.k8s.io', 'authentication.k8s.io',
  'authorization.k8s.io', 'certificates.k8s.io', 'coordination.k8s.io', 'discovery.k8s.io', 'events.k8s.io',
  'flowcontrol.apiserver.k8s.io', 'internal.apiserver.k8s.io', 'networking.k8s.io', 'node.k8s.io',
  'rbac.authorization.k8s.io', 'resource.k8s.io', 'scheduling.k8s.io', 'storage.k8s.io', 'storagemigration.k8s.io',
  'metrics.k8s.io',
]);

export const crdExists = defineCheck<Gathered>({
  id: 'crd-exists',
  description: "Whether a CustomResourceDefinition serves the error's kind and apiVersion.",
  permissions: ['list customresourcedefinitions.apiextensions.k8s.io'],
  async gather({ kube, facts, signal }) {
    if (!facts.apiVersion) throw new MissingFactError('apiVersion', 'the error text names no apiVersion');
    const { group, version } = splitApiVersion(facts.apiVersion);
    const kind = facts.kind ?? facts.resource?.kind ?? null;
    if (isBuiltInGroup(group)) return { group, version, kind, builtIn: true, crds: [] };
    const crds: CrdState[] = [];
    for await (const crd of kube.list('apiextensions.k8s.io/v1', 'CustomResourceDefinition', { signal })) {
      if (str(crd, 'spec.group') !== group) continue;
      crds.push({
        name: crd.metadata?.name ?? '?',
        kind: str(crd, 'spec.names.kind') ?? '?',
        servedVersions: records(crd, 'spec.versions').filter((v) => v['served'] !== false).map((v) => str(v, 'name') ?? '?'),
      });
    }
    return { group, version, kind, builtIn: false, crds };
  },
  judge({ group, version, kind, builtIn, crds }) {
    if (builtIn) {
      return { status: 'inconclusive', summary: `${group || 'core'} is a built-in API group: no CRD involved (see api-served)`, evidence: [] };
    }
    const match = crds.find((c) => kind === null || c.kind === kind);
    const evidence = crds.map((c) => `CRD ${c.name}: kind ${c.kind}, served versions [${c.servedVersions.join(', ')}]`);
    const what = `${kind ?? 'any kind'} in group ${group}`;
    if (!match) {
      return { status: 'confirmed', summary: `no CRD defines ${what}: install the operator/CRDs first`, evidence };
    }
    if (!match.servedVersions.includes(version)) {
      return {
        status: 'confirmed',
        summary: `CRD ${match.name} exists but does not serve ${version} (serves ${match.servedVersions.join(', ') || 'none'})`,
        evidence,
        learned: { crd: match.name },
      };
    }
    return { status: 'refuted', summary: `CRD ${match.name} serves ${kind ?? match.kind} in ${group}/${version}`, evidence, learned: { crd: match.name } };
  },
});
