// The CLI in process: main() with an in-memory IO. Quicker than a child process, for output details,
// exit codes and errors; no colour, no home directory, only the environment given. runAsProcess runs
// it as a real process (tsx, the source tree) for what only a process shows, with the same environment.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import type { CliIO } from '../../src/cli/io.js';
import { main } from '../../src/cli/main.js';

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
  /** Wall time of the command. */
  ms: number;
}

export async function runInProcess(args: readonly string[], stdin: string, env: NodeJS.ProcessEnv = {}): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const io: CliIO = {
    stdout: (t) => { stdout += t; },
    stderr: (t) => { stderr += t; },
    readStdin: async () => stdin,
    readFile: async () => { throw new Error('no files in this test'); },
    isTTY: false,
    env: { NO_COLOR: '1', HOME: '/nonexistent', ...env },
  };
  const started = Date.now();
  const code = await main(['node', 'helm-triage', ...args], io);
  return { code, stdout, stderr, ms: Date.now() - started };
}

export interface ProcessRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

const ROOT = join(import.meta.dirname, '..', '..');

export function runAsProcess(args: readonly string[], stdin = '', env: NodeJS.ProcessEnv = {}): Promise<ProcessRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'src', 'cli', 'main.ts'), ...args], {
      cwd: ROOT,
      env: { PATH: process.env.PATH, HOME: '/nonexistent', NO_COLOR: '1', ...env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => { stdout += d.toString(); });
    child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(stdin);
  });
}
