import { describe, expect, it } from 'vitest';
import { describeKey } from '../../src/model/rollback.js';
import { identity, isClusterScoped, manifestObjects } from '../../src/rollback/objects.js';

describe('manifestObjects', () => {
  it('keys objects as Helm matches them, skips what is not an object and keeps the first of a duplicate', () => {
    const objs = manifestObjects([
      '---', '# Source: a/templates/cm.yaml', 'apiVersion: v1', 'kind: ConfigMap', 'metadata: { name: c }', 'data: { when: 2024-01-01, on: yes }',
      '---', '# a disabled template', '---', '- a list', '---', 'kind: [broken', '---',
      'apiVersion: v1', 'kind: ConfigMap', 'metadata: { name: c }', 'data: { second: "1" }', '',
    ].join('\n'), 'shop');
    expect(objs.map((o) => describeKey(o.key))).toEqual(['ConfigMap shop/c']);
    // YAML 1.2 core schema: dates and yes stay strings (both sides of a diff read alike).
    expect(objs[0]?.object.data).toEqual({ when: '2024-01-01', on: 'yes' });
    expect(identity(objs[0]!.key)).toBe('/ConfigMap/shop/c');
    expect(objs[0]?.id).toBe(identity(objs[0]!.key));
  });

  it('refuses a document whose aliases would expand without bound (billion laughs)', () => {
    const lol = ['apiVersion: v1', 'kind: ConfigMap', 'metadata: { name: lol }', 'data:', '  a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
    for (let i = 1; i < 12; i++) lol.push(`  ${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(9).fill(`*${String.fromCharCode(96 + i)}`).join(',')}]`);
    expect(manifestObjects(lol.join('\n'), 'shop')).toEqual([]);
  });

  it('knows the common cluster-scoped kinds', () => {
    expect(isClusterScoped('rbac.authorization.k8s.io/v1', 'ClusterRole')).toBe(true);
    expect(isClusterScoped('v1', 'Namespace')).toBe(true);
    expect(isClusterScoped('apps/v1', 'Deployment')).toBe(false);
    expect(isClusterScoped('cert-manager.io/v1', 'Certificate')).toBe(false);
  });
});
