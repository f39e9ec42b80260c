// Runs every bench/*.ts module (except this one) that exports run(), or the ones named: npm run bench -- triage slack
// Several benches run each in a fresh process of their own: a throughput figure measured in a heap and JIT
// state left by the benches before it read 40 % lower (2 KiB triage: 12.7k vs 21k per CPU-second).
import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const self = fileURLToPath(import.meta.url);

async function runHere(name: string): Promise<boolean> {
  const mod: unknown = await import(pathToFileURL(join(here, `${name}.ts`)).href);
  const runFn = typeof mod === 'object' && mod !== null && 'run' in mod ? (mod as { run: unknown }).run : undefined;
  if (typeof runFn !== 'function') {
    console.log(`bench ${name}: no run() export (skipped)`);
    return true;
  }
  console.log(`--- bench ${name}`);
  const t0 = Date.now();
  try {
    await (runFn as () => Promise<void>)();
    console.log(`--- bench ${name}: done in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    return true;
  } catch (err) {
    console.log(`--- bench ${name}: FAILED: ${err instanceof Error ? err.message : String(err)}`);
    return false;
  }
}

function runInChild(name: string): Promise<boolean> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [...process.execArgv, self, name], { stdio: 'inherit' });
    child.on('exit', (code) => resolve(code === 0));
    child.on('error', () => resolve(false));
  });
}

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
    const ok = names.length === 1 ? await runHere(name) : await runInChild(name);
    if (!ok) failed++;
  }
  if (failed > 0) process.exitCode = 1;
}

await main();
