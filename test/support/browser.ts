// Headless Chromium for page tests, driven by playwright-core (which never downloads a browser).
// Uses the system chromium (Debian package); CI installs it in .ci/run. A missing binary fails the
// test with the command to fix it, never a silent skip.
import { existsSync, mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { chromium, type Browser } from 'playwright-core';

export const CHROMIUM_ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];

export function chromiumPath(): string {
  const candidates = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'].filter((p): p is string => !!p);
  const found = candidates.find((p) => existsSync(p));
  if (!found) {
    throw new Error(
      `Chromium not found (looked at ${candidates.join(', ')}). Install it with: apt-get update && apt-get install -y chromium ` +
        '(or set CHROMIUM_PATH). The browser tests need it; .ci/run installs it in CI.',
    );
  }
  return found;
}

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: chromiumPath(), args: CHROMIUM_ARGS });
}

/** test-artifacts/ at the repo root (gitignored); screenshots land here. */
export function artifactsDir(): string {
  const dir = resolve(import.meta.dirname, '..', '..', 'test-artifacts');
  mkdirSync(dir, { recursive: true });
  return dir;
}
