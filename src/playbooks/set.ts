// A set of validated playbooks with their signals compiled: what the matcher runs on. Pure (no files, no
// YAML, no zod), so a set can be rebuilt from the build-time snapshot without loading the parsers.
import { compilePlaybook, type CompiledPlaybook, type SignalLiterals } from './compile.js';
import type { Playbook } from './schema.js';
import { PlaybookError } from '../errors.js';

export interface PlaybookSet {
  readonly playbooks: readonly Playbook[];
  get(id: string): Playbook | undefined;
  /** Same order as `playbooks`, signals compiled and vetted. */
  readonly compiled: readonly CompiledPlaybook[];
  /** Where they came from (directory), for messages. */
  readonly source: string;
}

export interface PlaybookSetOptions {
  /** Per playbook (same order), what an earlier compile derived for its signals (the build-time snapshot). */
  literals?: readonly SignalLiterals[];
}

/** Builds a set from validated playbooks; rejects duplicate ids. */
export function createPlaybookSet(playbooks: readonly Playbook[], source = '(memory)', options: PlaybookSetOptions = {}): PlaybookSet {
  const byId = new Map<string, Playbook>();
  for (const p of playbooks) {
    if (byId.has(p.id)) throw new PlaybookError(source, `duplicate playbook id "${p.id}": ids must be unique`);
    byId.set(p.id, p);
  }
  const list = Object.freeze([...playbooks]);
  const compiled = Object.freeze(list.map((p, i) => compilePlaybook(p, options.literals?.[i])));
  return { playbooks: list, compiled, source, get: (id) => byId.get(id) };
}

