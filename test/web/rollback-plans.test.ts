import { afterEach, describe, expect, it } from 'vitest';
import { willFailPlan } from '../render/rollback-fixtures.js';
import { DAY, makeHarness, type Harness } from './harness.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.server.close();
  h = undefined;
});

describe('GET /rollback-plans/:id', () => {
  it('serves the stored plan as a page with the whole diff, never cached or indexed, and as JSON', async () => {
    h = makeHarness();
    const plan = willFailPlan();
    const record = await h.rollbackPlans.create({ request: plan.request, cluster: 'prod-eu', plan, answer: { outcome: 'ok', completedAt: h.clock.now } });
    const res = await h.server.app.inject({ url: `/rollback-plans/${record.id}` });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/html');
    expect(res.headers['cache-control']).toBe('private, no-store');
    expect(res.headers['x-robots-tag']).toBe('noindex, nofollow');
    expect(String(res.headers['content-security-policy'])).toContain("script-src 'self'");
    expect(res.body).toContain('<h1>Rollback plan: kruise → revision 1</h1>');
    expect(res.body.match(/<details class="object">/g)).toHaveLength(6);
    expect(res.body).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/i);
    expect(res.body).not.toMatch(/<[a-z][^<>]*\sstyle\s*=/i);
    const json = await h.server.app.inject({ url: `/rollback-plans/${record.id}`, headers: { accept: 'application/json' } });
    expect(json.json()).toMatchObject({ id: record.id, cluster: 'prod-eu', plan: { verdict: { kind: 'will-fail' } } });
  });

  it('says "still planning" before the answer, and 404 for an unknown or expired id', async () => {
    h = makeHarness();
    const unknown = await h.server.app.inject({ url: '/rollback-plans/AAAAAAAAAAAAAAAAAAAAAAAA' });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.body).toContain('This rollback plan has expired');
    const record = await h.rollbackPlans.create({ request: { release: 'web', namespace: 'prod' }, cluster: 'c' });
    const pending = await h.server.app.inject({ url: `/rollback-plans/${record.id}` });
    expect(pending.statusCode).toBe(200);
    expect(pending.body).toContain('is still planning this rollback');
    h.clock.now += 14 * DAY;
    const gone = await h.server.app.inject({ url: `/rollback-plans/${record.id}`, headers: { accept: 'application/json' } });
    expect(gone.statusCode).toBe(404);
    expect(gone.json()).toMatchObject({ error: 'rollback_plan_expired' });
  });
});
