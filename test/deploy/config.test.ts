import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { CONFIG_VARIABLES, loadConfig } from '../../src/config.js';
import { defaultValues, renderChart, ROOT, templateFiles, type Manifest } from './support/chart.js';
import { isRecord } from './support/gotemplate.js';

// Every variable src/config.ts reads is documented and settable from chart values; nothing the chart
// or compose sets is a typo the app would ignore.

const readme = readFileSync(join(ROOT, 'deploy/README.md'), 'utf8');
const valuesText = readFileSync(join(ROOT, 'deploy/chart/values.yaml'), 'utf8');

/** Values that switch every optional variable on. */
const everything = {
  agent: { clusterName: 'prod', kubeconfig: { existingSecret: 'kube', context: 'ctx' } },
  rbac: { create: false },
  redis: { existingSecret: 'redis' },
  slack: { existingSecret: 'slack', apiUrl: 'https://slack.example.test/api/' },
  api: { existingSecret: 'api' },
  config: { playbooksDir: '/playbooks' },
  bot: { publicBaseUrl: 'https://triage.example.test', channelClusters: { C1: 'prod' }, checkChannels: ['C1'], checkUsergroups: ['S1'] },
};

function deploymentEnv(m: Manifest): Array<Record<string, unknown>> {
  const spec = m.doc.spec;
  const template = isRecord(spec) ? spec.template : undefined;
  const pod = isRecord(template) ? template.spec : undefined;
  const containers = isRecord(pod) && Array.isArray(pod.containers) ? pod.containers : [];
  return containers.filter(isRecord).flatMap((c) => (Array.isArray(c.env) ? c.env.filter(isRecord) : []));
}

function appDeployments(manifests: Manifest[]): Manifest[] {
  return manifests.filter((m) => m.kind === 'Deployment' && !m.name.endsWith('-redis'));
}

describe('configuration variables (src/config.ts CONFIG_VARIABLES)', () => {
  it('are each documented in deploy/README.md', () => {
    const missing = CONFIG_VARIABLES.filter((v) => !readme.includes(`| \`${v}\` |`));
    expect(missing).toEqual([]);
  });

  it('are each named by a chart value ([VAR] in values.yaml) and set by a template', () => {
    const templates = templateFiles().map((f) => f.source).join('\n');
    expect(CONFIG_VARIABLES.filter((v) => !valuesText.includes(`[${v}]`))).toEqual([]);
    expect(CONFIG_VARIABLES.filter((v) => !new RegExp(`name: ${v}\\b`).test(templates))).toEqual([]);
  });

  it('are all set by the rendered chart once the optional values are given', () => {
    const names = new Set(appDeployments(renderChart(everything).manifests).flatMap((m) => deploymentEnv(m).map((e) => String(e.name))));
    expect(CONFIG_VARIABLES.filter((v) => !names.has(v))).toEqual([]);
  });

  it('the chart sets no variable the app does not read (typos would be ignored silently)', () => {
    const known = new Set<string>([...CONFIG_VARIABLES, 'NODE_ENV']);
    for (const values of [everything, { agent: { clusterName: 'prod' }, redis: { url: 'redis://r:6379' } }]) {
      for (const m of appDeployments(renderChart(values).manifests)) {
        expect(deploymentEnv(m).map((e) => String(e.name)).filter((n) => !known.has(n)), m.name).toEqual([]);
      }
    }
  });

  it('the values the chart renders by default pass src/config.ts validation for each role', () => {
    const { manifests } = renderChart({ agent: { clusterName: 'prod-eu' }, redis: { url: 'redis://r:6379' }, bot: { channelClusters: { C1: 'prod-eu' } } });
    for (const m of appDeployments(manifests)) {
      const env: Record<string, string> = {};
      for (const e of deploymentEnv(m)) if (typeof e.value === 'string') env[String(e.name)] = e.value;
      expect(() => loadConfig(env), m.name).not.toThrow();
    }
  });

  it('a value that breaks validation is caught by src/config.ts (the previous test can fail)', () => {
    const { manifests } = renderChart({ agent: { clusterName: 'prod' }, redis: { url: 'redis://r:6379' }, config: { logLevel: 'verbose' } });
    const bot = appDeployments(manifests).find((m) => m.name.endsWith('-bot'));
    const env: Record<string, string> = {};
    for (const e of bot ? deploymentEnv(bot) : []) if (typeof e.value === 'string') env[String(e.name)] = e.value;
    expect(() => loadConfig(env)).toThrow(/LOG_LEVEL/);
  });
});

describe('deploy/README.md', () => {
  it('has a row for every top-level and second-level chart value', () => {
    const missing: string[] = [];
    for (const [key, value] of Object.entries(defaultValues())) {
      const paths = isRecord(value) && !['podSecurityContext', 'securityContext', 'image'].includes(key) ? Object.keys(value).map((k) => `${key}.${k}`) : [key];
      for (const path of paths) {
        const [head = '', tail = ''] = path.split('.');
        // A row may group siblings: `bot.serviceAccount.create` / `.name` …
        const named = readme.includes(`\`${path}`) || (tail && new RegExp(`\\| \`${head}\\.[^|]*\\.${tail}\\b|\`${head}\\.[^|\`]*\` / \`\\.${tail}`).test(readme));
        if (!named) missing.push(path);
      }
    }
    expect(missing).toEqual([]);
  });

  it('explains every RBAC rule: each resource and check id of deploy/rbac appears in the least-privilege table', () => {
    for (const file of ['rules-cluster.yaml', 'rules-namespaced.yaml']) {
      const doc: unknown = parseYaml(readFileSync(join(ROOT, 'deploy/rbac', file), 'utf8'));
      const rules = isRecord(doc) && Array.isArray(doc.rules) ? doc.rules.filter(isRecord) : [];
      for (const rule of rules) {
        const resources = Array.isArray(rule.resources) ? rule.resources : Array.isArray(rule.nonResourceURLs) ? rule.nonResourceURLs : [];
        const row = readme.split('\n').find((l) => l.startsWith('|') && resources.every((r) => l.includes(`\`${String(r)}\``)));
        expect(row, `no README row for ${resources.join(', ')}`).toBeDefined();
        const checks = Array.isArray(rule.checks) ? rule.checks.map(String) : [];
        for (const check of checks) expect(row?.includes(check) || row?.includes('same as secrets'), `${check} in row of ${resources.join(', ')}`).toBe(true);
      }
    }
  });

  it('walks through the install from the Slack manifest to /helm-triage help', () => {
    const steps = readme.slice(readme.indexOf('## From zero'));
    let at = 0;
    for (const step of ['slack-app-manifest.yaml', 'create secret generic', 'helm install', 'agent.enabled=false', 'agent.clusterName=', '/helm-triage help']) {
      const found = steps.indexOf(step, at);
      expect(found, `"${step}" missing or out of order`).toBeGreaterThan(at);
      at = found;
    }
    expect(readme).toMatch(/```\n[\s\S]*agent \([^)]*\)[\s\S]*```/);
  });
});
