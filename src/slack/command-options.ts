// Parse `/helm-triage` text: `help`, `--private`, `--cluster X`, `--namespace X`, `--release X`, then the paste.
// Pure. Flags are read only from the start of the text, so a pasted `--namespace` inside helm output is left alone.

export interface CommandOptions {
  help: boolean;
  private: boolean;
  cluster?: string;
  namespace?: string;
  release?: string;
  /** Everything after the leading flags: the pasted output. */
  text: string;
}

const VALUE_FLAGS = { '--cluster': 'cluster', '--namespace': 'namespace', '-n': 'namespace', '--release': 'release' } as const;
type ValueFlag = keyof typeof VALUE_FLAGS;

const NAME = /^[a-z0-9]([a-z0-9._-]{0,251}[a-z0-9])?$/i;

function isValueFlag(token: string): token is ValueFlag {
  return Object.hasOwn(VALUE_FLAGS, token);
}

export function parseCommandText(raw: string): CommandOptions {
  const options: CommandOptions = { help: false, private: false, text: '' };
  let rest = raw.replace(/^\s+/, '');
  if (/^(help|--help|-h)\s*$/i.test(rest)) return { ...options, help: true };
  for (;;) {
    const m = /^(\S+)(?:\s+|$)/.exec(rest);
    if (!m || m[1] === undefined) break;
    const token = m[1];
    const eq = token.indexOf('=');
    const name = eq > 0 ? token.slice(0, eq) : token;
    if (name === '--private' && eq < 0) {
      options.private = true;
      rest = rest.slice(m[0].length);
      continue;
    }
    if (!isValueFlag(name)) break;
    let value: string | undefined;
    let consumed = m[0].length;
    if (eq > 0) value = token.slice(eq + 1);
    else {
      const v = /^(\S+)(?:\s+|$)/.exec(rest.slice(consumed));
      if (v?.[1] !== undefined) {
        value = v[1];
        consumed += v[0].length;
      }
    }
    if (value === undefined || !NAME.test(value)) break;
    options[VALUE_FLAGS[name]] = value;
    rest = rest.slice(consumed);
  }
  options.text = rest.replace(/^\s*\n/, '').trimEnd();
  return options;
}

/** `/helm-triage rollback-plan RELEASE [REVISION] [-n NS] [--force] [--cluster X] [--private]`, parsed. */
export interface RollbackPlanOptions {
  release: string;
  revision?: number;
  /** Helm's default when -n is not given. */
  namespace: string;
  cluster?: string;
  private: boolean;
  /** The user means `helm rollback --force`; the plan says where that is unsafe. */
  force: boolean;
}

export type RollbackPlanParse =
  | { kind: 'not-rollback-plan' }
  | { kind: 'ok'; options: RollbackPlanOptions }
  | { kind: 'usage'; message: string };

const ROLLBACK_PLAN_USAGE = 'Usage: `/helm-triage rollback-plan RELEASE [REVISION] -n NAMESPACE [--force] [--cluster NAME] [--private]`, e.g. `/helm-triage rollback-plan web 3 -n prod`.';

const SUBCOMMAND = 'rollback-plan';
const RELEASE_NAME = /^[a-z0-9]([a-z0-9.-]{0,51}[a-z0-9])?$/;

/** Where `rollback-plan` stands when it is the first word after leading flags; -1 otherwise (a paste that mentions it). */
function subcommandAt(tokens: readonly string[]): number {
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i] ?? '';
    if (token === SUBCOMMAND) return i;
    if (token === '--private' || (token.includes('=') && isValueFlag(token.slice(0, token.indexOf('='))))) continue;
    if (isValueFlag(token)) {
      i++;
      continue;
    }
    return -1;
  }
  return -1;
}

/**
 * Pure. Flags may come before or after the subcommand and its arguments; anything unexpected is a
 * usage error that says what was wrong, rather than a guess.
 */
export function parseRollbackPlanCommand(raw: string): RollbackPlanParse {
  const tokens = raw.trim().split(/\s+/).filter(Boolean);
  const at = subcommandAt(tokens);
  if (at < 0) return { kind: 'not-rollback-plan' };
  const flags: { namespace?: string; cluster?: string; private: boolean; force: boolean } = { private: false, force: false };
  const positional: string[] = [];
  for (let i = 0; i < tokens.length; i++) {
    if (i === at) continue;
    const token = tokens[i] ?? '';
    const eq = token.indexOf('=');
    const name = eq > 0 ? token.slice(0, eq) : token;
    if ((name === '--private' || name === '--force') && eq < 0) {
      flags[name === '--private' ? 'private' : 'force'] = true;
      continue;
    }
    if (name === '--namespace' || name === '-n' || name === '--cluster') {
      const value = eq > 0 ? token.slice(eq + 1) : tokens[++i];
      if (value === undefined || !NAME.test(value)) return { kind: 'usage', message: `\`${name}\` needs a name after it. ${ROLLBACK_PLAN_USAGE}` };
      if (name === '--cluster') flags.cluster = value;
      else flags.namespace = value;
      continue;
    }
    if (token.startsWith('-')) return { kind: 'usage', message: `I don't know the option \`${token.slice(0, 40)}\`. ${ROLLBACK_PLAN_USAGE}` };
    positional.push(token);
  }
  const [release, revision, ...extra] = positional;
  if (release === undefined) return { kind: 'usage', message: `Which release? ${ROLLBACK_PLAN_USAGE}` };
  if (!RELEASE_NAME.test(release)) return { kind: 'usage', message: `\`${release.slice(0, 60)}\` is not a Helm release name (lowercase letters, digits, - and ., at most 53). ${ROLLBACK_PLAN_USAGE}` };
  if (revision !== undefined && !/^[1-9]\d{0,8}$/.test(revision)) return { kind: 'usage', message: `The revision must be a number like 3 (got \`${revision.slice(0, 20)}\`). ${ROLLBACK_PLAN_USAGE}` };
  if (extra.length > 0) return { kind: 'usage', message: `Too many arguments (\`${extra.join(' ').slice(0, 60)}\`). ${ROLLBACK_PLAN_USAGE}` };
  return {
    kind: 'ok',
    options: {
      release,
      ...(revision !== undefined ? { revision: Number(revision) } : {}),
      namespace: flags.namespace ?? 'default',
      ...(flags.cluster !== undefined ? { cluster: flags.cluster } : {}),
      private: flags.private,
      force: flags.force,
    },
  };
}
