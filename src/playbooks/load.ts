// Load playbooks/*.yaml: parse, validate (zod), vet and compile every signal once. A broken file throws
// PlaybookError naming the file and the field path, so the author knows exactly what to fix.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml, YAMLParseError } from 'yaml';
import { ErrorCode, HelmTriageError, PlaybookError } from '../errors.js';
import { vetFactPattern, vetPattern } from './compile.js';
import { lookalikeSchema, playbookSchema, type Lookalike, type Playbook } from './schema.js';
import { createPlaybookSet, type PlaybookSet } from './set.js';

export { createPlaybookSet, type CompiledLookalike, type PlaybookSet, type PlaybookSetOptions } from './set.js';

/** The repo's playbooks/ directory: src/playbooks/load.ts and dist/playbooks/load.js are both two levels below the root. */
export function defaultPlaybooksDir(): string {
  const fromEnv = process.env.PLAYBOOKS_DIR;
  if (fromEnv !== undefined && fromEnv !== '') return resolve(fromEnv);
  return resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', 'playbooks');
}

function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const part of path) out += typeof part === 'number' ? `[${part}]` : `${out === '' ? '' : '.'}${String(part)}`;
  return out === '' ? '(top level)' : out;
}

/** Parses and validates one playbook file's text. `file` is only used in messages. */
export function parsePlaybook(text: string, file: string): Playbook {
  let raw: unknown;
  try {
    raw = parseYaml(text, { prettyErrors: true, uniqueKeys: true });
  } catch (err) {
    const where = err instanceof YAMLParseError && err.linePos?.[0] ? ` at line ${err.linePos[0].line}` : '';
    throw new PlaybookError(file, `YAML does not parse${where}: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}`);
  }
  const parsed = playbookSchema.safeParse(raw);
  if (!parsed.success) {
    const issues = parsed.error.issues.slice(0, 5).map((i) => `${formatPath(i.path)}: ${i.message}`);
    throw new PlaybookError(file, `invalid playbook (fix these fields):\n  ${issues.join('\n  ')}`);
  }
  const playbook = parsed.data;
  const expectedId = basename(file).replace(/\.ya?ml$/, '');
  if (file.endsWith('.yaml') || file.endsWith('.yml')) {
    if (playbook.id !== expectedId) throw new PlaybookError(file, `id: "${playbook.id}" must equal the file name "${expectedId}"`);
  }
  playbook.signals.forEach((signal, i) => {
    const problem = vetPattern(signal.pattern);
    if (problem !== undefined) throw new PlaybookError(file, `signals[${i}].pattern: ${problem}`);
  });
  playbook.factPatterns.forEach((p, i) => {
    const problem = vetFactPattern(p.pattern);
    if (problem !== undefined) throw new PlaybookError(file, `factPatterns[${i}].pattern: ${problem}`);
  });
  if (!playbook.signals.some((s) => s.weight > 0)) throw new PlaybookError(file, 'signals: at least one signal needs a positive weight');
  return playbook;
}

/** Parses and validates one lookalike file's text. `file` is only used in messages. */
export function parseLookalike(text: string, file: string): Lookalike {
  let raw: unknown;
  try {
    raw = parseYaml(text, { prettyErrors: true, uniqueKeys: true });
  } catch (err) {
    throw new PlaybookError(file, `YAML does not parse: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}`);
  }
  const parsed = lookalikeSchema.safeParse(raw);
  if (!parsed.success) {
    const issues = parsed.error.issues.slice(0, 5).map((i) => `${formatPath(i.path)}: ${i.message}`);
    throw new PlaybookError(file, `invalid lookalike (fix these fields):\n  ${issues.join('\n  ')}`);
  }
  const lookalike = parsed.data;
  const expectedId = basename(file).replace(/\.ya?ml$/, '');
  if ((file.endsWith('.yaml') || file.endsWith('.yml')) && lookalike.id !== expectedId) {
    throw new PlaybookError(file, `id: "${lookalike.id}" must equal the file name "${expectedId}"`);
  }
  lookalike.signals.forEach((signal, i) => {
    const problem = vetPattern(signal.pattern);
    if (problem !== undefined) throw new PlaybookError(file, `signals[${i}].pattern: ${problem}`);
    if (signal.weight <= 0) throw new PlaybookError(file, `signals[${i}].weight: a lookalike signal needs a positive weight`);
  });
  return lookalike;
}

/** The lookalikes in DIR/lookalikes/*.yaml (none when the folder does not exist). */
export function loadLookalikes(root: string): Lookalike[] {
  const dir = join(root, 'lookalikes');
  let names: string[];
  try {
    if (!statSync(dir).isDirectory()) return [];
    names = readdirSync(dir).filter((n) => /\.ya?ml$/.test(n)).sort();
  } catch {
    return [];
  }
  const seen = new Set<string>();
  return names.map((name) => {
    const file = join(dir, name);
    const l = parseLookalike(readFileSync(file, 'utf8'), file);
    if (seen.has(l.id)) throw new PlaybookError(file, `duplicate lookalike id "${l.id}"`);
    seen.add(l.id);
    return l;
  });
}

export function loadPlaybooks(dir?: string): PlaybookSet {
  const root = dir ?? defaultPlaybooksDir();
  let names: string[];
  try {
    if (!statSync(root).isDirectory()) throw new Error('not a directory');
    names = readdirSync(root).filter((n) => /\.ya?ml$/.test(n)).sort();
  } catch (err) {
    throw new HelmTriageError(
      ErrorCode.PlaybookNotFound,
      `cannot read playbooks from ${root}: ${err instanceof Error ? err.message : String(err)} (set PLAYBOOKS_DIR to the folder holding the *.yaml playbooks)`,
      { cause: err },
    );
  }
  const playbooks: Playbook[] = [];
  const seen = new Map<string, string>();
  for (const name of names) {
    const file = join(root, name);
    const playbook = parsePlaybook(readFileSync(file, 'utf8'), file);
    const other = seen.get(playbook.id);
    if (other !== undefined) throw new PlaybookError(file, `duplicate playbook id "${playbook.id}" (also in ${other})`);
    seen.set(playbook.id, file);
    playbooks.push(playbook);
  }
  return createPlaybookSet(playbooks, root, { lookalikes: loadLookalikes(root) });
}
