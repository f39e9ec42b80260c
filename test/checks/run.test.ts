import { describe, expect, it } from 'vitest';
import { MissingFactError } from '../../src/checks/errors.js';
import { CHECKS, checkIds, getCheck } from '../../src/checks/registry.js';
import { runChecks } from '../../src/checks/run.js';
import type { Check, CheckContext } from '../../src/checks/types.js';
import { KubeForbiddenError, KubeTimeoutError } from '../../src/kube/errors.js';
import { loadPlaybooks } from '../../src/playbooks/load.js';
import type { ReadOnlyKube } from '../../src/kube/types.js';

// The kube facade is never reached by these checks; runChecks only passes it through.
const kube: ReadOnlyKube = {
  version: async () => ({ major: '1', minor: '30', gitVersion: 'v1.30.0' }),
  get: async () => null,
  list: async function* () {},
  serves: async () => true,
};

const check = (id: string, run: (ctx: CheckContext) => Promise<void | 'ok'>): Check => ({
  id, description: id, permissions: [],
  async run(ctx) {
    await run(ctx);
    return { check: id, status: 'confirmed', summary: `${id} ok`, evidence: [] };
  },
});

const sleep = (ms: number, signal?: AbortSignal) => new Promise<void>((resolve, reject) => {
  const t = setTimeout(resolve, ms);
  signal?.addEventListener('abort', () => { clearTimeout(t); reject(new Error('aborted')); });
});

const registry = (checks: Check[]) => (id: string) => checks.find((c) => c.id === id);

describe('runChecks', () => {
  it('turns failures into findings and keeps the others, in order', async () => {
    const checks = [
      check('fine', async () => {}),
      check('forbidden', async () => { throw new KubeForbiddenError({ verb: 'list', resource: 'validatingwebhookconfigurations.admissionregistration.k8s.io' }); }),
      check('slow-server', async () => { throw new KubeTimeoutError('list pods', 5000); }),
      check('needs-release', async () => { throw new MissingFactError('release', 'pass --release'); }),
      check('broken', async () => { throw new TypeError('boom'); }),
    ];
    const findings = await runChecks({
      checks: ['fine', 'forbidden', 'slow-server', 'needs-release', 'broken', 'no-such-check'],
      facts: {}, kube, signal: new AbortController().signal, registry: registry(checks),
    });
    expect(findings.map((f) => [f.check, f.status])).toEqual([
      ['fine', 'confirmed'], ['forbidden', 'inconclusive'], ['slow-server', 'inconclusive'],
      ['needs-release', 'inconclusive'], ['broken', 'error'], ['no-such-check', 'error'],
    ]);
    expect(findings[1]?.missingPermission).toBe('list validatingwebhookconfigurations.admissionregistration.k8s.io (cluster-wide)');
    expect(findings[1]?.summary).toContain('needs list validatingwebhookconfigurations');
    expect(findings[3]?.summary).toContain('needs the release');
    expect(findings[5]?.summary).toContain('unknown check "no-such-check"');
  });

  it('times out a slow check without losing the fast ones, and aborts its signal', async () => {
    let sawAbort = false;
    const checks = [
      check('fast', async () => {}),
      check('stuck', async (ctx) => {
        ctx.signal.addEventListener('abort', () => { sawAbort = true; });
        await sleep(5_000, ctx.signal);
      }),
    ];
    const findings = await runChecks({ checks: ['fast', 'stuck'], facts: {}, kube, signal: new AbortController().signal, perCheckTimeoutMs: 100, registry: registry(checks) });
    expect(findings[0]?.status).toBe('confirmed');
    expect(findings[1]).toMatchObject({ check: 'stuck', status: 'inconclusive', summary: expect.stringContaining('timed out after 0.1 s') });
    expect(sawAbort).toBe(true);
  });

  it('runs independent checks in parallel', async () => {
    let inFlight = 0;
    let most = 0;
    const checks = ['a', 'b', 'c', 'd'].map((id) => check(id, async () => {
      most = Math.max(most, ++inFlight);
      await sleep(20);
      inFlight--;
    }));
    await runChecks({ checks: ['a', 'b', 'c', 'd'], facts: {}, kube, signal: new AbortController().signal, registry: registry(checks) });
    expect(most).toBe(4);
  });

  it('answers for every check when the caller cancels', async () => {
    const ac = new AbortController();
    const checks = [check('stuck', (ctx) => sleep(5_000, ctx.signal))];
    const pending = runChecks({ checks: ['stuck'], facts: {}, kube, signal: ac.signal, registry: registry(checks) });
    ac.abort();
    const [f] = await pending;
    expect(f?.status).toBe('inconclusive');
    expect(f?.summary).toContain('cancelled');
  });

  it('uses the built-in registry by default', async () => {
    const findings = await runChecks({ checks: ['release-history'], facts: {}, kube, signal: new AbortController().signal });
    expect(findings[0]).toMatchObject({ check: 'release-history', status: 'inconclusive', summary: expect.stringContaining('needs the release') });
  });
});

describe('check registry', () => {
  it('holds every check id the playbooks name', () => {
    const named = [...new Set(loadPlaybooks().playbooks.flatMap((p) => p.checks))];
    expect(named.length).toBeGreaterThan(0);
    for (const id of named) expect(getCheck(id)?.id, id).toBe(id);
  });

  it('finds each registered check by its id, one check per id', () => {
    for (const check of CHECKS) expect(getCheck(check.id), check.id).toBe(check);
    expect(checkIds()).toEqual(CHECKS.map((c) => c.id));
  });

  it('documents each check: description and permissions', () => {
    for (const id of checkIds()) {
      const c = getCheck(id);
      expect(c?.description.length, id).toBeGreaterThan(20);
      expect(c?.permissions.length, id).toBeGreaterThan(0);
    }
  });
});
