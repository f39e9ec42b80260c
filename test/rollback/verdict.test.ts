import { describe, expect, it } from 'vitest';
import type { Prediction, RollbackRequest } from '../../src/model/rollback.js';
import { decideRollback, rollbackCommand } from '../../src/rollback/verdict.js';

const request: RollbackRequest = { release: 'web', namespace: 'shop' };
const p = (severity: Prediction['severity'], summary: string, extra: Partial<Prediction> = {}): Prediction => ({ kind: 'objects-deleted', severity, summary, evidence: [], fixFirst: [], ...extra });
const decide = (predictions: Prediction[], req: RollbackRequest = request, gaps: string[] = []) =>
  decideRollback({ request: req, currentRevision: 5, targetRevision: 3, targetChart: 'web-1.3.0', predictions, gaps });

describe('decideRollback', () => {
  it('is safe with no predictions and no gaps, and gives the exact command with its risk', () => {
    const v = decide([]);
    expect(v.verdict).toEqual({ kind: 'safe', summary: 'safe to roll back to revision 3 (web-1.3.0): nothing predicted to fail or to need care' });
    expect(v.command).toEqual({ command: 'helm rollback web 3 -n shop', effect: 'changes-cluster', description: 'rolls back to revision 3 (web-1.3.0)', risk: "applies revision 3 (web-1.3.0)'s manifests and values over revision 5" });
  });

  it('keeps --force when asked and nothing depends on it', () => {
    expect(decide([], { ...request, force: true }).command?.command).toBe('helm rollback web 3 -n shop --force');
  });

  it('drops --force when a prediction is about --force, and says the rollback without it avoids the failure', () => {
    const v = decide([p('will-fail', 'Service shop/web: helm rollback --force would fail', { kind: 'immutable-load-balancer-class', onlyWithForce: true, object: { apiVersion: 'v1', kind: 'Service', namespace: 'shop', name: 'web' } })], { ...request, force: true });
    expect(v.verdict.kind).toBe('will-fail');
    expect(v.verdict.summary).toBe('will fail with --force: Service shop/web: helm rollback --force would fail');
    expect(v.command?.command).toBe('helm rollback web 3 -n shop');
    expect(v.command?.risk).toBe("without --force, which would fail on Service shop/web; applies revision 3 (web-1.3.0)'s manifests and values");
  });

  it('will fail when any prediction does, worst first, counting the others', () => {
    const v = decide([p('needs-care', 'deletes a PVC'), p('will-fail', 'selector changes'), p('will-fail', 'job template')]);
    expect(v.verdict).toEqual({ kind: 'will-fail', summary: 'will fail: selector changes (and 1 more)' });
    expect(v.command?.description).toBe('only once the fixes above are applied');
    expect(v.command?.risk).toBe('predicted to fail as it stands: selector changes');
  });

  it('needs care for needs-care predictions, and for gaps alone: an unread cluster is never "safe"', () => {
    expect(decide([p('needs-care', 'deletes a PVC')]).verdict).toEqual({ kind: 'needs-care', summary: 'needs care: deletes a PVC' });
    const gaps = decide([], request, ['live Secret shop/x: forbidden (needs get secrets in namespace shop)', '/version: timeout']);
    expect(gaps.verdict.kind).toBe('needs-care');
    expect(gaps.verdict.summary).toContain('not everything could be read');
    expect(gaps.verdict.summary).toContain('live Secret shop/x: forbidden');
    expect(gaps.verdict.summary).toContain('and 1 more');
  });

  it('never puts a value that could change the command into it', () => {
    expect(rollbackCommand({ release: 'web', namespace: 'shop;rm -rf /' }, 3, false)).toEqual({ command: 'helm rollback web 3 -n <namespace>', effect: 'changes-cluster', missing: ['namespace'] });
  });
});
