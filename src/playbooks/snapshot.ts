// The bundled playbooks, compiled once at build time (`npm run build` writes dist/playbooks.snapshot.json):
// the YAML parsed and validated by the same zod schema as at run time, stored as plain JSON data. Opening the
// bundled folder then costs one JSON.parse and re-creating the regexes from their sources (RegExp objects are
// never serialized); yaml, zod and safe-regex2 are not loaded at all.
//
// The snapshot is used only for the folder it was built from, and only while every playbook file there has the
// size and modification time recorded in it (a file added, removed or edited after the build makes it stale).
// Any other folder (--playbooks DIR, PLAYBOOKS_DIR) is loaded from its YAML as before, with the same errors
// naming file and field, so an operator's folder works without a build step.
//
// Whatever the compile step derives from the playbooks as plain data belongs in the snapshot too (see
// snapshotOf / setFromSnapshot): the snapshot is the output of createPlaybookSet minus what is rebuilt cheaply.
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { signalConjuncts, signalLiterals, type SignalConjuncts, type SignalLiterals } from './compile.js';
import type { Lookalike, Playbook } from './schema.js';
import { createPlaybookSet, type PlaybookSet } from './set.js';
import type { TriageModel } from '../triage/model.js';

export const SNAPSHOT_VERSION = 5;

export interface SnapshotFile {
  /** Relative to the playbook folder. */
  name: string;
  size: number;
  mtimeMs: number;
}

export interface PlaybookSnapshot {
  v: typeof SNAPSHOT_VERSION;
  /** The files the set was built from; the snapshot is stale as soon as this list no longer describes the folder. */
  files: SnapshotFile[];
  /** Validated playbooks (the zod output, defaults filled in). */
  playbooks: Playbook[];
  /** Per playbook, its signals' required literals (the matcher's prefilter), so they are not derived again. */
  literals: SignalLiterals[];
  /** Per playbook, its signals' conjunct literal sets (the matcher's second prefilter). */
  conjuncts: SignalConjuncts[];
  /** Validated lookalikes (playbooks/lookalikes/*.yaml). */
  lookalikes: Lookalike[];
  /** Per lookalike, its signals' literals and conjuncts, as for playbooks. */
  lookalikeLiterals: SignalLiterals[];
  lookalikeConjuncts: SignalConjuncts[];
  /** The statistical model trained from the examples (buildTriageModel), so it is not trained at start-up. */
  model: TriageModel;
}

const here = dirname(fileURLToPath(import.meta.url));

/** dist/playbooks/snapshot.js → dist/playbooks.snapshot.json (under src/ when run from sources: never written there). */
export function defaultSnapshotPath(): string {
  return resolve(here, '..', 'playbooks.snapshot.json');
}

/** The playbooks/ folder shipped with the package, two levels above this module. */
export function bundledPlaybooksDir(): string {
  return resolve(here, '..', '..', 'playbooks');
}

const YAML_FILE = /\.ya?ml$/;

/** The YAML files a load of `root` reads (sorted), with size and mtime; subfolders one level down included. */
export function playbookFiles(root: string): SnapshotFile[] {
  const out: SnapshotFile[] = [];
  const visit = (dir: string, prefix: string, depth: number): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const name = prefix + entry.name;
      if (entry.isDirectory() && depth === 0) visit(join(dir, entry.name), `${name}/`, 1);
      else if (entry.isFile() && YAML_FILE.test(entry.name)) {
        const info = statSync(join(dir, entry.name));
        out.push({ name, size: info.size, mtimeMs: info.mtimeMs });
      }
    }
  };
  visit(root, '', 0);
  return out.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

export function snapshotOf(set: PlaybookSet, files: SnapshotFile[]): PlaybookSnapshot {
  return {
    v: SNAPSHOT_VERSION,
    files,
    playbooks: [...set.playbooks],
    literals: set.compiled.map(signalLiterals),
    conjuncts: set.compiled.map(signalConjuncts),
    lookalikes: set.lookalikes.map((l) => l.lookalike),
    lookalikeLiterals: set.lookalikes.map(signalLiterals),
    lookalikeConjuncts: set.lookalikes.map(signalConjuncts),
    model: set.model,
  };
}

/** The set the snapshot was taken of; regexes are re-created from their sources (they were vetted at build). */
export function setFromSnapshot(snapshot: PlaybookSnapshot, source: string): PlaybookSet {
  return createPlaybookSet(snapshot.playbooks, source, {
    literals: snapshot.literals,
    conjuncts: snapshot.conjuncts,
    lookalikes: snapshot.lookalikes,
    lookalikeLiterals: snapshot.lookalikeLiterals,
    lookalikeConjuncts: snapshot.lookalikeConjuncts,
    model: snapshot.model,
  });
}

function sameFiles(a: readonly SnapshotFile[], b: readonly SnapshotFile[]): boolean {
  if (a.length !== b.length) return false;
  return a.every((f, i) => {
    const g = b[i];
    return g !== undefined && f.name === g.name && f.size === g.size && f.mtimeMs === g.mtimeMs;
  });
}

/** The snapshot at `path` when it still describes `dir`; undefined when missing, unreadable, of another version or stale. */
export function readFreshSnapshot(path: string, dir: string): PlaybookSnapshot | undefined {
  let snapshot: PlaybookSnapshot;
  try {
    snapshot = JSON.parse(readFileSync(path, 'utf8')) as PlaybookSnapshot;
    if (snapshot.v !== SNAPSHOT_VERSION || !Array.isArray(snapshot.files) || !Array.isArray(snapshot.playbooks) || !Array.isArray(snapshot.literals) || !Array.isArray(snapshot.conjuncts) || !Array.isArray(snapshot.lookalikes) || !Array.isArray(snapshot.lookalikeLiterals) || !Array.isArray(snapshot.lookalikeConjuncts) || typeof snapshot.model !== 'object' || snapshot.model === null) {
      return undefined;
    }
    return sameFiles(snapshot.files, playbookFiles(dir)) ? snapshot : undefined;
  } catch {
    return undefined;
  }
}

export interface OpenPlaybooksOptions {
  /** The folder asked for (--playbooks, PLAYBOOKS_DIR); the bundled one when undefined. */
  dir?: string;
  /** Tests point these elsewhere. */
  snapshotPath?: string;
  bundledDir?: string;
}

/**
 * The playbook set for a command: from the build-time snapshot when `dir` is the bundled folder and the snapshot
 * is fresh, else parsed and validated from the YAML (yaml and zod are loaded only then).
 */
export async function openPlaybooks(options: OpenPlaybooksOptions = {}): Promise<PlaybookSet> {
  const bundled = options.bundledDir ?? bundledPlaybooksDir();
  const dir = options.dir === undefined ? bundled : resolve(options.dir);
  if (dir === bundled) {
    const snapshot = readFreshSnapshot(options.snapshotPath ?? defaultSnapshotPath(), dir);
    if (snapshot !== undefined) return setFromSnapshot(snapshot, dir);
  }
  const { loadPlaybooks } = await import('./load.js');
  return loadPlaybooks(dir);
}

/** Validates the folder's playbooks (throws PlaybookError like any load) and writes their snapshot. */
export async function writeSnapshot(dir = bundledPlaybooksDir(), path = defaultSnapshotPath()): Promise<PlaybookSnapshot> {
  const files = playbookFiles(dir);
  const { loadPlaybooks } = await import('./load.js');
  const snapshot = snapshotOf(loadPlaybooks(dir), files);
  // Stat again after loading: a file edited during the build must not be recorded as compiled.
  if (!sameFiles(files, playbookFiles(dir))) throw new Error(`playbooks in ${dir} changed while the snapshot was built; run the build again`);
  writeFileSync(path, `${JSON.stringify(snapshot)}\n`);
  return snapshot;
}
