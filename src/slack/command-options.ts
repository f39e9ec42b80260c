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
