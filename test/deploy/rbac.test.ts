import { realpathSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { checkIds } from '../../src/checks/registry.js';
import { CHART_DIR, ROOT, renderChart, templateFiles, type Manifest } from './support/chart.js';
import { isRecord } from './support/gotemplate.js';
import { declaredResources } from './support/permissions.js';

// The agent must never be able to change a cluster: every permission is a read, and each one is
// there because a named check needs it.

const READ_VERBS = new Set(['get', 'list', 'watch']);
const CHECK_IDS = checkIds();
// What the checks declare (test/deploy/support/permissions.ts; test/deploy/check-permissions.test.ts holds
// the rules to each declaration).
const { namespaced: NAMESPACED, clusterScoped: CLUSTER_SCOPED } = declaredResources();
const DISCOVERY_URLS = new Set(['/version', '/api', '/api/*', '/apis', '/apis/*']);

interface RuleFileRule {
  apiGroups?: string[];
  resources?: string[];
  nonResourceURLs?: string[];
  verbs: string[];
  driver: string;
  checks: string[];
  why: string;
}

function strings(v: unknown): string[] | undefined {
  return Array.isArray(v) && v.every((s) => typeof s === 'string') ? v : undefined;
}

function loadRules(file: string): RuleFileRule[] {
  const doc: unknown = parseYaml(readFileSync(join(ROOT, 'deploy/rbac', file), 'utf8'));
  if (!isRecord(doc) || !Array.isArray(doc.rules)) throw new Error(`${file}: expected { rules: [...] }`);
  return doc.rules.map((r: unknown, i: number) => {
    if (!isRecord(r)) throw new Error(`${file} rule ${i}: not a map`);
    const verbs = strings(r.verbs);
    const checks = strings(r.checks);
    if (!verbs || !checks || typeof r.driver !== 'string' || typeof r.why !== 'string') {
      throw new Error(`${file} rule ${i}: needs verbs, checks, driver and why`);
    }
    return { apiGroups: strings(r.apiGroups), resources: strings(r.resources), nonResourceURLs: strings(r.nonResourceURLs), verbs, checks, driver: r.driver, why: r.why };
  });
}

/** Problems with one Kubernetes PolicyRule; empty when it is a plain read. */
export function ruleProblems(rule: Record<string, unknown>): string[] {
  const problems: string[] = [];
  const verbs = strings(rule.verbs) ?? [];
  if (!verbs.length) problems.push('no verbs');
  for (const verb of verbs) if (!READ_VERBS.has(verb)) problems.push(`verb "${verb}" is not a read`);
  for (const field of ['apiGroups', 'resources', 'resourceNames'] as const) {
    for (const value of strings(rule[field]) ?? []) if (value.includes('*')) problems.push(`${field} "${value}" is a wildcard`);
  }
  for (const resource of strings(rule.resources) ?? []) if (resource.includes('/')) problems.push(`subresource "${resource}" (exec, log, proxy…) is not allowed`);
  for (const url of strings(rule.nonResourceURLs) ?? []) if (!DISCOVERY_URLS.has(url)) problems.push(`nonResourceURL "${url}" is not a discovery URL`);
  return problems;
}

const cluster = loadRules('rules-cluster.yaml');
const namespaced = loadRules('rules-namespaced.yaml');
const all = [...cluster, ...namespaced];

function rbacManifests(manifests: Manifest[]): Manifest[] {
  return manifests.filter((m) => m.kind === 'ClusterRole' || m.kind === 'Role');
}

function rulesOf(m: Manifest): Array<Record<string, unknown>> {
  const rules = m.doc.rules;
  return Array.isArray(rules) ? rules.filter(isRecord) : [];
}

function resourcesOf(m: Manifest): string[] {
  return rulesOf(m).flatMap((r) => strings(r.resources) ?? []);
}

const base = { agent: { clusterName: 'prod' }, redis: { url: 'redis://redis:6379' } };

describe('RBAC rules files (deploy/rbac)', () => {
  it('grant only get/list/watch, with no wildcards, subresources or escalation verbs', () => {
    for (const rule of all) expect(ruleProblems({ ...rule }), JSON.stringify(rule)).toEqual([]);
  });

  it('catch a write verb, a wildcard and a subresource (the checker itself can fail)', () => {
    expect(ruleProblems({ apiGroups: [''], resources: ['pods'], verbs: ['get', 'delete'] })).toHaveLength(1);
    expect(ruleProblems({ apiGroups: ['*'], resources: ['*'], verbs: ['*'] })).toHaveLength(3);
    expect(ruleProblems({ apiGroups: [''], resources: ['pods/exec'], verbs: ['get'] })).toHaveLength(1);
    expect(ruleProblems({ apiGroups: ['rbac.authorization.k8s.io'], resources: ['clusterroles'], verbs: ['escalate', 'bind'] })).toHaveLength(2);
    expect(ruleProblems({ apiGroups: [''], resources: ['users'], verbs: ['impersonate'] })).toHaveLength(1);
    expect(ruleProblems({ nonResourceURLs: ['*'], verbs: ['get'] })).toHaveLength(1);
  });

  it('are get and list only: the agent has no watch (src/kube/types.ts has no such method)', () => {
    for (const rule of all) expect(rule.verbs.every((v) => v === 'get' || v === 'list')).toBe(true);
  });

  it('name, for every rule, known checks that need it, and every check is covered', () => {
    for (const rule of all) {
      expect(rule.checks.length).toBeGreaterThan(0);
      for (const id of rule.checks) expect(CHECK_IDS, `unknown check id ${id}`).toContain(id);
      expect(['any', 'secret', 'configmap']).toContain(rule.driver);
      expect(rule.why.length).toBeGreaterThan(10);
    }
    const covered = new Set(all.flatMap((r) => r.checks));
    expect(CHECK_IDS.filter((id) => !covered.has(id))).toEqual([]);
  });

  it('cover exactly the resources the checks read, each scoped in the right file', () => {
    const clusterResources = cluster.flatMap((r) => r.resources ?? []);
    const namespacedResources = namespaced.flatMap((r) => r.resources ?? []);
    expect([...clusterResources].sort()).toEqual([...CLUSTER_SCOPED].sort());
    expect([...namespacedResources].sort()).toEqual([...NAMESPACED].sort());
    expect(namespaced.every((r) => !r.nonResourceURLs)).toBe(true);
    expect(new Set(cluster.flatMap((r) => r.nonResourceURLs ?? []))).toEqual(DISCOVERY_URLS);
  });

  it('tie Secrets to the secret driver and ConfigMaps to the configmap driver only', () => {
    const secretRules = all.filter((r) => r.resources?.includes('secrets'));
    const configMapRules = all.filter((r) => r.resources?.includes('configmaps'));
    expect(secretRules.map((r) => r.driver)).toEqual(['secret']);
    expect(configMapRules.map((r) => r.driver)).toEqual(['configmap']);
    expect(secretRules[0]?.resources).toEqual(['secrets']);
  });

  it('are the files the chart reads (files/rbac links to deploy/rbac)', () => {
    for (const file of ['rules-cluster.yaml', 'rules-namespaced.yaml']) {
      expect(realpathSync(join(CHART_DIR, 'files/rbac', file))).toBe(realpathSync(join(ROOT, 'deploy/rbac', file)));
    }
  });
});

describe('RBAC in the chart templates', () => {
  it('has no rules written inline: every verbs: comes from the rules files', () => {
    for (const file of templateFiles()) {
      for (const line of file.source.split('\n')) {
        if (/\bverbs\s*:/.test(line)) expect(line.trim(), file.name).toBe('verbs: {{ toJson .verbs }}');
        expect(line, file.name).not.toMatch(/\b(escalate|impersonate|bind)\b|verbs:\s*\[?\s*["']?\*/);
      }
    }
  });

  it('renders read-only rules in every mode', () => {
    const modes = [
      base,
      { ...base, agent: { clusterName: 'prod', helmDriver: 'configmap' } },
      { ...base, rbac: { scope: 'namespaces', namespaces: ['apps', 'kube-system'] } },
    ];
    for (const values of modes) {
      const roles = rbacManifests(renderChart(values).manifests);
      expect(roles.length).toBeGreaterThan(0);
      for (const role of roles) for (const rule of rulesOf(role)) expect(ruleProblems(rule), `${role.kind}/${role.name}`).toEqual([]);
    }
  });

  it('secret driver (default): one ClusterRole reading Secrets, never ConfigMaps', () => {
    const roles = rbacManifests(renderChart(base).manifests);
    expect(roles.map((r) => r.kind)).toEqual(['ClusterRole']);
    const resources = resourcesOf(roles[0] as Manifest);
    expect(resources).toContain('secrets');
    expect(resources).not.toContain('configmaps');
    expect(new Set(resources)).toEqual(new Set([...NAMESPACED, ...CLUSTER_SCOPED].filter((r) => r !== 'configmaps')));
  });

  it('configmap driver: no permission at all on Secrets', () => {
    const { manifests } = renderChart({ ...base, agent: { clusterName: 'prod', helmDriver: 'configmap' } });
    const resources = rbacManifests(manifests).flatMap(resourcesOf);
    expect(resources).toContain('configmaps');
    expect(resources).not.toContain('secrets');
  });

  it('namespaces scope: namespaced reads only in a Role per listed namespace, bound to the agent', () => {
    const { manifests } = renderChart({ ...base, rbac: { scope: 'namespaces', namespaces: ['apps', 'kube-system'] } }, { namespace: 'ops' });
    const clusterRole = manifests.find((m) => m.kind === 'ClusterRole');
    expect(new Set(resourcesOf(clusterRole as Manifest))).toEqual(new Set(CLUSTER_SCOPED));
    const roles = manifests.filter((m) => m.kind === 'Role');
    expect(roles.map((r) => r.namespace)).toEqual(['apps', 'kube-system']);
    for (const role of roles) expect(resourcesOf(role)).toContain('secrets');
    const bindings = manifests.filter((m) => m.kind === 'RoleBinding');
    expect(bindings.map((b) => b.namespace)).toEqual(['apps', 'kube-system']);
    const sa = manifests.find((m) => m.kind === 'ServiceAccount' && m.name.endsWith('-agent'));
    for (const b of [...bindings, ...manifests.filter((m) => m.kind === 'ClusterRoleBinding')]) {
      expect(b.doc.subjects).toEqual([{ kind: 'ServiceAccount', name: sa?.name, namespace: 'ops' }]);
    }
  });

  it('namespaces scope without namespaces, or an unknown scope/driver, stops the install with the value to fix', () => {
    expect(() => renderChart({ ...base, rbac: { scope: 'namespaces' } })).toThrow(/rbac\.namespaces/);
    expect(() => renderChart({ ...base, rbac: { scope: 'everything' } })).toThrow(/rbac\.scope must be/);
    expect(() => renderChart({ ...base, agent: { clusterName: 'prod', helmDriver: 'sql' } })).toThrow(/agent\.helmDriver must be/);
  });

  it('creates no RBAC without an agent, or with rbac.create=false', () => {
    expect(rbacManifests(renderChart({ ...base, agent: { enabled: false } }).manifests)).toEqual([]);
    const { manifests } = renderChart({ ...base, rbac: { create: false } });
    expect(manifests.filter((m) => /Role/.test(m.kind))).toEqual([]);
  });
});
