// Commander entry. Each command registers itself from its own file with registerX(program, ctx);
// main() returns the exit code: 0 diagnosis or abstention, 2 usage error, 1 anything else.
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Command, CommanderError } from 'commander';
import { ErrorCode, isHelmTriageError } from '../errors.js';
import { createContext, type CliContext } from './context.js';
import { registerDiagnose } from './diagnose.js';
import { checkExtension } from './diagnose-check.js';
import type { CliIO } from './io.js';
import { registerPlaybooks } from './playbooks.js';
import { registerAgent } from './agent.js';
import { registerServe } from './serve-command.js';
import { registerRollbackPlan } from './rollback-plan.js';

export const USAGE_EXIT = 2;

/** The program with every command registered. Settings first: subcommands inherit them when created. */
export function createProgram(ctx: CliContext): Command {
  const program = new Command('helm-triage')
    .description('Diagnose failed Helm commands: redact, match playbooks, suggest read-only checks and fixes')
    .version('0.1.0')
    .exitOverride()
    .showHelpAfterError('(run helm-triage --help for usage)')
    .configureOutput({ writeOut: (s) => ctx.io.stdout(s), writeErr: (s) => ctx.io.stderr(s) });
  registerDiagnose(program, ctx, [checkExtension()]);
  registerPlaybooks(program, ctx);
  registerServe(program, ctx);
  registerAgent(program, ctx);
  registerRollbackPlan(program, ctx);
  return program;
}

export async function main(argv: string[], io?: CliIO): Promise<number> {
  const ctx = createContext(io);
  const program = createProgram(ctx);
  try {
    await program.parseAsync(argv);
    return ctx.exitCode;
  } catch (err) {
    if (err instanceof CommanderError) {
      // Help and --version exit 0; everything commander rejects is a usage error (it already printed why).
      return err.exitCode === 0 ? 0 : USAGE_EXIT;
    }
    if (isHelmTriageError(err)) {
      ctx.io.stderr(`helm-triage: ${err.message}\n`);
      const usage = err.code === ErrorCode.Usage || err.code === ErrorCode.PlaybookNotFound || err.code === ErrorCode.InputUnreadable;
      return usage ? USAGE_EXIT : 1;
    }
    ctx.io.stderr(`helm-triage: unexpected error: ${err instanceof Error ? err.message : String(err)}\n`);
    return 1;
  }
}

function invokedDirectly(): boolean {
  const entry = process.argv[1];
  if (entry === undefined) return false;
  try {
    return realpathSync(entry) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

// `tsx src/cli/main.ts …` (npm run dev) runs the CLI; bin/helm-triage.js imports main() instead.
if (invokedDirectly()) {
  main(process.argv).then(
    (code) => { process.exitCode = code; },
    (err: unknown) => { console.error(err instanceof Error ? err.message : String(err)); process.exitCode = 1; },
  );
}
