// Shared state of one CLI run: the IO edges and the exit code commands report through.
import { processIO, type CliIO } from './io.js';

export interface CliContext {
  io: CliIO;
  /** 0 = diagnosis or abstention, 2 = usage error. Commands set it; main() returns it. */
  exitCode: number;
}

export function createContext(io: CliIO = processIO()): CliContext {
  return { io, exitCode: 0 };
}
