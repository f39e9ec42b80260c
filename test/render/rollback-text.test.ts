import { describe, expect, it } from 'vitest';
import type { RollbackPlan } from '../../src/model/rollback.js';
import { OBJECTS_SHOWN, renderRollbackText } from '../../src/render/rollback-text.js';

const base: RollbackPlan = {
  v: 1,
  request: { release: 'web', namespace: 'shop' },
  current: { revision: 5, status: 'deployed', chart: 'web-1.5.0' },
  target: { revision: 3, status: 'superseded', chart: 'web-1.3.0' },
  verdict: { kind: 'will-fail', summary: 'will fail: Deployment shop/api: revision 3 changes spec.selector, which is immutable (and 1 more)' },
  predictions: [
    { kind: 'immutable-selector', severity: 'will-fail', summary: 'Deployment shop/api: revision 3 changes spec.selector, which is immutable', evidence: ['revision 5 spec.selector: {"matchLabels":{"app":"v2"}}'],
      fixFirst: [{ command: 'kubectl delete deployment.apps api -n shop --cascade=orphan', effect: 'changes-cluster', description: 'delete it, keep its pods', risk: 'unmanaged until recreated' }] },
    { kind: 'values-pinned', severity: 'needs-care', summary: 'the rollback restores revision 3\'s user-supplied values: image.tag (15 → 11)', evidence: ['image.tag: revision 5 15, revision 3 11'],
      fixFirst: [{ command: 'helm get values web -n shop --revision 5', effect: 'read-only' }] },
  ],
  diff: {
    chart: { from: 'web-1.5.0', to: 'web-1.3.0' },
    appVersion: { from: '2', to: '1' },
    values: { changes: [{ path: 'image.tag', from: '15', to: '11' }, { path: 'db.password', from: '[REDACTED]' }] },
    objects: [
      { object: { apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'shop', name: 'api' }, change: 'changed', fields: [{ path: 'spec.selector.matchLabels.app', from: 'v2', to: 'v1' }] },
      { object: { apiVersion: 'v1', kind: 'ConfigMap', namespace: 'shop', name: 'flags' }, change: 'removed', fields: [] },
    ],
    unchanged: 7,
  },
  command: { command: 'helm rollback web 3 -n shop', effect: 'changes-cluster', description: 'only once the fix above is applied', risk: 'predicted to fail as it stands' },
  requests: 9,
  notes: ['live Secret shop/x: forbidden'],
  createdAt: 0,
};

describe('renderRollbackText', () => {
  it('puts the verdict first, predictions worst first with evidence and fix, the collapsed diff, then the command', () => {
    const text = renderRollbackText(base);
    const lines = text.split('\n');
    expect(lines[0]).toBe('Rollback plan web -n shop revision 5 (web-1.5.0, deployed) → 3 (web-1.3.0, superseded)');
    expect(lines[1]).toBe(`Verdict: WILL FAIL  ${base.verdict.summary}`);
    const order = ['Predictions (worst first)', '[will fail]  immutable-selector', 'fix first:', '$ kubectl delete deployment.apps api', '[needs care] values-pinned', 'Diff', 'objects: 1 changed, 0 added (only the target has them), 1 removed (the rollback deletes them), 7 unchanged',
      '~ Deployment shop/api: spec.selector.matchLabels.app', '- ConfigMap shop/flags', 'user-supplied values: 2 path(s) differ', 'db.password: [REDACTED] → (absent)', 'Notes', 'Command (not run)', '$ helm rollback web 3 -n shop', '9 read-only API requests'];
    let at = 0;
    for (const o of order) {
      const i = text.indexOf(o, at);
      expect(i, o).toBeGreaterThanOrEqual(at);
      at = i;
    }
    expect(text).not.toContain('\x1b[');
  });

  it('colours only when asked, and says why no plan could be made', () => {
    expect(renderRollbackText(base, { color: true })).toContain('\x1b[31mWILL FAIL');
    const text = renderRollbackText({ ...base, verdict: { kind: 'cannot-plan', summary: 'release web has no revisions in namespace shop' }, current: null, target: null, predictions: [], diff: null, command: null, notes: [] });
    expect(text).toBe('Rollback plan web -n shop\nVerdict: CANNOT PLAN  release web has no revisions in namespace shop\n\n9 read-only API requests\n');
  });

  it('collapses many changed objects to a count', () => {
    const objects = Array.from({ length: OBJECTS_SHOWN + 5 }, (_, i) => ({ object: { apiVersion: 'v1', kind: 'ConfigMap', namespace: 'shop', name: `c${i}` }, change: 'changed' as const, fields: [{ path: 'data.k' }] }));
    const text = renderRollbackText({ ...base, diff: { ...base.diff!, objects } });
    expect(text).toContain('… 5 more changed objects (see --json)');
    expect(text.match(/^ {4}~ /gm)).toHaveLength(OBJECTS_SHOWN);
  });
});
