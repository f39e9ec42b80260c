// Scale benches measure a scan in a fresh plain-JavaScript child process, so its memory is counted
// alone (the in-memory API server and tsx stay in the bench process). This module transpiles the
// sources the child needs (into node_modules/.cache so packages resolve from the project), forks it,
// and awaits the one result it reports over IPC.
import { fork } from 'node:child_process';
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Every .ts file under `dir` (repo-relative), so a module a scan newly imports is never left out. */
export function listTs(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? listTs(join(dir, e.name)) : e.name.endsWith('.ts') && !e.name.endsWith('.d.ts') ? [join(dir, e.name)] : []);
}

/** Transpiles `files` (repo-relative .ts) into node_modules/.cache/<cacheName>; returns the JS path of `entry`. */
export function transpileForChild(cacheName: string, files: readonly string[], entry: string): string {
  const outDir = join(ROOT, 'node_modules', '.cache', cacheName);
  for (const file of [...files, 'test/support/measure-scan.ts', entry]) {
    const out = ts.transpileModule(readFileSync(join(ROOT, file), 'utf8'), {
      compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext, verbatimModuleSyntax: false },
      fileName: file,
    });
    const target = join(outDir, file.replace(/\.ts$/, '.js'));
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, out.outputText);
  }
  writeFileSync(join(outDir, 'package.json'), '{"type":"module"}\n');
  return join(outDir, entry.replace(/\.ts$/, '.js'));
}

/** Forks `entry` with `payload` in env `envName`; resolves with its report and the CPU the parent spent meanwhile. */
export async function runChild<T>(entry: string, envName: string, payload: unknown): Promise<{ result: T; parentCpuMs: number }> {
  const child = fork(entry, [], {
    execArgv: [],
    env: { ...process.env, [envName]: JSON.stringify(payload) },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const cpu0 = process.cpuUsage();
  const result = await new Promise<T>((resolve, reject) => {
    child.once('message', (m) => resolve(m as T));
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`scan process exited with ${code} before reporting`)));
  });
  const cpu = process.cpuUsage(cpu0);
  return { result, parentCpuMs: (cpu.user + cpu.system) / 1000 };
}
