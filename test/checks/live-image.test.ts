import { describe, expect, it } from 'vitest';
import { liveImage, type WorkloadImages } from '../../src/checks/live-image.js';

const judge = (workloads: WorkloadImages[], image?: string) =>
  liveImage.judge({ release: 'db', revision: 7, workloads }, image ? { image } : {}, new Date());

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

  it('is inconclusive when images agree and no tag was reported', () => {
    expect(judge([{ kind: 'Deployment', name: 'db', manifest: ['postgres:16'], live: ['postgres:16'] }]).status).toBe('inconclusive');
  });
});
