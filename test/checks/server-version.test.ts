import { describe, expect, it } from 'vitest';
import { serverVersion } from '../../src/checks/server-version.js';

describe('server-version judge', () => {
  it.each([
    ['v1.21.5', 'confirmed'],
    ['v1.21.14-eks-18ef993', 'confirmed'],
    ['v1.22.0', 'refuted'],
    ['v1.30.4', 'refuted'],
    ['v1.19.16', 'inconclusive'],
    ['garbage', 'inconclusive'],
  ])('%s → %s', (gitVersion, status) => {
    const f = serverVersion.judge({ gitVersion }, {}, new Date());
    expect(f.status).toBe(status);
    expect(f.learned?.['serverVersion']).toBe(gitVersion);
  });
});
