// Headless Chromium for page tests, driven by playwright-core (which never downloads a browser).
// Uses the system chromium (Debian package) found by test/support/prereqs.ts, which the test command
// installs as root; elsewhere the suites say needs('chromium') and skip with the command to install it.
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { locate } from './prereqs.js';

export const CHROMIUM_ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];

export function chromiumPath(): string {
  const found = locate('chromium');
  if (found === undefined) {
    throw new Error('Chromium not found on PATH. Install it with: apt-get install -y chromium (or set CHROMIUM_PATH).');
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
