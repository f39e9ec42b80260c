// Kubernetes label and field selectors, evaluated locally: checks match a Service's selector
// against pods, and the local test API server filters lists with the same rules as kube-apiserver.
import { ErrorCode, HelmTriageError } from '../errors.js';

export type Requirement =
  | { key: string; op: 'exists' | 'notexists' }
  | { key: string; op: 'eq' | 'neq'; value: string }
  | { key: string; op: 'in' | 'notin'; values: string[] };

/** Splits on commas outside parentheses: `a in (x,y),b` → [`a in (x,y)`, `b`]. */
function splitTerms(selector: string): string[] {
  const terms: string[] = [];
  let depth = 0;
  let cur = '';
  for (const ch of selector) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === ',' && depth === 0) {
      terms.push(cur);
      cur = '';
    } else cur += ch;
  }
  terms.push(cur);
  return terms.map((t) => t.trim()).filter((t) => t !== '');
}

export class SelectorSyntaxError extends HelmTriageError {
  constructor(selector: string, term: string) {
    super(ErrorCode.KubeSelectorInvalid, `invalid selector "${selector}": cannot parse "${term}" (write key=value, key!=value, key in (a,b), key or !key)`);
    this.name = 'SelectorSyntaxError';
  }
}

export function parseLabelSelector(selector: string): Requirement[] {
  const out: Requirement[] = [];
  for (const term of splitTerms(selector)) {
    let m: RegExpMatchArray | null;
    if ((m = /^!\s*([^\s=!,()]+)$/.exec(term))) out.push({ key: m[1]!, op: 'notexists' });
    else if ((m = /^([^\s=!,()]+)\s+(in|notin)\s+\(([^()]*)\)$/.exec(term))) {
      const values = m[3]!.split(',').map((v) => v.trim()).filter((v) => v !== '');
      out.push({ key: m[1]!, op: m[2] === 'in' ? 'in' : 'notin', values });
    } else if ((m = /^([^\s=!,()]+)\s*(==|=|!=)\s*([^\s=!,()]*)$/.exec(term))) {
      out.push({ key: m[1]!, op: m[2] === '!=' ? 'neq' : 'eq', value: m[3]! });
    } else if ((m = /^([^\s=!,()]+)$/.exec(term))) out.push({ key: m[1]!, op: 'exists' });
    else throw new SelectorSyntaxError(selector, term);
  }
  return out;
}

/** Field selectors only know =, == and !=. */
export function parseFieldSelector(selector: string): Requirement[] {
  return parseLabelSelector(selector).map((r) => {
    if (r.op !== 'eq' && r.op !== 'neq') throw new SelectorSyntaxError(selector, r.key);
    return r;
  });
}

export function matchesRequirement(r: Requirement, value: string | undefined): boolean {
  switch (r.op) {
    case 'exists':
      return value !== undefined;
    case 'notexists':
      return value === undefined;
    case 'eq':
      return value === r.value;
    case 'neq':
      return value !== r.value;
    case 'in':
      return value !== undefined && r.values.includes(value);
    case 'notin':
      return value === undefined || !r.values.includes(value);
  }
}

export function matchesLabels(requirements: readonly Requirement[], labels: Readonly<Record<string, string>> | undefined): boolean {
  return requirements.every((r) => matchesRequirement(r, labels?.[r.key]));
}

/** A map selector (Service.spec.selector, matchLabels) matches when every pair is present. */
export function matchesLabelMap(selector: Readonly<Record<string, string>>, labels: Readonly<Record<string, string>> | undefined): boolean {
  return Object.entries(selector).every(([k, v]) => labels?.[k] === v);
}
