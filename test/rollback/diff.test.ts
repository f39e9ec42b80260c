import { describe, expect, it } from 'vitest';
import { diffObjects, diffRevisions, diffValues, display, fieldChanges, joinPath, MAX_FIELDS_PER_OBJECT, MAX_VALUE_CHARS } from '../../src/rollback/diff.js';
import { manifestObjects } from '../../src/rollback/objects.js';
import { side } from './support.js';

describe('fieldChanges', () => {
  it('names each leaf that differs, objects by key and lists by index', () => {
    const from = { spec: { ports: [{ port: 80 }, { port: 81 }], type: 'ClusterIP' } };
    const to = { spec: { ports: [{ port: 8080 }], type: 'ClusterIP', selector: { app: 'web' } } };
    expect(fieldChanges(from, to)).toEqual([
      { path: 'spec.ports[0].port', from: '80', to: '8080' },
      { path: 'spec.ports[1].port', from: '81' },
      { path: 'spec.selector.app', to: 'web' },
    ]);
  });

  it('quotes keys with dots or slashes, and finds nothing between equal values whatever the key order', () => {
    expect(joinPath('metadata.labels', 'app.kubernetes.io/name')).toBe('metadata.labels["app.kubernetes.io/name"]');
    expect(fieldChanges({ a: 1, b: { c: [1, 2] } }, { b: { c: [1, 2] }, a: 1 })).toEqual([]);
  });

  it('cuts long values and shows maps and lists of maps by their size', () => {
    expect(display('x'.repeat(200))).toHaveLength(MAX_VALUE_CHARS);
    expect(display([{ a: 1 }, { b: 2 }])).toBe('[2 items]');
    expect(display(['a', 'b'])).toBe('["a","b"]');
    expect(display({})).toBe('{}');
  });
});

describe('diffObjects', () => {
  const current = manifestObjects(`
apiVersion: v1
kind: Service
metadata: { name: web }
spec: { ports: [{ port: 80 }] }
---
apiVersion: v1
kind: ConfigMap
metadata: { name: extra }
---
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata: { name: web }
spec: { minAvailable: 1 }
`, 'shop');
  const target = manifestObjects(`
apiVersion: v1
kind: Service
metadata: { name: web }
spec: { ports: [{ port: 8080 }] }
---
apiVersion: v1
kind: Secret
metadata: { name: old-only }
---
apiVersion: policy/v1beta1
kind: PodDisruptionBudget
metadata: { name: web }
spec: { minAvailable: 1 }
`, 'shop');

  it('sorts objects into changed, added (target only) and removed (current only), matched by group, kind, namespace and name', () => {
    const d = diffObjects(current, target);
    expect(d.objects.map((o) => [o.change, o.object.kind, o.object.name])).toEqual([
      ['changed', 'Service', 'web'],
      ['added', 'Secret', 'old-only'],
      ['changed', 'PodDisruptionBudget', 'web'],
      ['removed', 'ConfigMap', 'extra'],
    ]);
    // The PDB moved API version only: the same object, changed at apiVersion.
    expect(d.objects[2]?.fields).toEqual([{ path: 'apiVersion', from: 'policy/v1', to: 'policy/v1beta1' }]);
    expect(d.unchanged).toBe(0);
    expect(diffObjects(current, current)).toEqual({ objects: [], unchanged: 3 });
  });

  it('puts objects without a namespace in the release namespace, and cluster-scoped ones in none', () => {
    const objs = manifestObjects('apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata: { name: r }\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: { name: c, namespace: other }\n', 'shop');
    expect(objs.map((o) => o.key.namespace)).toEqual(['', 'other']);
  });

  it('lists at most MAX_FIELDS_PER_OBJECT paths per object and counts the rest', () => {
    const wide = (v: number): string => `apiVersion: v1\nkind: ConfigMap\nmetadata: { name: c }\ndata:\n${Array.from({ length: 60 }, (_, i) => `  k${i}: "${v}"`).join('\n')}\n`;
    const d = diffObjects(manifestObjects(wide(1), 'shop'), manifestObjects(wide(2), 'shop'));
    expect(d.objects[0]?.fields).toHaveLength(MAX_FIELDS_PER_OBJECT + 1);
    expect(d.objects[0]?.fields.at(-1)?.path).toBe(`… ${60 - MAX_FIELDS_PER_OBJECT} more fields`);
  });
});

describe('diffValues and diffRevisions', () => {
  it('compares user-supplied values by dotted path, current → target, and keeps their redacted form', () => {
    const current = { image: { tag: '15' }, db: { password: '[REDACTED]' }, replicas: 3 };
    const target = { image: { tag: '11' }, db: { password: '[REDACTED]' } };
    expect(diffValues(current, target)).toEqual([
      { path: 'image.tag', from: '15', to: '11' },
      { path: 'replicas', from: '3' },
    ]);
  });

  it('names the chart and appVersion of both sides', () => {
    const d = diffRevisions({ ...side(5, ''), appVersion: '2' }, side(3, ''));
    expect(d.chart).toEqual({ from: 'web-1.5.0', to: 'web-1.3.0' });
    expect(d.appVersion).toEqual({ from: '2' });
    expect(d.values.changes).toEqual([]);
  });
});
