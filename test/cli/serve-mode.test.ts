import { describe, expect, it } from 'vitest';
import { embeddedModeLine } from '../../src/cli/serve.js';

describe('serve start-up mode line', () => {
  it('names the cluster the embedded mode checks', () => {
    expect(embeddedModeLine('prod-eu', true)).toContain('checks run in this process against cluster "prod-eu"');
  });

  it('does not promise cluster checks without cluster access', () => {
    const line = embeddedModeLine('prod-eu', false);
    expect(line).not.toContain('checks run in this process');
    expect(line).toContain('no cluster access, so answers are the text diagnosis only');
    expect(line).toContain('run ONE replica only');
  });
});
