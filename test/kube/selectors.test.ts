import { describe, expect, it } from 'vitest';
import { matchesLabelMap, matchesLabels, parseFieldSelector, parseLabelSelector, SelectorSyntaxError } from '../../src/kube/selectors.js';

describe('label selectors', () => {
  const labels = { app: 'web', tier: 'front', 'app.kubernetes.io/instance': 'shop' };
  const cases: Array<[string, boolean]> = [
    ['', true],
    ['app=web', true],
    ['app==web', true],
    ['app=api', false],
    ['app!=api', true],
    ['missing!=x', true],
    ['app in (api, web)', true],
    ['app notin (web)', false],
    ['missing notin (web)', true],
    ['tier', true],
    ['!tier', false],
    ['!missing', true],
    ['app=web,tier=front,app.kubernetes.io/instance=shop', true],
    ['app=web,tier in (back)', false],
  ];
  for (const [selector, expected] of cases) {
    it(`"${selector}" → ${expected}`, () => expect(matchesLabels(parseLabelSelector(selector), labels)).toBe(expected));
  }

  it('rejects malformed selectors', () => {
    expect(() => parseLabelSelector('app in web')).toThrow(SelectorSyntaxError);
    expect(() => parseLabelSelector('a=b=c')).toThrow(SelectorSyntaxError);
  });

  it('field selectors accept only equality', () => {
    expect(parseFieldSelector('status.phase=Running,metadata.name!=x')).toHaveLength(2);
    expect(() => parseFieldSelector('status.phase in (Running)')).toThrow(SelectorSyntaxError);
  });

  it('map selectors need every pair', () => {
    expect(matchesLabelMap({ app: 'web' }, labels)).toBe(true);
    expect(matchesLabelMap({ app: 'web', tier: 'back' }, labels)).toBe(false);
    expect(matchesLabelMap({ app: 'web' }, undefined)).toBe(false);
  });
});
