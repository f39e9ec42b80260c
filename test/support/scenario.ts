// Cluster states for tests, as readable YAML: a list of Kubernetes objects plus server settings.
// Helm release records are written in a readable form (`helmRelease: {...}`) and encoded here the
// way Helm stores them, so scenario files never carry opaque base64 blobs.
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import type { KubeObject } from '../../src/kube/types.js';

export const forbiddenRuleSchema = z.object({
  verb: z.enum(['get', 'list', '*']).default('*'),
  /** plural, optionally with `.group`: `validatingwebhookconfigurations`, `deployments.apps` */
  resource: z.string(),
  namespace: z.string().optional(),
});
export type ForbiddenRule = z.infer<typeof forbiddenRuleSchema>;

export const failRuleSchema = z.object({
  /** Matches request paths starting with this (query excluded). */
  path: z.string(),
  /** Answer with this status (default 500) … */
  status: z.number().int().optional(),
  /** … after this delay … */
  delayMs: z.number().int().min(0).optional(),
  /** … or never answer (the client must time out). */
  hang: z.boolean().optional(),
  /** Only the first N matching requests fail. */
  times: z.number().int().min(1).optional(),
});
export type FailRule = z.infer<typeof failRuleSchema>;

export const helmReleaseSchema = z.object({
  name: z.string(),
  namespace: z.string().default('default'),
  revision: z.number().int().min(1),
  status: z.string().default('deployed'),
  description: z.string().default('Install complete'),
  chart: z
    .object({
      name: z.string(),
      version: z.string().default('0.1.0'),
      appVersion: z.string().optional(),
      values: z.record(z.string(), z.unknown()).default({}),
    })
    .default({ name: 'app', version: '0.1.0', values: {} }),
  /** User-supplied values (`--set`, `-f`). */
  config: z.record(z.string(), z.unknown()).optional(),
  manifest: z.string().default(''),
  /** ISO time of this revision; defaults to a fixed date plus the revision in minutes. */
  deployedAt: z.string().optional(),
  driver: z.enum(['secret', 'configmap']).default('secret'),
  /** Store the JSON without gzip, as very old Helm 3 releases did. */
  compress: z.boolean().default(true),
  /** Extra object labels (helm --labels). */
  labels: z.record(z.string(), z.string()).optional(),
  /** ISO time of the first install (info.first_deployed); defaults to the fixed base date. */
  firstDeployedAt: z.string().optional(),
  /** Helm 4 writes `apply_method` (csa or ssa); Helm 3 writes none. */
  applyMethod: z.enum(['csa', 'ssa']).optional(),
  /** Hooks as Helm records them (the rendered hook manifest and its last run). */
  hooks: z
    .array(
      z.object({
        name: z.string(),
        kind: z.string().default('Job'),
        events: z.array(z.string()).default(['pre-upgrade']),
        manifest: z.string().default(''),
        phase: z.enum(['Unknown', 'Running', 'Succeeded', 'Failed']).optional(),
        startedAt: z.string().optional(),
      }),
    )
    .default([]),
});
export type HelmReleaseSpec = z.input<typeof helmReleaseSchema>;

const versionSchema = z.object({ major: z.coerce.string(), minor: z.coerce.string(), gitVersion: z.string() });

const objectEntry = z.union([
  z.strictObject({ helmRelease: helmReleaseSchema }),
  z.looseObject({ apiVersion: z.string(), kind: z.string(), metadata: z.looseObject({ name: z.string() }) }),
]);

export const scenarioSchema = z.object({
  description: z.string().optional(),
  version: versionSchema.optional(),
  forbidden: z.array(forbiddenRuleSchema).default([]),
  fail: z.array(failRuleSchema).default([]),
  latencyMs: z.number().int().min(0).default(0),
  /** groupVersions the server pretends not to serve (absent API group). */
  unserved: z.array(z.string()).default([]),
  objects: z.array(objectEntry).default([]),
});

export interface Scenario {
  description?: string;
  version: { major: string; minor: string; gitVersion: string };
  forbidden: ForbiddenRule[];
  fail: FailRule[];
  latencyMs: number;
  unserved: string[];
  objects: KubeObject[];
}

export const DEFAULT_VERSION = { major: '1', minor: '30', gitVersion: 'v1.30.4' };

/** Fills defaults and expands `helmRelease` entries into Secrets/ConfigMaps. */
export function scenarioFrom(input: unknown): Scenario {
  const parsed = scenarioSchema.parse(input ?? {});
  const objects = parsed.objects.map((entry): KubeObject => ('helmRelease' in entry && !('kind' in entry) ? helmReleaseObject(helmReleaseSchema.parse(entry.helmRelease)) : (entry as KubeObject)));
  return {
    ...(parsed.description !== undefined ? { description: parsed.description } : {}),
    version: parsed.version ?? DEFAULT_VERSION,
    forbidden: parsed.forbidden,
    fail: parsed.fail,
    latencyMs: parsed.latencyMs,
    unserved: parsed.unserved,
    objects,
  };
}

export function parseScenario(yamlText: string): Scenario {
  return scenarioFrom(parseYaml(yamlText));
}

export function loadScenario(file: string): Scenario {
  try {
    return parseScenario(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new Error(`scenario ${file}: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
  }
}

// ---- Helm release records --------------------------------------------------------------------

const BASE_TIME = Date.parse('2026-01-05T10:00:00Z');

/** When the revision was made: as given, else a fixed date plus the revision in minutes. */
function revisionTime(spec: z.output<typeof helmReleaseSchema>): string {
  return spec.deployedAt ?? new Date(BASE_TIME + spec.revision * 60_000).toISOString();
}

/** The release JSON Helm 3 writes (pkg/release), with the fields our decoder reads. */
export function helmReleaseJson(input: HelmReleaseSpec): Record<string, unknown> {
  const spec = helmReleaseSchema.parse(input);
  const at = revisionTime(spec);
  return {
    name: spec.name,
    namespace: spec.namespace,
    version: spec.revision,
    info: {
      first_deployed: spec.firstDeployedAt ?? new Date(BASE_TIME).toISOString(),
      last_deployed: at,
      deleted: '',
      description: spec.description,
      status: spec.status,
      notes: '',
    },
    chart: {
      metadata: {
        name: spec.chart.name,
        version: spec.chart.version,
        ...(spec.chart.appVersion !== undefined ? { appVersion: spec.chart.appVersion } : {}),
        apiVersion: 'v2',
      },
      lock: null,
      templates: [],
      values: spec.chart.values,
      schema: null,
      files: [],
    },
    ...(spec.config && Object.keys(spec.config).length > 0 ? { config: spec.config } : {}),
    manifest: spec.manifest,
    hooks: spec.hooks.map((h) => ({
      name: h.name,
      kind: h.kind,
      path: `templates/${h.name}.yaml`,
      manifest: h.manifest,
      events: h.events,
      last_run: { started_at: h.startedAt ?? '', completed_at: '', phase: h.phase ?? '' },
      weight: 0,
      delete_policies: ['before-hook-creation'],
    })),
    ...(spec.applyMethod ? { apply_method: spec.applyMethod } : {}),
  };
}

/** Helm's own encoding (storage/driver/util.go): JSON → gzip (best) → base64. */
export function encodeHelmPayload(release: unknown, compress = true): string {
  const json = Buffer.from(JSON.stringify(release), 'utf8');
  return (compress ? gzipSync(json, { level: 9 }) : json).toString('base64');
}

export function helmReleaseObject(input: HelmReleaseSpec): KubeObject {
  const spec = helmReleaseSchema.parse(input);
  const payload = encodeHelmPayload(helmReleaseJson(spec), spec.compress);
  const at = revisionTime(spec);
  const metadata = {
    name: `sh.helm.release.v1.${spec.name}.v${spec.revision}`,
    namespace: spec.namespace,
    labels: {
      ...spec.labels,
      name: spec.name,
      owner: 'helm',
      status: spec.status,
      version: String(spec.revision),
      createdAt: String(Math.floor(Date.parse(at) / 1000)),
    },
    creationTimestamp: at,
  };
  if (spec.driver === 'configmap') return { apiVersion: 'v1', kind: 'ConfigMap', metadata, data: { release: payload } };
  // The Secret API base64-encodes the bytes of Helm's base64 string: base64 twice.
  return { apiVersion: 'v1', kind: 'Secret', type: 'helm.sh/release.v1', metadata, data: { release: Buffer.from(payload, 'utf8').toString('base64') } };
}

// ---- Generators for large scenarios ------------------------------------------------------------

export interface ScaleOptions {
  namespace?: string;
  pods: number;
  replicaSets: number;
  /** Every Nth ReplicaSet points to a Deployment that does not exist (0 = none). */
  orphanEvery?: number;
}

/** ReplicaSets owned by Deployments, and Pods owned by the ReplicaSets, round-robin. */
export function* generateWorkloads(opts: ScaleOptions): Generator<KubeObject> {
  const ns = opts.namespace ?? 'scale';
  for (let i = 0; i < opts.replicaSets; i++) {
    const orphan = opts.orphanEvery ? i % opts.orphanEvery === 0 : false;
    yield {
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      metadata: {
        name: `web-${i}-5d9c7`,
        namespace: ns,
        uid: `rs-${i}`,
        labels: { app: `web-${i}`, 'app.kubernetes.io/managed-by': 'Helm' },
        ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: orphan ? `gone-${i}` : `web-${i}`, uid: `deploy-${i}`, controller: true }],
      },
      spec: { replicas: 1, selector: { matchLabels: { app: `web-${i}` } } },
      status: { replicas: 1 },
    };
  }
  for (let i = 0; i < opts.pods; i++) {
    const rs = opts.replicaSets > 0 ? i % opts.replicaSets : -1;
    yield {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: {
        name: `web-${rs}-5d9c7-${i.toString(36)}`,
        namespace: ns,
        uid: `pod-${i}`,
        labels: { app: `web-${rs}` },
        ...(rs >= 0 ? { ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: `web-${rs}-5d9c7`, uid: `rs-${rs}`, controller: true }] } : {}),
      },
      spec: { containers: [{ name: 'web', image: 'registry.example/web:1.2.3' }] },
      status: { phase: i % 97 === 0 ? 'Pending' : 'Running' },
    };
  }
}
