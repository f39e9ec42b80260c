// End to end for the stuck-release doctor and the wait-timeout explainer: every scenario that carries an
// `explain` section goes through the CLI (`diagnose --check --json`, in process) against the local
// Kubernetes API server (opens a port). The finding must name the cause (learned facts), carry the
// filled way-out command, stay within the stated request bound, and never write.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { WAITABLE } from '../../src/checks/live-workloads.js';
import { parseManifest } from '../../src/kube/helm-manifest.js';
import { runInProcess } from '../cli/support.js';
import { startKubeApiServer, writeKubeconfig, type KubeApiServer } from '../support/kube-api-server.js';
import { helmReleaseObject, helmReleaseSchema, loadScenario } from '../support/scenario.js';
import { runChecks } from '../../src/checks/run.js';
import type { KubeObject } from '../../src/kube/types.js';
import { kubeFor } from '../support/kube-api-server.js';

const SCENARIO_DIR = join(import.meta.dirname, '..', 'scenarios');
const scenarioFiles = (): string[] => readdirSync(SCENARIO_DIR).filter((f) => f.endsWith('.yaml')).sort();

const explainSchema = z.object({
  check: z.enum(['stuck-release', 'unready-resources']),
  text: z.string(),
  learned: z.record(z.string(), z.string()),
  command: z.string().optional(),
});

interface Case {
  file: string;
  explain: z.infer<typeof explainSchema>;
  status: string;
  /** Waitable kinds in the failed/pending revision's manifest and hooks. */
  kinds: number;
}

function cases(): Case[] {
  return scenarioFiles().flatMap((file) => {
    const doc = parseYaml(readFileSync(join(SCENARIO_DIR, file), 'utf8')) as { explain?: unknown; triage: { expect: Record<string, string> }; objects: Array<{ helmRelease?: unknown }> };
    if (!doc.explain) return [];
    const explain = explainSchema.parse(doc.explain);
    const releases = doc.objects.flatMap((o) => (o.helmRelease ? [helmReleaseSchema.parse(o.helmRelease)] : []));
    const newest = releases.sort((a, b) => b.revision - a.revision)[0];
    const docs = newest ? [newest.manifest, ...newest.hooks.map((h) => h.manifest)].flatMap((m) => parseManifest(m)) : [];
    const kinds = new Set(docs.map((d) => d.kind).filter((k) => WAITABLE.some((w) => w.kind === k))).size;
    return [{ file, explain, status: doc.triage.expect[explain.check] ?? '?', kinds }];
  });
}

let server: KubeApiServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

interface JsonFinding { check: string; status: string; summary: string; learned?: Record<string, string>; commands?: Array<{ command: string; effect: string; risk?: string }> }

describe('stuck-release and unready-resources through the CLI and the local API server (opens a port)', () => {
  it('has twin scenarios: every named cause present in one and absent in another', () => {
    const all = cases();
    const causes = (check: string, status: string): string[] => all.filter((c) => c.explain.check === check && c.status === status).map((c) => c.explain.learned['cause'] ?? c.explain.learned['wayOut'] ?? '');
    expect(causes('unready-resources', 'confirmed').sort()).toEqual(['crash-loop', 'image-pull', 'job-failed', 'pvc-pending', 'readiness-probe', 'unschedulable']);
    expect(causes('unready-resources', 'refuted')).toHaveLength(6);
    expect(new Set(causes('stuck-release', 'confirmed'))).toEqual(new Set(['rollback', 'uninstall', 'wait']));
    expect(causes('stuck-release', 'refuted')).toHaveLength(1);
  });

  it.each(cases())('$file: $explain.check $status', async ({ explain, status, kinds, file }) => {
    server = await startKubeApiServer(loadScenario(join(SCENARIO_DIR, file)));
    const run = await runInProcess(['diagnose', '--check', '--json', '-'], explain.text, { KUBECONFIG: writeKubeconfig(server) });
    expect(run.stderr).toBe('');
    const out = JSON.parse(run.stdout) as { findings: JsonFinding[] };
    const finding = out.findings.find((f) => f.check === explain.check);
    expect(finding, run.stdout).toBeDefined();
    expect(finding?.status, finding?.summary).toBe(status);
    expect(finding?.learned ?? {}, finding?.summary).toMatchObject(explain.learned);
    if (explain.command) expect(finding?.commands?.map((c) => c.command), finding?.summary).toContain(explain.command);
    for (const c of finding?.commands ?? []) if (c.effect === 'changes-cluster') expect(c.risk, c.command).toBeTruthy();
    // Never the release Secret: no command edits or deletes it.
    expect(JSON.stringify(finding?.commands ?? [])).not.toMatch(/delete secret|edit secret|patch secret/);
    // The stated bound: history list + one get + per namespace ≤ kinds + 3 lists (one page each here).
    expect(server.requestCount, [...server.requestsByPath].map(([p, n]) => `${n} ${p}`).join('\n')).toBeLessThanOrEqual(2 + kinds + 3);
    expect(server.writeAttempts).toHaveLength(0);
  });

  it('reads by list, not per object: 600 Deployments and their 600 pods cost 6 requests', async () => {
    const labels = { 'app.kubernetes.io/instance': 'big' };
    const docs: string[] = [];
    const objects: KubeObject[] = [];
    for (let i = 0; i < 600; i++) {
      docs.push(`apiVersion: apps/v1\nkind: Deployment\nmetadata: { name: d${i}, labels: { app.kubernetes.io/instance: big } }\nspec: { template: { metadata: { labels: { app.kubernetes.io/instance: big, n: d${i} } } } }`);
      const bad = i % 100 === 7;
      objects.push({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: `d${i}`, namespace: 'big', labels }, spec: { replicas: 1 }, status: { availableReplicas: bad ? 0 : 1, updatedReplicas: 1 } });
      objects.push({
        apiVersion: 'v1', kind: 'Pod', metadata: { name: `d${i}-5d9c7-x`, namespace: 'big', labels, ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: `d${i}-5d9c7`, uid: `u${i}`, controller: true }] },
        status: bad ? { phase: 'Pending', containerStatuses: [{ name: 'c', state: { waiting: { reason: 'ErrImagePull' } } }] } : { phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }] },
      });
    }
    objects.push(helmReleaseObject({ name: 'big', namespace: 'big', revision: 1, status: 'deployed' }), helmReleaseObject({ name: 'big', namespace: 'big', revision: 2, status: 'failed', manifest: docs.join('\n---\n') }));
    server = await startKubeApiServer({}, { objects });
    const [f] = await runChecks({ checks: ['unready-resources'], facts: { release: 'big', namespace: 'big' }, kube: kubeFor(server), signal: AbortSignal.timeout(30_000), now: new Date() });
    expect(f?.status).toBe('confirmed');
    expect(f?.learned?.['notReady']).toBe('6');
    // history + the failed revision + 2 pages of Deployments + 2 pages of pods + 1 of events.
    expect([...server.requestsByPath].map(([p, n]) => `${n} ${p}`)).toEqual([
      '1 /api/v1/namespaces/big/secrets', '1 /api/v1/namespaces/big/secrets/sh.helm.release.v1.big.v2',
      '2 /apis/apps/v1/namespaces/big/deployments', '2 /api/v1/namespaces/big/pods', '1 /api/v1/namespaces/big/events',
    ]);
  });
});
