// Compile a playbook's signals once at load. Each pattern is vetted so matching stays linear:
// safe-regex2 rejects nested repetition; backreferences and lookbehind are refused outright.
import safeRegex from 'safe-regex2';
import type { Playbook, Signal } from './schema.js';

export interface CompiledSignal {
  id: string;
  source: string;
  weight: number;
  regex: RegExp;
  /** Lowercase literal every match must contain; lets the matcher skip texts and lines cheaply. */
  literal: string | undefined;
}

export interface CompiledPlaybook {
  playbook: Playbook;
  signals: CompiledSignal[];
}

/** Why a pattern is refused, or undefined when it is fine. */
export function vetPattern(source: string): string | undefined {
  if (/\\[1-9]|\\k</.test(source)) return 'backreferences are not allowed (they make matching non-linear)';
  if (/\(\?<[=!]/.test(source)) return 'lookbehind is not allowed (keep patterns linear)';
  if (/^\^?\.\*/.test(source)) return 'a leading .* is useless (patterns are unanchored) and slow; remove it';
  let regex: RegExp;
  try {
    regex = new RegExp(source, 'i');
  } catch (err) {
    return `not a valid JavaScript regex: ${err instanceof Error ? err.message : String(err)}`;
  }
  if (!safeRegex(regex, { limit: 25 })) return 'pattern may backtrack exponentially (nested or overlapping repetition); simplify it';
  if (regex.test('')) return 'pattern matches the empty string';
  return undefined;
}

const SPECIAL = new Set(['.', '*', '+', '?', '(', ')', '[', ']', '{', '}', '|', '^', '$', '\\']);

/**
 * The longest literal run that every match must contain, lowercased. Conservative: a top-level `|`
 * means no literal; groups, classes and quantified characters end a run.
 */
export function requiredLiteral(source: string): string | undefined {
  let depth = 0;
  let inClass = false;
  let best = '';
  let run = '';
  const flush = (): void => { if (run.length > best.length) best = run; run = ''; };
  for (let i = 0; i < source.length; i++) {
    const c = source[i] ?? '';
    if (inClass) {
      if (c === '\\') i++;
      else if (c === ']') inClass = false;
      continue;
    }
    if (c === '\\') {
      const n = source[i + 1] ?? '';
      i++;
      if (depth === 0 && /[.\-/"'\s:=@#%&,;<>!~`{}[\]()|*+?^$]/.test(n) && n !== ' ' && !/\s/.test(n)) {
        if (isQuantified(source, i + 1)) { flush(); continue; }
        run += n;
      } else flush();
      continue;
    }
    if (c === '[') { flush(); inClass = true; continue; }
    if (c === '(') { flush(); depth++; continue; }
    if (c === ')') { flush(); depth--; continue; }
    if (c === '|') { if (depth === 0) return undefined; continue; }
    if (c === '{') { const close = source.indexOf('}', i); flush(); if (close > i) i = close; continue; }
    if (depth > 0) continue;
    if (SPECIAL.has(c)) { flush(); continue; }
    if (isQuantified(source, i + 1)) { flush(); continue; }
    run += c;
  }
  flush();
  const lit = best.toLowerCase();
  return lit.length >= 3 ? lit : undefined;
}

function isQuantified(source: string, next: number): boolean {
  const q = source[next];
  return q === '*' || q === '?' || q === '{' || q === '+';
}

export function compileSignal(signal: Signal): CompiledSignal {
  return {
    id: signal.id ?? signal.pattern,
    source: signal.pattern,
    weight: signal.weight,
    regex: new RegExp(signal.pattern, 'i'),
    literal: requiredLiteral(signal.pattern),
  };
}

export function compilePlaybook(playbook: Playbook): CompiledPlaybook {
  return { playbook, signals: playbook.signals.map(compileSignal) };
}
