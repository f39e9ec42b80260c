// The permissions checks declare (src/checks/*, `permissions`), read as RBAC grants; the RBAC tests
// derive what the rules must cover from these, so a new check adds no list here.
import { CHECKS } from '../../../src/checks/registry.js';
import { BUILTIN_RESOURCES } from '../../../src/kube/resources.js';

export interface Grant {
  verb: string;
  resource: string;
  group: string | null;
}

/**
 * Reads the free-text permissions checks declare, e.g. `list pods, replicasets.apps (…) in the release
 * namespace` or `get /api, /apis`. Placeholders (`<the conflicting kind>`, `the named kinds`) name no
 * fixed resource and are skipped.
 */
export function parsePermission(text: string): Grant[] {
  const withoutNotes = text.replace(/\([^)]*\)/g, '').replace(/\s+in (the |namespace ).*$/, '').trim();
  const [verb = '', ...rest] = withoutNotes.split(/\s+/);
  const grants: Grant[] = [];
  for (const item of rest.join(' ').split(',').map((s) => s.trim()).filter(Boolean)) {
    if (item.includes('<') || /^the\b/.test(item)) continue;
    if (item.startsWith('/')) {
      grants.push({ verb, resource: item, group: null });
      continue;
    }
    // `a/b.group`: both resources share the group written once at the end.
    const names = item.split('/');
    const last = names[names.length - 1] ?? '';
    const group = last.includes('.') ? last.slice(last.indexOf('.') + 1) : null;
    for (const name of names) grants.push({ verb, resource: name.split('.')[0] ?? name, group });
  }
  return grants;
}

/**
 * The resources the checks read, split by scope (Kubernetes' own: cluster-scoped kinds go in a
 * ClusterRole). Release records: checks say "secrets"; the ConfigMap driver keeps them in configmaps.
 */
export function declaredResources(): { namespaced: string[]; clusterScoped: string[] } {
  const resources = new Set(CHECKS.flatMap((c) => c.permissions.flatMap(parsePermission)).map((g) => g.resource).filter((r) => !r.startsWith('/')));
  if (resources.has('secrets')) resources.add('configmaps');
  const clusterScoped = new Set(BUILTIN_RESOURCES.filter((r) => !r.namespaced).map((r) => r.plural));
  return {
    namespaced: [...resources].filter((r) => !clusterScoped.has(r)).sort(),
    clusterScoped: [...resources].filter((r) => clusterScoped.has(r)).sort(),
  };
}
