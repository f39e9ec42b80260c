// Pure: remove secrets from pasted text before anything else (matcher, logs, Redis, Slack) sees it.
// Every rule is linear: bounded quantifiers, no nested repetition. Exported for kube values and logs.

export interface Redacted {
  text: string;
  count: number;
  /** How many of each kind were replaced. */
  kinds: Record<string, number>;
}

interface Rule {
  kind: string;
  pattern: RegExp;
  /**
   * Every match contains this exact text: when the paste lacks it, the regex is not run at all. Only worth
   * it where the regex is slow: indexOf of a short literal costs ~6 ms on 1 MiB of its first character.
   */
  literal?: string;
  /** Builds the replacement from the match groups; default replaces the whole match. */
  replace?: (mark: string, ...groups: string[]) => string;
  /**
   * The case-sensitive text (a regex source) every match starts with, after a word boundary: one pass looks
   * for every rule's prefix (PREFIXES), and a rule with one runs only when that pass found some.
   */
  prefix?: string;
}

/** A token rule: `\b`, its prefix, then `rest` (case-sensitive, global). */
const token = (kind: string, prefix: string, rest: string): Rule => ({ kind, pattern: new RegExp(`\\b${prefix}${rest}`, 'g'), prefix });

const mark = (kind: string): string => `[REDACTED:${kind}]`;

// Keys whose values are secrets. A key like `secretName` or `tokenRef` names a secret, it is not one.
const SECRET_KEY = /(?:password|passwd|pwd|passphrase|secret|token|api[_-]?key|access[_-]?key|private[_-]?key|credentials?)([A-Za-z0-9_]{0,40})/;
const NOT_SECRET_SUFFIX = /(?:name|names|ref|keyref|namespace|file|path|type|length|ttl|expiry|_?id)$/i;

const RULES: Rule[] = [
  token('slack-token', 'xox[abprse]-', '[A-Za-z0-9-]{6,256}'),
  token('slack-token', 'xapp-', '[A-Za-z0-9-]{6,256}'),
  token('github-token', 'gh[pousr]_', '[A-Za-z0-9]{20,255}'),
  token('github-token', 'github_pat_', '[A-Za-z0-9_]{20,255}'),
  token('gitlab-token', 'glpat-', '[A-Za-z0-9_-]{20,255}'),
  token('aws-access-key', '(?:AKIA|ASIA|AGPA|AIDA|AROA)', '[A-Z0-9]{16}\\b'),
  {
    kind: 'aws-secret',
    pattern: /(aws_secret_access_key|aws_session_token|secretAccessKey)(["']?[ \t]{0,4}[=:][ \t]{0,4}["']?)([A-Za-z0-9/+=]{16,256})/gi,
    replace: (m, key, sep) => `${key}${sep}${m}`,
  },
  token('jwt', 'eyJ', '[A-Za-z0-9_-]{4,4096}\\.eyJ[A-Za-z0-9_-]{4,8192}\\.[A-Za-z0-9_-]{0,4096}'),
  {
    kind: 'authorization',
    pattern: /\b(authorization|proxy-authorization)(["']?[ \t]{0,4}[=:][ \t]{0,4}["']?)((?:bearer|basic|token|digest)[ \t]{1,4})?([^\s"',;]{4,4096})/gi,
    replace: (m, key, sep, scheme) => `${key}${sep}${scheme ?? ''}${m}`,
  },
  {
    kind: 'bearer',
    pattern: /\b(bearer)[ \t]{1,4}([A-Za-z0-9._~+/=-]{8,4096})/gi,
    replace: (m, word) => `${word} ${m}`,
  },
  {
    kind: 'url-credentials',
    pattern: /\b([a-z][a-z0-9+.-]{1,20}:\/\/)([^\s:@/]{1,256}):([^\s@/]{1,256})@/gi,
    literal: '://',
    replace: (m, scheme, user) => `${scheme}${user}:${m}@`,
  },
];

// The token rules' prefixes, case-sensitive as in their patterns: one pass says whether any can match.
// Replacements never make one (a mark starts with "[" and ends with "]"), so one look before them is enough.
const PREFIXES = new RegExp(RULES.flatMap((r) => (r.prefix === undefined ? [] : [r.prefix])).join('|'));

const PAIR = new RegExp(
  `${SECRET_KEY.source}(["']?[ \\t]{0,4}[=:][ \\t]{0,4})(["']?)([^\\s"',;}\\]]{1,4096})`,
  'gi',
);

// An exec loop rather than replace() with a callback: the callback path is several times slower when a
// paste holds tens of thousands of matches.
function applyRule(text: string, rule: Rule, counts: Record<string, number>): string {
  if (rule.literal !== undefined && !text.includes(rule.literal)) return text;
  const m = mark(rule.kind);
  const re = rule.pattern; // global; synchronous use only: lastIndex is reset here
  re.lastIndex = 0;
  let out = '';
  let from = 0;
  let found: RegExpExecArray | null;
  while ((found = re.exec(text)) !== null) {
    const whole = found[0];
    if (whole.includes('[REDACTED:')) continue;
    counts[rule.kind] = (counts[rule.kind] ?? 0) + 1;
    let replacement = m;
    if (rule.replace) {
      const groups: string[] = [];
      for (let i = 1; i < found.length; i++) groups.push(found[i] ?? '');
      replacement = rule.replace(m, ...groups);
    }
    out += text.slice(from, found.index) + replacement;
    from = found.index + whole.length;
  }
  re.lastIndex = 0;
  return from === 0 && out === '' ? text : out + text.slice(from);
}

const NOT_A_VALUE = /^(?:true|false|null|none|""|''|\*+|-)$/i;

// An exec loop, not replace() with a callback: the callback path is ~10× slower on a paste that is
// nothing but key=value pairs.
function redactPairs(text: string, counts: Record<string, number>): string {
  const re = PAIR; // synchronous use only: lastIndex is reset here
  re.lastIndex = 0;
  let out = '';
  let from = 0;
  let m: RegExpExecArray | null;
  while ((m = re.exec(text)) !== null) {
    const suffix = m[1] ?? '';
    const value = m[4] ?? '';
    // The key's ending decides whether it names a secret (secretName) rather than holds one; the keyword
    // plus its suffix is that ending, so the letters before the keyword never matter.
    if (suffix.length > 24 || (suffix !== '' && NOT_SECRET_SUFFIX.test(suffix))) continue;
    if (value.startsWith('[REDACTED') || value.startsWith('<') || value.startsWith('$') || value.startsWith('{{')) continue;
    if (NOT_A_VALUE.test(value)) continue;
    counts.secret = (counts.secret ?? 0) + 1;
    const end = m.index + m[0].length;
    out += text.slice(from, end - value.length) + mark('secret');
    from = end;
  }
  return from === 0 ? text : out + text.slice(from);
}

/** PEM blocks (keys and certificates), found with indexOf; each search moves forward, so it stays linear. */
function redactPem(text: string, counts: Record<string, number>): string {
  const BEGIN = '-----BEGIN ';
  let at = text.indexOf(BEGIN);
  if (at < 0) return text;
  let out = '';
  let from = 0;
  let endSearch = -2; // cached position of the next "-----END " (-1: none left)
  while (at >= 0) {
    const headerEnd = text.indexOf('-----', at + BEGIN.length);
    const label = headerEnd < 0 ? '' : text.slice(at + BEGIN.length, headerEnd);
    if (headerEnd < 0 || !/^[A-Z0-9 ]{3,60}$/.test(label)) {
      at = text.indexOf(BEGIN, at + BEGIN.length);
      continue;
    }
    if (endSearch !== -1 && endSearch < headerEnd) endSearch = text.indexOf('-----END ', headerEnd + 5);
    let stop: number;
    if (endSearch >= 0) {
      const close = text.indexOf('-----', endSearch + 9);
      stop = close >= 0 && close - endSearch < 100 ? close + 5 : endSearch + 9;
    } else {
      // No END: cut the base64 body that follows (until a line that is not base64).
      const re = /\n[ \t]*[A-Za-z0-9+/=]{16,}[ \t]*(?=\n|$)/y;
      re.lastIndex = headerEnd + 5;
      stop = headerEnd + 5;
      while (re.exec(text) !== null) stop = re.lastIndex;
    }
    out += text.slice(from, at) + mark('pem');
    counts.pem = (counts.pem ?? 0) + 1;
    from = stop;
    at = text.indexOf(BEGIN, stop);
  }
  return out + text.slice(from);
}

/** Long base64 values under a YAML `data:` map (Secrets, ConfigMaps' binaryData). */
function redactYamlData(text: string, counts: Record<string, number>): string {
  if (!/\b(?:data|binaryData|stringData):/.test(text)) return text;
  const lines = text.split('\n');
  let inData = -1; // indent of the data: key, or -1
  let stringData = false;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    if (line.length > 16384) { inData = -1; continue; }
    const indent = line.length - line.trimStart().length;
    const trimmed = line.trim();
    if (inData >= 0 && trimmed !== '' && indent <= inData) inData = -1;
    const header = /^(?:-[ \t]+)?(data|binaryData|stringData):[ \t]*$/.exec(trimmed);
    if (header) { inData = indent; stringData = header[1] === 'stringData'; continue; }
    if (inData < 0) continue;
    const kv = /^([A-Za-z0-9._-]{1,253}):[ \t]+["']?([^"'\s]{1,65536})["']?$/.exec(trimmed);
    if (!kv || (kv[2] ?? '').startsWith('[REDACTED')) continue;
    const value = kv[2] ?? '';
    if (stringData || (value.length >= 16 && /^[A-Za-z0-9+/]+={0,2}$/.test(value))) {
      lines[i] = `${line.slice(0, indent)}${kv[1]}: ${mark('secret-data')}`;
      counts['secret-data'] = (counts['secret-data'] ?? 0) + 1;
    }
  }
  return lines.join('\n');
}

export function redact(text: string): Redacted {
  const kinds: Record<string, number> = {};
  let out = redactPem(text, kinds);
  const prefixed = PREFIXES.test(out);
  for (const rule of RULES) if (prefixed || rule.prefix === undefined) out = applyRule(out, rule, kinds);
  out = redactPairs(out, kinds);
  out = redactYamlData(out, kinds);
  const count = Object.values(kinds).reduce((a, b) => a + b, 0);
  return { text: out, count, kinds };
}

/** The contract other areas import: redacted text and how many secrets were replaced. */
export function redactText(text: string): { text: string; count: number } {
  const { text: out, count } = redact(text);
  return { text: out, count };
}
