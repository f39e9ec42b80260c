import { describe, expect, it } from 'vitest';
import { belongsToRelease, finalizerHolds, heldByFinalizers, type Gathered } from '../../src/checks/finalizer-holds.js';

const g = (over: Partial<Gathered>): Gathered => ({ release: 'catalog', namespace: 'shop', installed: false, scanned: ['PersistentVolumeClaim', 'Service'], unreadable: [], held: [], heldCount: 0, ...over });

describe('finalizer-holds', () => {
  it.each<[string, Gathered, string]>([
    ['a held PVC', g({ held: [{ ref: 'PersistentVolumeClaim shop/data-0', finalizers: ['kubernetes.io/pvc-protection'], since: '2026-01-05T11:00:00Z' }], heldCount: 1 }), 'confirmed'],
    ['nothing held', g({}), 'refuted'],
    ['still installed', g({ installed: true }), 'inconclusive'],
  ])('%s → %s', (_n, gathered, status) => {
    expect(finalizerHolds.judge(gathered, {}, new Date()).status).toBe(status);
  });

  it('is decisive, and says which grant would let it read a custom kind', () => {
    const f = finalizerHolds.judge(g({ unreadable: [{ kind: 'Widget', permission: 'list widgets.example.com' }] }), {}, new Date());
    expect(f.decisive).toBe(true);
    expect(f.missingPermission).toBe('list widgets.example.com');
    expect(f.evidence).toContain('could not list Widget: grant list widgets.example.com to see its finalizers');
  });

  it('knows a release object by its Helm annotations or instance labels, and a held one by deletionTimestamp + finalizers', () => {
    expect(belongsToRelease({ metadata: { annotations: { 'meta.helm.sh/release-name': 'catalog', 'meta.helm.sh/release-namespace': 'shop' } } }, 'catalog', 'shop')).toBe(true);
    expect(belongsToRelease({ metadata: { annotations: { 'meta.helm.sh/release-name': 'catalog', 'meta.helm.sh/release-namespace': 'other' } } }, 'catalog', 'shop')).toBe(false);
    expect(belongsToRelease({ metadata: { labels: { 'app.kubernetes.io/instance': 'catalog' } } }, 'catalog', 'shop')).toBe(true);
    expect(belongsToRelease({ metadata: { labels: { 'app.kubernetes.io/instance': 'cart' } } }, 'catalog', 'shop')).toBe(false);
    expect(heldByFinalizers({ metadata: { deletionTimestamp: '2026-01-05T11:00:00Z', finalizers: ['x'] } })).toBe(true);
    expect(heldByFinalizers({ metadata: { finalizers: ['x'] } })).toBe(false);
    expect(heldByFinalizers({ metadata: { deletionTimestamp: '2026-01-05T11:00:00Z', finalizers: [] } })).toBe(false);
  });
});
