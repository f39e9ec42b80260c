// Runs every bench/*.ts module (except this one) that exports run(), or the ones named: npm run bench -- triage slack
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));

async function main(): Promise<void> {
  const wanted = process.argv.slice(2).filter((a) => a !== '--').map((a) => a.replace(/\.ts$/, ''));
  const all = readdirSync(here).filter((f) => f.endsWith('.ts') && f !== 'run.ts' && !f.endsWith('.d.ts')).map((f) => f.slice(0, -3)).sort();
  const names = wanted.length > 0 ? wanted : all;
  let failed = 0;
  for (const name of names) {
    if (!all.includes(name)) {
      console.log(`bench ${name}: missing (skipped)`);
      continue;
    }
    const mod: unknown = await import(pathToFileURL(join(here, `${name}.ts`)).href);
    const runFn = typeof mod === 'object' && mod !== null && 'run' in mod ? (mod as { run: unknown }).run : undefined;
    if (typeof runFn !== 'function') {
      console.log(`bench ${name}: no run() export (skipped)`);
      continue;
    }
    console.log(`--- bench ${name}`);
    const t0 = Date.now();
    try {
      await (runFn as () => Promise<void>)();
      console.log(`--- bench ${name}: done in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    } catch (err) {
      failed++;
      console.log(`--- bench ${name}: FAILED: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  if (failed > 0) process.exitCode = 1;
}

await main();
