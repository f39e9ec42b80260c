import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
    // Finds redis-server and Chromium (installs them as root with apt-get); see test/support/prereqs.ts.
    globalSetup: ['test/support/global-setup.ts'],
    reporters: ['default', './test/support/skip-summary.ts'],
  },
});
