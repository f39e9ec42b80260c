import { describe, expect, it } from 'vitest';
import { MemoryKeyValueStore } from '../../src/store/memory-kv.js';
import { KeyValueRollbackPlanStore, isRollbackPlanId, newRollbackPlanId } from '../../src/store/rollback-plans.js';
import { willFailPlan } from '../render/rollback-fixtures.js';

function store(ttlMs = 60_000) {
  const clock = { now: 1_000_000 };
  const kv = new MemoryKeyValueStore(() => clock.now);
  return { clock, kv, plans: new KeyValueRollbackPlanStore(kv, ttlMs, () => clock.now) };
}

describe('KeyValueRollbackPlanStore', () => {
  it('keeps a pending request, then the plan, under one unguessable id', async () => {
    const { plans } = store();
    const created = await plans.create({ request: { release: 'web', namespace: 'prod', revision: 3 }, cluster: 'prod-eu' });
    expect(isRollbackPlanId(created.id)).toBe(true);
    expect(created.expiresAt).toBe(1_060_000);
    expect((await plans.get(created.id))?.plan).toBeUndefined();
    const plan = willFailPlan();
    await plans.update(created.id, { plan, answer: { outcome: 'ok', completedAt: 1_000_500 } });
    const read = await plans.get(created.id);
    expect(read?.plan).toEqual(plan);
    expect(read?.request).toEqual({ release: 'web', namespace: 'prod', revision: 3 });
  });

  it('forgets a plan after its TTL, and an update does not extend it', async () => {
    const { clock, plans } = store(10_000);
    const created = await plans.create({ request: { release: 'web', namespace: 'prod' }, cluster: 'c' });
    clock.now += 9_000;
    await plans.update(created.id, { answer: { outcome: 'no-agent', completedAt: clock.now } });
    clock.now += 1_001;
    expect(await plans.get(created.id)).toBeNull();
    expect(await plans.update(created.id, { answer: { outcome: 'ok', completedAt: clock.now } })).toBeNull();
  });

  it('answers null for ids that are not ids, without reading the store', async () => {
    const { kv, plans } = store();
    await kv.set('rollback-plan:../x', '{}', 1000);
    expect(await plans.get('../x')).toBeNull();
    expect(await plans.get('')).toBeNull();
    expect(newRollbackPlanId()).not.toBe(newRollbackPlanId());
  });
});
