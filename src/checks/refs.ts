// Resources named in error text come without apiVersion: fill it in for the common kinds.
import { BUILTIN_RESOURCES } from '../kube/resources.js';
import type { ResourceRef } from '../triage/types.js';

export function apiVersionOf(ref: Pick<ResourceRef, 'kind' | 'apiVersion'>): string | null {
  if (ref.apiVersion) return ref.apiVersion;
  const kind = ref.kind.toLowerCase();
  const r = BUILTIN_RESOURCES.find((b) => b.kind.toLowerCase() === kind || b.plural === kind);
  return r ? (r.group ? `${r.group}/${r.version}` : r.version) : null;
}

/** The kind as the API spells it (error text may say `deployments` or `deployment`). */
export function canonicalKind(kind: string): string {
  const k = kind.toLowerCase();
  return BUILTIN_RESOURCES.find((b) => b.kind.toLowerCase() === k || b.plural === k)?.kind ?? kind;
}

export function describeRef(ref: Pick<ResourceRef, 'kind' | 'name' | 'namespace'>): string {
  return `${ref.kind}/${ref.name}${ref.namespace ? ` in ${ref.namespace}` : ''}`;
}
