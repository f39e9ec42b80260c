// A set of validated playbooks with their signals compiled: what the matcher runs on. Pure (no files, no
// YAML, no zod), so a set can be rebuilt from the build-time snapshot without loading the parsers.
import { compilePlaybook, compileSignals, type CompiledPlaybook, type CompiledSignal, type SignalConjuncts, type SignalLiterals } from './compile.js';
import { buildTriageModel } from './model.js';
import type { Lookalike, Playbook } from './schema.js';
import type { TriageModel } from '../triage/model.js';
import { PlaybookError } from '../errors.js';

export interface CompiledLookalike {
  lookalike: Lookalike;
  signals: CompiledSignal[];
}

export interface PlaybookSet {
  readonly playbooks: readonly Playbook[];
  get(id: string): Playbook | undefined;
  /** Same order as `playbooks`, signals compiled and vetted. */
  readonly compiled: readonly CompiledPlaybook[];
  /** Where they came from (directory), for messages. */
  readonly source: string;
  /** Texts that are not Helm failures but look like them (playbooks/lookalikes/*.yaml). */
  readonly lookalikes: readonly CompiledLookalike[];
  /** The statistical model trained from the examples: buildTriageModel(playbooks, lookalikes), on first use unless given. */
  readonly model: TriageModel;
}

export interface PlaybookSetOptions {
  /** Per playbook (same order), what an earlier compile derived for its signals (the build-time snapshot). */
  literals?: readonly SignalLiterals[];
  /** Per playbook (same order), its signals' conjunct literal sets from an earlier compile. */
  conjuncts?: readonly SignalConjuncts[];
  lookalikes?: readonly Lookalike[];
  /** Per lookalike (same order), what an earlier compile derived for its signals. */
  lookalikeLiterals?: readonly SignalLiterals[];
  lookalikeConjuncts?: readonly SignalConjuncts[];
  /** A model built earlier from the same playbooks and lookalikes (the build-time snapshot). */
  model?: TriageModel;
}

/** Builds a set from validated playbooks; rejects duplicate ids. */
export function createPlaybookSet(playbooks: readonly Playbook[], source = '(memory)', options: PlaybookSetOptions = {}): PlaybookSet {
  const byId = new Map<string, Playbook>();
  for (const p of playbooks) {
    if (byId.has(p.id)) throw new PlaybookError(source, `duplicate playbook id "${p.id}": ids must be unique`);
    byId.set(p.id, p);
  }
  const looks = options.lookalikes ?? [];
  for (const l of looks) {
    if (byId.has(l.id)) throw new PlaybookError(source, `lookalike id "${l.id}" is also a playbook id: ids must be unique`);
  }
  const list = Object.freeze([...playbooks]);
  const compiled = Object.freeze(list.map((p, i) => compilePlaybook(p, { literals: options.literals?.[i], conjuncts: options.conjuncts?.[i] })));
  const lookalikes = Object.freeze(looks.map((l, i) => ({
    lookalike: l,
    signals: compileSignals(l.signals, { literals: options.lookalikeLiterals?.[i], conjuncts: options.lookalikeConjuncts?.[i] }),
  })));
  let model = options.model;
  return {
    playbooks: list,
    compiled,
    source,
    lookalikes,
    get model(): TriageModel {
      model ??= buildTriageModel(list, looks);
      return model;
    },
    get: (id) => byId.get(id),
  };
}
