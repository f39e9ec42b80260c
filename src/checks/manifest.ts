// A release manifest is a YAML stream of the objects Helm applied; checks look objects up in it.
import { parseAllDocuments } from 'yaml';
import type { KubeObject } from '../kube/types.js';
import { isRecord } from './fields.js';

export function manifestObjects(manifest: string): KubeObject[] {
  const out: KubeObject[] = [];
  for (const doc of parseAllDocuments(manifest)) {
    if (doc.errors.length > 0) continue;
    const value: unknown = doc.toJS();
    if (isRecord(value) && typeof value['kind'] === 'string') out.push(value as KubeObject);
  }
  return out;
}

export function findObject(objects: readonly KubeObject[], kind: string, name: string): KubeObject | undefined {
  return objects.find((o) => o.kind === kind && o.metadata?.name === name);
}

export function objectsOfKind(objects: readonly KubeObject[], ...kinds: string[]): KubeObject[] {
  return objects.filter((o) => o.kind !== undefined && kinds.includes(o.kind));
}
