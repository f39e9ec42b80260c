#!/usr/bin/env node
// Thin launcher: the CLI bundled by `npm run build` (scripts/bundle-cli.ts; `npm ci` builds it through the
// prepare script). One bundle instead of ~30 compiled modules keeps start-up near bare Node's. A dist/ built by
// tsc alone (no bundle) still runs, from dist/cli/main.js.
import { fileURLToPath } from 'node:url';

const bundle = new URL('../dist/cli-bundle/main.js', import.meta.url);
const { main } = await import(bundle.href).catch((err) => {
  if (err?.code === 'ERR_MODULE_NOT_FOUND' && String(err.message).includes(fileURLToPath(bundle))) return import('../dist/cli/main.js');
  throw err;
});

main(process.argv).then(
  (code) => { process.exitCode = code; },
  (err) => { console.error(err instanceof Error ? err.message : String(err)); process.exitCode = 1; },
);
