// Twin scenarios end to end through the CLI (`helm-triage rollback-plan … --json`, in process, real
// kubeconfig → the real facade and transport) against the local Kubernetes API server (opens a port):
// for each prediction kind a scenario where it is predicted and a twin where the same rollback is safe
// on that count. The server refuses anything but GET; every run asserts none was attempted.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { PREDICTION_KINDS, type RollbackPlan } from '../../src/model/rollback.js';
import { runInProcess } from '../cli/support.js';
import { startKubeApiServer, writeKubeconfig, type KubeApiServer } from '../support/kube-api-server.js';
import { loadScenario } from '../support/scenario.js';

export const ROLLBACK_SCENARIOS = join(import.meta.dirname, '..', 'scenarios', 'rollback');

const sectionSchema = z.object({
  args: z.array(z.string()).min(1),
  verdict: z.enum(['safe', 'will-fail', 'needs-care', 'cannot-plan']),
  /** The prediction kinds the plan must make, exactly (as a set). */
  predicts: z.array(z.enum(PREDICTION_KINDS)),
  /** The scenario of the same rollback where the kinds predicted here are not. */
  twin: z.string(),
  /** Substrings the text output must carry. */
  text: z.array(z.string()).default([]),
  /** The planned command, exactly. */
  command: z.string().optional(),
});
type Section = z.infer<typeof sectionSchema>;

export function rollbackScenarioFiles(): string[] {
  return readdirSync(ROLLBACK_SCENARIOS).filter((f) => f.endsWith('.yaml')).sort();
}

function section(file: string): Section {
  const doc = parseYaml(readFileSync(join(ROLLBACK_SCENARIOS, file), 'utf8')) as { rollback?: unknown };
  return sectionSchema.parse(doc.rollback);
}

// Every password the scenarios' values carry: none may reach the output.
const SECRETS = ['hunter2-s3cret-Pw', 'sup3r-s3cret-Pw'];

let server: KubeApiServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('rollback-plan twin scenarios through the CLI against the local API server (opens a port)', () => {
  it('pairs every scenario with a twin that does not predict its kinds', () => {
    const files = rollbackScenarioFiles();
    expect(files.length).toBeGreaterThanOrEqual(4);
    for (const file of files) {
      const s = section(file);
      expect(files, `${file}: twin ${s.twin}`).toContain(s.twin);
      const twin = section(s.twin);
      expect(twin.twin, `${s.twin} names ${file} back`).toBe(file);
      for (const kind of s.predicts) expect(twin.predicts, `${s.twin} must not predict ${kind}`).not.toContain(kind);
    }
  });

  it.each(rollbackScenarioFiles())('%s', async (file) => {
    const s = section(file);
    server = await startKubeApiServer(loadScenario(join(ROLLBACK_SCENARIOS, file)));
    const env = { KUBECONFIG: writeKubeconfig(server) };
    const run = await runInProcess(['rollback-plan', ...s.args, '--json'], '', env);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(s.verdict === 'cannot-plan' ? 1 : 0);
    const plan = JSON.parse(run.stdout) as RollbackPlan;
    expect(plan.verdict.kind, plan.verdict.summary).toBe(s.verdict);
    expect([...new Set(plan.predictions.map((p) => p.kind))].sort(), JSON.stringify(plan.predictions.map((p) => p.summary))).toEqual([...s.predicts].sort());
    if (s.command !== undefined) expect(plan.command?.command).toBe(s.command);
    // The count the plan reports is the count the server saw.
    expect(plan.requests).toBe(server.requestCount);
    const requests = server.requestCount;

    const text = await runInProcess(['rollback-plan', ...s.args], '', env);
    expect(text.code).toBe(run.code);
    for (const t of s.text) expect(text.stdout).toContain(t);
    expect(text.stdout.split('\n')[1]).toMatch(/^Verdict: /);
    for (const secret of SECRETS) {
      expect(run.stdout).not.toContain(secret);
      expect(text.stdout).not.toContain(secret);
    }
    expect(server.requestCount).toBe(2 * requests);
    expect(server.writeAttempts).toHaveLength(0);
    expect(server.requests.every((r) => r.method === 'GET')).toBe(true);
  });
});
