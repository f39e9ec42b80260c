import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { processCheckJob } from '../../src/queue/process-job.js';
import { startKubeApiServer, kubeFor, type KubeApiServer } from '../support/kube-api-server.js';
import { makeJob, unusedKube } from './support.js';

describe('processCheckJob (local Kubernetes API server on a port)', () => {
  let server: KubeApiServer;
  let hanging: KubeApiServer;
  beforeAll(async () => {
    server = await startKubeApiServer({ version: { major: '1', minor: '21', gitVersion: 'v1.21.5' } });
    hanging = await startKubeApiServer({ fail: [{ path: '/version', hang: true }] });
  });
  afterAll(async () => {
    await server.close();
    await hanging.close();
  });

  it('runs the job’s checks against the cluster and decides a verdict', async () => {
    const job = makeJob({ checks: ['server-version'], playbook: 'immutable-field' });
    const result = await processCheckJob('chk-a', job, { kube: kubeFor(server), agent: 'test-agent' });
    expect(result).toMatchObject({ v: 1, jobId: 'chk-a', cluster: 'prod', outcome: 'ok', agent: 'test-agent' });
    expect(result.findings).toEqual([expect.objectContaining({ check: 'server-version', status: 'confirmed' })]);
    expect(result.verdict).not.toBeNull();
  });

  it('answers by the deadline when the API server hangs, the hung check inconclusive', async () => {
    const job = makeJob({ checks: ['server-version'] }, 1500);
    const started = Date.now();
    const result = await processCheckJob('chk-b', job, { kube: kubeFor(hanging), agent: 'a' });
    expect(Date.now()).toBeLessThan(job.deadline);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
    expect(result.outcome).toBe('timeout');
    expect(result.findings).toEqual([expect.objectContaining({ check: 'server-version', status: 'inconclusive' })]);
    expect(result.message).toContain('did not finish within 2 s');
  });

  it('answers by the deadline even when the runner ignores its abort signal', async () => {
    const job = makeJob({ checks: ['alpha', 'beta'] }, 800);
    const result = await processCheckJob('chk-c', job, { kube: unusedKube, agent: 'a', runChecks: () => new Promise(() => undefined) });
    expect(Date.now()).toBeLessThan(job.deadline);
    expect(result.outcome).toBe('timeout');
    expect(result.findings.map((f) => [f.check, f.status])).toEqual([['alpha', 'inconclusive'], ['beta', 'inconclusive']]);
  });

  it('fills in checks the runner left out as inconclusive', async () => {
    const job = makeJob({ checks: ['alpha', 'beta'] });
    const result = await processCheckJob('chk-d', job, {
      kube: unusedKube, agent: 'a',
      runChecks: async () => [{ check: 'alpha', status: 'refuted', summary: 'no', evidence: [] }],
    });
    expect(result.outcome).toBe('ok');
    expect(result.findings.map((f) => f.status)).toEqual(['refuted', 'inconclusive']);
  });

  it('lets a failing runner throw, for the caller to retry or report', async () => {
    const job = makeJob();
    await expect(processCheckJob('chk-e', job, { kube: unusedKube, agent: 'a', runChecks: async () => { throw new Error('boom'); } })).rejects.toThrow('boom');
  });
});
