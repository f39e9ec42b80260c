// The CLI in process: main() with an in-memory IO. Quicker than a child process, for output details,
// exit codes and errors; no colour, no home directory, only the environment given.
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
