// Pure: the objects of a revision's manifest, keyed the way Helm matches them across revisions
// (pkg/kube ResourceList.Difference: group, kind, namespace and name — not the version, so a
// PodDisruptionBudget moving from policy/v1beta1 to policy/v1 is the same object).
import { loadAll } from 'js-yaml';
import { manifestDocuments, manifestResource, parseManifest, type ManifestResource } from '../kube/helm-manifest.js';
import { BUILTIN_RESOURCES, splitApiVersion } from '../kube/resources.js';
import type { ObjectKey } from '../model/rollback.js';

export interface ManifestObject {
  key: ObjectKey;
  /** identity(key), computed once: every lookup across the two revisions and the live state uses it. */
  id: string;
  object: Record<string, unknown>;
}

// Cluster-scoped kinds a chart commonly renders, beyond the built-in table (which says for its own kinds).
const CLUSTER_SCOPED = new Set([
  'ClusterRole', 'ClusterRoleBinding', 'PersistentVolume', 'StorageClass', 'PriorityClass', 'IngressClass',
  'RuntimeClass', 'CSIDriver', 'VolumeSnapshotClass', 'ClusterIssuer', 'APIService', 'Namespace',
  'CustomResourceDefinition', 'ValidatingWebhookConfiguration', 'MutatingWebhookConfiguration', 'PodSecurityPolicy',
  'ValidatingAdmissionPolicy', 'ValidatingAdmissionPolicyBinding', 'GatewayClass',
]);

export function isClusterScoped(apiVersion: string, kind: string): boolean {
  const { group } = splitApiVersion(apiVersion);
  const builtin = BUILTIN_RESOURCES.find((r) => r.group === group && r.kind === kind);
  return builtin ? !builtin.namespaced : CLUSTER_SCOPED.has(kind);
}

/** Identity across revisions: `group/Kind/namespace/name`. */
export function identity(key: ObjectKey): string {
  return `${splitApiVersion(key.apiVersion).group}/${key.kind}/${key.namespace}/${key.name}`;
}

/** More alias or anchor marks than this in one document: parsed by the `yaml` package, which caps alias expansion. */
const MAX_ALIAS_MARKS = 100;

/**
 * The objects of one manifest document. js-yaml parses a 2,000-object manifest about 4× faster than
 * the `yaml` package (parseManifest); its aliases stay shared references, so a document full of them
 * (a billion-laughs record) goes to parseManifest instead, whose expansion cap refuses it.
 */
function documentObjects(text: string): ManifestResource[] {
  if ((text.match(/[*&][A-Za-z0-9_-]/g)?.length ?? 0) > MAX_ALIAS_MARKS) return parseManifest(text);
  let values: unknown[];
  try {
    values = loadAll(text, { json: true });
  } catch {
    return []; // a document that does not parse is skipped, as parseManifest skips it
  }
  return values.flatMap((value) => manifestResource(value) ?? []);
}

/** The objects of a manifest; objects without a namespace are in the release namespace (as Helm applies them). */
export function manifestObjects(manifest: string, releaseNamespace: string): ManifestObject[] {
  const out: ManifestObject[] = [];
  const seen = new Set<string>();
  for (const r of manifestDocuments(manifest).flatMap(documentObjects)) {
    const namespace = isClusterScoped(r.apiVersion, r.kind) ? '' : (r.namespace ?? releaseNamespace);
    const key: ObjectKey = { apiVersion: r.apiVersion, kind: r.kind, namespace, name: r.name };
    const id = identity(key);
    // Helm refuses a manifest with the same object twice; the first one stands for it here.
    if (seen.has(id)) continue;
    seen.add(id);
    out.push({ key, id, object: r.object });
  }
  return out;
}
