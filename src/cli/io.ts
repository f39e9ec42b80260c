// The CLI's edges, behind a small interface so commands can be run in-process by tests.
// node:fs, not node:fs/promises: one input file is read whole anyway, and fs/promises (with the streams and
// readline it loads) would cost every CLI start ~1 ms.
import { readFileSync, statSync } from 'node:fs';
import { ErrorCode, HelmTriageError } from '../errors.js';

export interface CliIO {
  stdout(text: string): void;
  stderr(text: string): void;
  readStdin(): Promise<string>;
  readFile(path: string): Promise<string>;
  /** Colour and layout for humans only when stdout is a terminal. */
  isTTY: boolean;
  env: NodeJS.ProcessEnv;
}

/** Colour only for a terminal, and never when NO_COLOR is set (https://no-color.org). */
export function wantsColor(io: Pick<CliIO, 'isTTY' | 'env'>): boolean {
  return io.isTTY && io.env.NO_COLOR === undefined;
}

/** Files above this are refused: pass the tail instead (Helm prints the error last). */
export const MAX_READ_BYTES = 64 * 1024 * 1024;

export function processIO(): CliIO {
  return {
    stdout: (t) => { process.stdout.write(t); },
    stderr: (t) => { process.stderr.write(t); },
    readStdin: () => readStream(process.stdin),
    readFile: readInputFile,
    isTTY: process.stdout.isTTY === true,
    env: process.env,
  };
}

async function readInputFile(path: string): Promise<string> {
  try {
    const info = statSync(path);
    if (info.isDirectory()) throw new Error('is a directory');
    if (info.size > MAX_READ_BYTES) {
      throw new Error(`is ${Math.round(info.size / 1048576)} MiB; pass its tail instead: tail -c 5M ${path} | helm-triage diagnose -`);
    }
    return readFileSync(path).toString('utf8');
  } catch (err) {
    const reason = err instanceof Error ? err.message.replace(/^[A-Z]+: /, '') : String(err);
    throw new HelmTriageError(ErrorCode.InputUnreadable, `cannot read ${path}: ${reason}`, { cause: err });
  }
}

async function readStream(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    const buf = typeof chunk === 'string' ? Buffer.from(chunk) : Buffer.from(chunk as Uint8Array);
    size += buf.length;
    chunks.push(buf);
    // Keep only what the pipeline would keep anyway (the tail), so a runaway pipe cannot exhaust memory.
    while (size > MAX_READ_BYTES && chunks.length > 1) size -= chunks.shift()?.length ?? 0;
  }
  return Buffer.concat(chunks).toString('utf8');
}
