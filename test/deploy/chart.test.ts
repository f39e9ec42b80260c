import { describe, expect, it } from 'vitest';
import { chartMeta, defaultValues, renderChart, templateFiles, valuesPathsIn, type Manifest } from './support/chart.js';
import { isRecord, parse, TemplateError } from './support/gotemplate.js';

// No helm binary here: templates are parsed and rendered by test/deploy/support/gotemplate.ts.

const base = { agent: { clusterName: 'prod' }, redis: { url: 'redis://redis:6379' } };

function hasPath(values: unknown, path: string[]): boolean {
  let v = values;
  for (const key of path) {
    if (!isRecord(v) || !Object.hasOwn(v, key)) return false;
    v = v[key];
  }
  return true;
}

function find(manifests: Manifest[], kind: string, suffix: string): Manifest {
  const m = manifests.find((x) => x.kind === kind && x.name.endsWith(suffix));
  if (!m) throw new Error(`no ${kind} *${suffix} in ${manifests.map((x) => `${x.kind}/${x.name}`).join(', ')}`);
  return m;
}

function podSpec(m: Manifest): Record<string, unknown> {
  const spec = m.doc.spec;
  const template = isRecord(spec) ? spec.template : undefined;
  const pod = isRecord(template) ? template.spec : undefined;
  if (!isRecord(pod)) throw new Error(`${m.name}: no pod spec`);
  return pod;
}

function container(m: Manifest): Record<string, unknown> {
  const containers = podSpec(m).containers;
  const first: unknown = Array.isArray(containers) ? containers[0] : undefined;
  if (!isRecord(first)) throw new Error(`${m.name}: no container`);
  return first;
}

function envNames(m: Manifest): string[] {
  const env = container(m).env;
  return Array.isArray(env) ? env.filter(isRecord).map((e) => String(e.name)) : [];
}

function envValue(m: Manifest, name: string): unknown {
  const env = container(m).env;
  const entry: unknown = Array.isArray(env) ? env.find((e) => isRecord(e) && e.name === name) : undefined;
  return isRecord(entry) ? (entry.value ?? entry.valueFrom) : undefined;
}

describe('Go template parsing (the checker)', () => {
  it('rejects unbalanced blocks, stray end/else and unclosed actions', () => {
    expect(() => parse('{{ if .a }}x', 't')).toThrow(TemplateError);
    expect(() => parse('x{{ end }}', 't')).toThrow(/unexpected \{\{end\}\}/);
    expect(() => parse('{{ range .a }}{{ else }}', 't')).toThrow(TemplateError);
    expect(() => parse('{{ .a ', 't')).toThrow(/unclosed action/);
    expect(() => parse('{{ define "x" }}y', 't')).toThrow(TemplateError);
    expect(() => parse('{{ with .a }}{{ if .b }}{{ end }}{{ end }}{{ end }}', 't')).toThrow(TemplateError);
    expect(() => parse('{{ if .a }}1{{ else if .b }}2{{ else }}3{{ end }}{{/* ok */}}', 't')).not.toThrow();
  });
});

describe('chart templates', () => {
  it('parse with balanced actions and if/range/with/define … end blocks', () => {
    const files = templateFiles();
    expect(files.map((f) => f.name)).toContain('templates/_helpers.tpl');
    for (const file of files) expect(() => parse(file.source, file.name), file.name).not.toThrow();
  });

  it('reference only .Values paths that exist in values.yaml', () => {
    const values = defaultValues();
    const missing: string[] = [];
    for (const file of templateFiles()) {
      for (const path of valuesPathsIn(file.source, file.name)) if (!hasPath(values, path)) missing.push(`${file.name}: .Values.${path.join('.')}`);
    }
    expect(missing).toEqual([]);
  });

  it('use every value in values.yaml (no documented setting that does nothing)', () => {
    const used = templateFiles().flatMap((f) => valuesPathsIn(f.source, f.name).map((p) => p.join('.')));
    // Templates reach some values through a variable ($np := .Values.networkPolicy, $r := …internal).
    const aliases: Record<string, string> = { '$np': 'networkPolicy', '$r': 'redis.internal' };
    for (const file of templateFiles()) {
      for (const [alias, prefix] of Object.entries(aliases)) {
        for (const m of file.source.matchAll(new RegExp(`\\${alias}((?:\\.[A-Za-z0-9_]+)+)`, 'g'))) used.push(prefix + (m[1] ?? ''));
      }
    }
    const unused: string[] = [];
    const walk = (v: unknown, path: string[]): void => {
      const key = path.join('.');
      // Used as a whole (toYaml of a map) or through an ancestor; otherwise look at its children.
      if (used.some((u) => u === key || key.startsWith(`${u}.`))) return;
      if (isRecord(v) && Object.keys(v).length) for (const [k, child] of Object.entries(v)) walk(child, [...path, k]);
      else unused.push(key);
    };
    for (const [k, v] of Object.entries(defaultValues())) walk(v, [k]);
    expect(unused).toEqual([]);
  });

  it('Chart.yaml is a v2 application chart with a version and appVersion', () => {
    const meta = chartMeta();
    expect(meta).toMatchObject({ apiVersion: 'v2', name: 'helm-triage', type: 'application' });
    expect(String(meta.version)).toMatch(/^\d+\.\d+\.\d+/);
    expect(String(meta.appVersion)).toMatch(/^\d+\.\d+\.\d+/);
  });

  it('stop an install that lacks the cluster name or Redis, naming the value to set', () => {
    expect(() => renderChart({ redis: { url: 'redis://r:6379' } })).toThrow(/agent\.clusterName is required/);
    expect(() => renderChart({ agent: { clusterName: 'Prod EU' }, redis: { url: 'redis://r:6379' } })).toThrow(/agent\.clusterName/);
    expect(() => renderChart({ agent: { clusterName: 'prod' } })).toThrow(/redis\.url, redis\.existingSecret, or redis\.internal\.enabled/);
    expect(() => renderChart({ ...base, bot: { enabled: false }, agent: { enabled: false } })).toThrow(/nothing to install/);
  });
});

describe('rendered chart: bot', () => {
  const { manifests, notes } = renderChart({ ...base, slack: { existingSecret: 'slack-creds' } });
  const bot = find(manifests, 'Deployment', '-bot');

  it('runs `serve`, non-root, read-only root filesystem, no capabilities, RuntimeDefault seccomp', () => {
    const c = container(bot);
    expect(c.args).toEqual(['serve']);
    expect(c.securityContext).toMatchObject({ readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, runAsNonRoot: true, capabilities: { drop: ['ALL'] } });
    expect(podSpec(bot).securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 10001, seccompProfile: { type: 'RuntimeDefault' } });
  });

  it('gets a writable /tmp from an emptyDir and nothing else writable', () => {
    expect(container(bot).volumeMounts).toEqual([{ name: 'tmp', mountPath: '/tmp' }]);
    expect(podSpec(bot).volumes).toEqual([{ name: 'tmp', emptyDir: { sizeLimit: '64Mi' } }]);
  });

  it('probes /healthz (liveness, startup) and /readyz (readiness) on its http port', () => {
    const c = container(bot);
    expect(c.livenessProbe).toMatchObject({ httpGet: { path: '/healthz', port: 'http' } });
    expect(c.startupProbe).toMatchObject({ httpGet: { path: '/healthz', port: 'http' } });
    expect(c.readinessProbe).toMatchObject({ httpGet: { path: '/readyz', port: 'http' } });
    expect(c.ports).toEqual([{ name: 'http', containerPort: 3000, protocol: 'TCP' }]);
    expect(c.resources).toMatchObject({ requests: { cpu: '100m' }, limits: { memory: '512Mi' } });
  });

  it('holds no cluster credentials and reads Slack tokens from the existing Secret', () => {
    expect(podSpec(bot).automountServiceAccountToken).toBe(false);
    expect(envValue(bot, 'SLACK_BOT_TOKEN')).toEqual({ secretKeyRef: { name: 'slack-creds', key: 'SLACK_BOT_TOKEN' } });
    expect(envValue(bot, 'SLACK_APP_TOKEN')).toEqual({ secretKeyRef: { name: 'slack-creds', key: 'SLACK_APP_TOKEN', optional: true } });
    expect(envNames(bot)).not.toContain('KUBECONFIG');
  });

  it('has a Service, a PodDisruptionBudget that never blocks a drain, and notes that say how to test', () => {
    const svc = find(manifests, 'Service', '-bot');
    expect(svc.doc.spec).toMatchObject({ ports: [{ name: 'http', port: 80, targetPort: 'http' }] });
    expect(find(manifests, 'PodDisruptionBudget', '-bot').doc.spec).toMatchObject({ maxUnavailable: 1 });
    expect(notes).toContain('/helm-triage help');
    expect(notes).toContain('cluster "prod"');
  });

  it('exposes through the Ingress only the public routes (never /metrics or the probes)', () => {
    const rendered = renderChart({ ...base, bot: { ingress: { enabled: true, className: 'nginx', tls: [{ secretName: 't', hosts: ['h.example.com'] }], hosts: ['h.example.com'] } } });
    const ingress = find(rendered.manifests, 'Ingress', '-bot');
    const spec = ingress.doc.spec;
    const text = JSON.stringify(spec);
    expect(text).toContain('"/slack/events"');
    for (const internal of ['/metrics', '/healthz', '/readyz']) expect(text).not.toContain(`"${internal}"`);
    expect(spec).toMatchObject({ ingressClassName: 'nginx', rules: [{ host: 'h.example.com' }] });
  });

  it('renders CHANNEL_CLUSTERS, CHECK_CHANNELS and CHECK_USERGROUPS in the form src/config.ts parses', () => {
    const rendered = renderChart({ ...base, bot: { channelClusters: { C0PROD: 'prod', C0STG: 'staging' }, checkChannels: ['C0PROD'], checkUsergroups: ['S1', 'S2'] } });
    const b = find(rendered.manifests, 'Deployment', '-bot');
    expect(envValue(b, 'CHANNEL_CLUSTERS')).toBe('C0PROD=prod,C0STG=staging');
    expect(envValue(b, 'CHECK_CHANNELS')).toBe('C0PROD');
    expect(envValue(b, 'CHECK_USERGROUPS')).toBe('S1,S2');
  });
});

describe('rendered chart: agent', () => {
  const { manifests } = renderChart(base);
  const agent = find(manifests, 'Deployment', '-agent');

  it('runs `agent --cluster NAME` with CLUSTER_NAME, no ports and no Slack token', () => {
    const c = container(agent);
    expect(c.args).toEqual(['agent', '--cluster', 'prod']);
    expect(envValue(agent, 'CLUSTER_NAME')).toBe('prod');
    expect(c.ports).toBeUndefined();
    expect(envNames(agent).filter((n) => n.startsWith('SLACK_'))).toEqual([]);
    expect(podSpec(agent).serviceAccountName).toBe(find(manifests, 'ServiceAccount', '-agent').name);
    expect(c.securityContext).toMatchObject({ readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } });
  });

  it('uses a mounted kubeconfig read-only (and no in-cluster token) when given one', () => {
    const rendered = renderChart({ ...base, agent: { clusterName: 'edge-1', kubeconfig: { existingSecret: 'edge-kube', context: 'edge' } }, rbac: { create: false } });
    const a = find(rendered.manifests, 'Deployment', '-agent');
    expect(envValue(a, 'KUBECONFIG')).toBe('/kube/config');
    expect(envValue(a, 'KUBE_CONTEXT')).toBe('edge');
    expect(container(a).volumeMounts).toContainEqual({ name: 'kubeconfig', mountPath: '/kube', readOnly: true });
    expect(podSpec(a).automountServiceAccountToken).toBe(false);
  });

  it('installs alone (bot.enabled=false): no Service, Ingress, PDB or Slack settings', () => {
    const rendered = renderChart({ ...base, bot: { enabled: false } });
    expect(rendered.manifests.filter((m) => m.name.endsWith('-bot'))).toEqual([]);
    expect(JSON.stringify(rendered.manifests)).not.toContain('SLACK_');
  });

  it('is left out for a central bot-only release (agent.enabled=false)', () => {
    const rendered = renderChart({ redis: { url: 'redis://r:6379' }, agent: { enabled: false } });
    expect(rendered.manifests.filter((m) => m.name.endsWith('-agent'))).toEqual([]);
  });
});

describe('rendered chart: network policies', () => {
  const { manifests } = renderChart({ ...base, networkPolicy: { apiServer: { cidrs: ['10.0.0.1/32'] }, redis: { cidrs: ['10.1.0.0/24'] } } });
  const ports = (rules: unknown): number[] =>
    (Array.isArray(rules) ? rules : []).filter(isRecord).flatMap((r) => (Array.isArray(r.ports) ? r.ports.filter(isRecord).map((p) => Number(p.port)) : []));

  it('agent: no ingress; egress to DNS, Redis and the API server only', () => {
    const spec = find(manifests, 'NetworkPolicy', '-agent').doc.spec;
    if (!isRecord(spec)) throw new Error('no spec');
    expect(spec.policyTypes).toEqual(['Ingress', 'Egress']);
    expect(spec.ingress).toBeUndefined();
    expect(new Set(ports(spec.egress))).toEqual(new Set([53, 6379, 443, 6443]));
    expect(JSON.stringify(spec.egress)).toContain('10.0.0.1/32');
  });

  it('bot: ingress on its http port only; egress to DNS, Redis and HTTPS', () => {
    const spec = find(manifests, 'NetworkPolicy', '-bot').doc.spec;
    if (!isRecord(spec)) throw new Error('no spec');
    expect(spec.ingress).toEqual([{ ports: [{ port: 'http', protocol: 'TCP' }] }]);
    expect(new Set(ports(spec.egress))).toEqual(new Set([53, 6379, 443]));
  });

  it('in-release Redis accepts only the bot and agent pods', () => {
    const rendered = renderChart({ agent: { clusterName: 'prod' }, redis: { internal: { enabled: true } } });
    const spec = find(rendered.manifests, 'NetworkPolicy', '-redis').doc.spec;
    expect(JSON.stringify(spec)).toContain('"app.kubernetes.io/component":"bot"');
    expect(JSON.stringify(spec)).toContain('"app.kubernetes.io/component":"agent"');
    const bot = find(rendered.manifests, 'Deployment', '-bot');
    expect(envValue(bot, 'REDIS_URL')).toBe(`redis://${find(rendered.manifests, 'Service', '-redis').name}:6379`);
  });
});

describe('rendered chart: every object', () => {
  it('carries the standard labels and a DNS-safe name', () => {
    const { manifests } = renderChart({ agent: { clusterName: 'prod' }, redis: { internal: { enabled: true } }, bot: { ingress: { enabled: true } } });
    for (const m of manifests) {
      expect(m.name.length, m.name).toBeLessThanOrEqual(63);
      expect(m.name).toMatch(/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/);
      const metadata = m.doc.metadata;
      expect(isRecord(metadata) && isRecord(metadata.labels) ? metadata.labels['app.kubernetes.io/managed-by'] : undefined, `${m.kind}/${m.name}`).toBe('Helm');
    }
  });
});

describe('rendered chart: references between objects', () => {
  const { manifests } = renderChart({ agent: { clusterName: 'prod' }, redis: { internal: { enabled: true } }, bot: { ingress: { enabled: true } } });
  const labelsOfPods = (m: Manifest): Record<string, unknown> => {
    const spec = m.doc.spec;
    const template = isRecord(spec) ? spec.template : undefined;
    const metadata = isRecord(template) ? template.metadata : undefined;
    return isRecord(metadata) && isRecord(metadata.labels) ? metadata.labels : {};
  };
  const selects = (selector: unknown, labels: Record<string, unknown>): boolean =>
    isRecord(selector) && Object.keys(selector).length > 0 && Object.entries(selector).every(([k, v]) => labels[k] === v);
  const deployments = manifests.filter((m) => m.kind === 'Deployment');

  it('each Deployment selects its own pods and no other Deployment\'s', () => {
    for (const d of deployments) {
      const spec = d.doc.spec;
      const selector = isRecord(spec) && isRecord(spec.selector) ? spec.selector.matchLabels : undefined;
      expect(deployments.filter((other) => selects(selector, labelsOfPods(other))).map((o) => o.name), d.name).toEqual([d.name]);
    }
  });

  it('Services, the PodDisruptionBudget and NetworkPolicies select existing pods; the Ingress names an existing Service', () => {
    for (const m of manifests.filter((x) => ['Service', 'PodDisruptionBudget', 'NetworkPolicy'].includes(x.kind))) {
      const spec = m.doc.spec;
      const selector = !isRecord(spec) ? undefined : m.kind === 'Service' ? spec.selector : isRecord(spec.selector) ? spec.selector.matchLabels : isRecord(spec.podSelector) ? spec.podSelector.matchLabels : undefined;
      expect(deployments.some((d) => selects(selector, labelsOfPods(d))), `${m.kind}/${m.name}`).toBe(true);
    }
    const services = manifests.filter((m) => m.kind === 'Service').map((m) => m.name);
    const backends = [...JSON.stringify(find(manifests, 'Ingress', '-bot').doc.spec).matchAll(/"service":\{"name":"([^"]+)"/g)].map((x) => x[1]);
    expect(backends.length).toBeGreaterThan(0);
    for (const b of backends) expect(services).toContain(b);
  });

  it('pods run as ServiceAccounts the chart creates; bindings point at roles it creates', () => {
    const accounts = manifests.filter((m) => m.kind === 'ServiceAccount').map((m) => m.name);
    for (const d of deployments.filter((x) => !x.name.endsWith('-redis'))) expect(accounts).toContain(podSpec(d).serviceAccountName);
    for (const b of manifests.filter((m) => m.kind.endsWith('Binding'))) {
      const ref = b.doc.roleRef;
      const kind = isRecord(ref) ? ref.kind : undefined;
      const name = isRecord(ref) ? ref.name : undefined;
      expect(manifests.some((m) => m.kind === kind && m.name === name && m.namespace === (kind === 'Role' ? b.namespace : undefined)), `${b.kind}/${b.name}`).toBe(true);
    }
  });
});
