import { describe, expect, it } from 'vitest';
import { liveImage, requestedTag, type WorkloadImages } from '../../src/checks/live-image.js';

const judge = (workloads: WorkloadImages[], image?: string, setValues?: Record<string, string>) =>
  liveImage.judge({ release: 'db', revision: 7, workloads }, { ...(image ? { image } : {}), ...(setValues ? { setValues } : {}) }, new Date());

describe('live-image judge', () => {
  it('confirms drift: live differs from the manifest', () => {
    const f = judge([{ kind: 'StatefulSet', name: 'db', manifest: ['postgres:16'], live: ['postgres:11'] }]);
    expect(f.status).toBe('confirmed');
    expect(f.summary).toContain('changed outside Helm');
  });

  it('confirms when the manifest itself renders the reported old tag', () => {
    const f = judge([{ kind: 'StatefulSet', name: 'db', manifest: ['postgres:11'], live: ['postgres:11'] }], 'postgres:11');
    expect(f.status).toBe('confirmed');
    expect(f.summary).toContain('renders postgres:11');
  });

  it('refutes when nothing uses the reported tag', () => {
    expect(judge([{ kind: 'StatefulSet', name: 'db', manifest: ['postgres:16'], live: ['postgres:16'] }], 'postgres:11').status).toBe('refuted');
  });

  it('confirms when the manifest ignores the requested tag', () => {
    const f = judge([{ kind: 'StatefulSet', name: 'db', manifest: ['postgres:11'], live: ['postgres:11'] }], undefined, { 'image.tag': '16' });
    expect(f.status).toBe('confirmed');
    expect(f.summary).toContain('although the command set image.tag=16');
  });

  it('refutes when the manifest renders the requested tag', () => {
    expect(judge([{ kind: 'StatefulSet', name: 'db', manifest: ['postgres:16'], live: ['postgres:16'] }], 'postgres:11', { 'image.tag': '16' }).status).toBe('refuted');
  });

  it.each([[{ 'image.tag': '16' }, 'image.tag'], [{ 'primary.image.tag': '16' }, 'primary.image.tag'], [{ replicas: '2' }, null], [{ 'image.tag': '16.' }, 'image.tag']])('requestedTag %j', (sv, path) => {
    expect(requestedTag(sv)?.path ?? null).toBe(path);
  });

  it('is inconclusive when images agree and no tag was reported', () => {
    expect(judge([{ kind: 'Deployment', name: 'db', manifest: ['postgres:16'], live: ['postgres:16'] }]).status).toBe('inconclusive');
  });
});
