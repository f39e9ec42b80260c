// A release manifest is a YAML stream of the objects Helm applied; checks look objects up in it.
import { parseManifest } from '../kube/helm-manifest.js';
import type { KubeObject } from '../kube/types.js';

export function manifestObjects(manifest: string): KubeObject[] {
  return parseManifest(manifest).map((r) => r.object as KubeObject);
}

export function findObject(objects: readonly KubeObject[], kind: string, name: string): KubeObject | undefined {
  return objects.find((o) => o.kind === kind && o.metadata?.name === name);
}

export function objectsOfKind(objects: readonly KubeObject[], ...kinds: string[]): KubeObject[] {
  return objects.filter((o) => o.kind !== undefined && kinds.includes(o.kind));
}
