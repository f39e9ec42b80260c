import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { CHECKS } from '../../src/checks/registry.js';
import { ROOT } from './support/chart.js';
import { parsePermission, type Grant } from './support/permissions.js';
import { isRecord } from './support/gotemplate.js';

// Every permission a check declares (src/checks/*, `permissions`) is granted by deploy/rbac, and every
// check id the rules name is a real check. A new check that reads a new kind fails here until the
// rules (and the README table) say why it may.

interface Rule {
  apiGroups: string[];
  resources: string[];
  nonResourceURLs: string[];
  verbs: string[];
  checks: string[];
}

function list(v: unknown): string[] {
  return Array.isArray(v) ? v.map(String) : [];
}

const rules: Rule[] = ['rules-cluster.yaml', 'rules-namespaced.yaml'].flatMap((file) => {
  const doc: unknown = parseYaml(readFileSync(join(ROOT, 'deploy/rbac', file), 'utf8'));
  const raw = isRecord(doc) && Array.isArray(doc.rules) ? doc.rules.filter(isRecord) : [];
  return raw.map((r) => ({ apiGroups: list(r.apiGroups), resources: list(r.resources), nonResourceURLs: list(r.nonResourceURLs), verbs: list(r.verbs), checks: list(r.checks) }));
});

function granted(g: Grant): boolean {
  return rules.some((r) =>
    r.verbs.includes(g.verb) &&
    (g.resource.startsWith('/')
      ? r.nonResourceURLs.includes(g.resource)
      : r.resources.includes(g.resource) && (g.group === null || r.apiGroups.includes(g.group))),
  );
}

describe('check permissions (src/checks/registry.ts) against deploy/rbac', () => {
  it('reads the permission texts (the parser itself)', () => {
    expect(parsePermission('list validatingwebhookconfigurations/mutatingwebhookconfigurations.admissionregistration.k8s.io')).toEqual([
      { verb: 'list', resource: 'validatingwebhookconfigurations', group: 'admissionregistration.k8s.io' },
      { verb: 'list', resource: 'mutatingwebhookconfigurations', group: 'admissionregistration.k8s.io' },
    ]);
    expect(parsePermission('list secrets (labels owner=helm,name=<release>) in the release namespace')).toEqual([{ verb: 'list', resource: 'secrets', group: null }]);
    expect(parsePermission('get <the conflicting kind> in the release namespace')).toEqual([]);
    expect(parsePermission('get /api, /apis (discovery)').map((g) => g.resource)).toEqual(['/api', '/apis']);
    expect(granted({ verb: 'delete', resource: 'pods', group: null })).toBe(false);
    expect(granted({ verb: 'list', resource: 'jobs', group: 'apps' })).toBe(false);
  });

  it('every declared permission is granted', () => {
    const missing: string[] = [];
    for (const check of CHECKS) {
      for (const text of check.permissions) {
        for (const g of parsePermission(text)) if (!granted(g)) missing.push(`${check.id}: ${g.verb} ${g.resource}${g.group ? `.${g.group}` : ''}`);
      }
    }
    expect(missing).toEqual([]);
  });

  it('every check is named by some rule, and every rule names only registered checks', () => {
    const ids = CHECKS.map((c) => c.id);
    const named = new Set(rules.flatMap((r) => r.checks));
    expect(ids.filter((id) => !named.has(id))).toEqual([]);
    expect([...named].filter((id) => !ids.includes(id))).toEqual([]);
  });

  it('a rule that names a check covers a resource that check declares (no stale attributions)', () => {
    const stale: string[] = [];
    for (const rule of rules) {
      for (const id of rule.checks) {
        const check = CHECKS.find((c) => c.id === id);
        const declared = (check?.permissions ?? []).flatMap(parsePermission).map((g) => g.resource);
        // Release records: checks say "secrets"; the ConfigMap driver keeps the same records in configmaps.
        if (declared.includes('secrets')) declared.push('configmaps');
        const placeholders = (check?.permissions ?? []).some((p) => /<|\bthe named kinds\b/.test(p));
        const covers = [...rule.resources, ...rule.nonResourceURLs].some((r) => declared.includes(r) || (r.endsWith('/*') && declared.some((d) => d.startsWith(r.slice(0, -2)))));
        // Checks that look up "the kinds the release names" may use any granted kind.
        if (!covers && !placeholders) stale.push(`${id} on ${[...rule.resources, ...rule.nonResourceURLs].join(',')}`);
      }
    }
    expect(stale).toEqual([]);
  });
});
