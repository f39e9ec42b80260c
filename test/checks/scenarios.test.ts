// Every scenario in test/scenarios/ through the local Kubernetes API server (real HTTP) and the real
// client-node facade: the playbook's checks must give the expected statuses, and nothing may write.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { runChecks } from '../../src/checks/run.js';
import { loadPlaybooks } from '../../src/playbooks/load.js';
import { decideVerdict } from '../../src/triage/verdict.js';
import type { Facts } from '../../src/triage/types.js';
import { kubeFor, startKubeApiServer, type KubeApiServer } from '../support/kube-api-server.js';
import { loadScenario } from '../support/scenario.js';

export const SCENARIO_DIR = join(import.meta.dirname, '..', 'scenarios');

const statusSchema = z.enum(['confirmed', 'refuted', 'inconclusive', 'error']);
export const triageSectionSchema = z.object({
  playbook: z.string(),
  facts: z.record(z.string(), z.unknown()),
  expect: z.record(z.string(), statusSchema),
  verdict: z.enum(['confirmed', 'refuted', 'inconclusive', 'text-only']),
  /** A paste that diagnoses to `playbook` (used by the CLI end-to-end tests). */
  text: z.string().optional(),
});
export type TriageSection = z.infer<typeof triageSectionSchema>;

export function scenarioFiles(): string[] {
  return readdirSync(SCENARIO_DIR).filter((f) => f.endsWith('.yaml')).sort();
}

export function triageSection(file: string): TriageSection {
  const doc: unknown = parseYaml(readFileSync(join(SCENARIO_DIR, file), 'utf8'));
  return triageSectionSchema.parse((doc as { triage?: unknown }).triage);
}

const playbooks = loadPlaybooks();
let server: KubeApiServer | undefined;

afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('scenarios through the local Kubernetes API server (opens a port)', () => {
  it('has a confirming and a refuting scenario for each founding playbook', () => {
    const founding = ['immutable-load-balancer-class', 'immutable-cluster-ip', 'rollback-cleanup-noise', 'persisted-values-revert', 'orphaned-pods-webhook'];
    const sections = scenarioFiles().map(triageSection);
    for (const id of founding) {
      expect(sections.some((s) => s.playbook === id && s.verdict === 'confirmed'), `${id} confirmed`).toBe(true);
      expect(sections.some((s) => s.playbook === id && s.verdict === 'refuted'), `${id} refuted`).toBe(true);
    }
  });

  it.each(scenarioFiles())('%s', async (file) => {
    const triage = triageSection(file);
    const playbook = playbooks.get(triage.playbook);
    expect(playbook, `playbook ${triage.playbook}`).toBeDefined();
    const checks = playbook?.checks ?? [];
    expect([...checks].sort()).toEqual(Object.keys(triage.expect).sort());

    server = await startKubeApiServer(loadScenario(join(SCENARIO_DIR, file)));
    const facts = triage.facts as Facts;
    const findings = await runChecks({ checks, facts, kube: kubeFor(server), signal: AbortSignal.timeout(20_000), now: new Date('2026-01-05T12:00:00Z') });
    const statuses = Object.fromEntries(findings.map((f) => [f.check, f.status]));
    expect(statuses, JSON.stringify(findings, null, 2)).toEqual(triage.expect);

    const verdict = decideVerdict({ playbook: triage.playbook, confidence: 0.8, rootCause: 'text root cause', matches: [], facts }, findings, playbooks);
    expect(verdict.status, verdict.summary).toBe(triage.verdict);
    expect(server.writeAttempts).toHaveLength(0);
    // Stored values can hold secrets: the decoded release config must reach no finding.
    expect(JSON.stringify(findings)).not.toContain('not-a-real-password');
  });
});
