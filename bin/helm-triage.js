#!/usr/bin/env node
// Thin launcher: the CLI bundled by `npm run build` (scripts/bundle-cli.ts; `npm ci` builds it through the
// prepare script). One bundle instead of ~30 compiled modules keeps start-up near bare Node's.
import { main } from '../dist/cli-bundle/main.js';

main(process.argv).then(
  (code) => { process.exitCode = code; },
  (err) => { console.error(err instanceof Error ? err.message : String(err)); process.exitCode = 1; },
);
