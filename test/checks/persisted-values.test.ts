import { describe, expect, it } from 'vitest';
import { imagePins, namedPins, persistedValues } from '../../src/checks/persisted-values.js';

describe('imagePins', () => {
  it.each([
    [{ image: { tag: '11' } }, [{ path: 'image.tag', value: '11' }]],
    [{ postgresql: { image: { repository: 'bitnami/postgresql', tag: 11 } } }, [{ path: 'postgresql.image.repository', value: 'bitnami/postgresql' }, { path: 'postgresql.image.tag', value: '11' }]],
    [{ imageTag: '1.2' }, [{ path: 'imageTag', value: '1.2' }]],
    [{ image: { pullPolicy: 'Always' } }, []],
    [{ replicaCount: 2, service: { port: 80 } }, []],
    [null, []],
  ])('%j', (values, pins) => {
    expect(imagePins(values)).toEqual(pins);
  });
});

describe('persisted-values judge', () => {
  const now = new Date();
  it('confirms a pinned tag carried across revisions, with the reset command', () => {
    const f = persistedValues.judge({
      release: 'db', namespace: 'data', chart: null,
      revisions: [
        { version: 7, status: 'deployed', pins: [{ path: 'image.tag', value: '11' }] },
        { version: 6, status: 'superseded', pins: [{ path: 'image.tag', value: '11' }] },
      ],
    }, { setValues: { 'image.tag': '16' } }, now);
    expect(f.status).toBe('confirmed');
    expect(f.summary).toBe('revision 7 of db stores user-supplied image.tag="11" (also in revision 6); the command asked for 16: upgrades that reuse values re-apply it');
    expect(f.learned?.['resetCommand']).toContain('--reset-values');
    expect(f.learned?.['resetCommand']).toContain('--set image.tag=<new>');
  });

  it('refutes when no image value is stored', () => {
    expect(persistedValues.judge({ release: 'db', namespace: 'data', chart: null, revisions: [{ version: 3, status: 'deployed', pins: [] }] }, {}, now).status).toBe('refuted');
  });

  it('is inconclusive without revisions', () => {
    expect(persistedValues.judge({ release: 'db', namespace: 'data', chart: null, revisions: [] }, {}, now).status).toBe('inconclusive');
  });
});

describe('persisted-values: the --set paths the text names', () => {
  it('finds a stored value at a path the text set (a port that sticks)', () => {
    expect(namedPins({ service: { port: 7000 }, image: { tag: '1' } }, ['service.port', 'missing.path', 'image'])).toEqual([{ path: 'service.port', value: '7000' }]);
  });
});
