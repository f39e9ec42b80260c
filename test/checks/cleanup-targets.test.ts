import { describe, expect, it } from 'vitest';
import { cleanupTargets, type Presence } from '../../src/checks/cleanup-targets.js';

const p = (kind: string, name: string, exists: boolean | null): Presence => ({ ref: { kind, name }, exists });
const judge = (named: Presence[], targetOnly: Presence[] = []) =>
  cleanupTargets.judge({ currentRevision: 4, targetRevision: 2, named, targetOnly }, {}, new Date());

describe('cleanup-targets judge', () => {
  it('confirms when every "skipping delete" object is absent', () => {
    const f = judge([p('ConfigMap', 'web-env', false), p('Service', 'web', false)]);
    expect(f.status).toBe('confirmed');
    expect(f.summary).toContain('all 2 object(s)');
  });

  it('confirms when target-only objects already exist (patch instead of create)', () => {
    const f = judge([], [p('ConfigMap', 'web-extra', true)]);
    expect(f.status).toBe('confirmed');
    expect(f.summary).toContain('ConfigMap/web-extra');
  });

  it('refutes when named objects exist', () => {
    expect(judge([p('ConfigMap', 'web-env', true), p('Service', 'web', false)]).status).toBe('refuted');
  });

  it('is inconclusive with nothing to look at', () => {
    expect(judge([], [p('ConfigMap', 'x', false)]).status).toBe('inconclusive');
  });
});
