// Pure: fill {{placeholders}} in playbook text with facts. Unknown or unsafe values stay visible as <name>,
// so a suggested command is never silently wrong and never carries pasted shell syntax.
import { isShellSafe } from '../model/shell.js';
import type { Facts } from '../triage/types.js';

// `{{name}}`, or `{{name|words}}` in prose: the words stand in when the fact is unknown, so a root cause
// reads "the rollback or upgrade was rejected" rather than "the <verb> was rejected". Commands never
// take a fallback: an unknown value there must stay visible.
const PLACEHOLDER = /\{\{\s{0,4}([A-Za-z][A-Za-z0-9_.]{0,63})(?:\|([^{}|\n]{1,80}))?\s{0,4}\}\}/g;

/** The value a placeholder stands for, or undefined. Supports `resource.kind`, `resource.name`, `webhookService.namespace`. */
export function factValue(facts: Facts, path: string): string | undefined {
  // path.split('.', 2) without the array: this runs for every placeholder of every rendered diagnosis.
  const dot = path.indexOf('.');
  const head = dot < 0 ? path : path.slice(0, dot);
  const next = dot < 0 ? -1 : path.indexOf('.', dot + 1);
  const sub = dot < 0 ? undefined : next < 0 ? path.slice(dot + 1) : path.slice(dot + 1, next);
  // Objects render as readable lists in prose; in commands the caller refuses anything not shell-safe.
  switch (head) {
    case 'resource':
      if (!facts.resource) return undefined;
      if (sub === 'kind') return facts.resource.kind;
      if (sub === 'name') return facts.resource.name;
      if (sub === 'namespace') return facts.resource.namespace ?? facts.namespace;
      return `${facts.resource.kind}/${facts.resource.name}`;
    case 'webhookService': {
      if (!facts.webhookService) return undefined;
      const [ns, name] = facts.webhookService.split('/');
      if (sub === 'namespace') return ns;
      if (sub === 'name') return name;
      return facts.webhookService;
    }
    case 'previousRevision':
      return facts.revision !== undefined && facts.revision > 1 ? String(facts.revision - 1) : undefined;
    case 'flags':
      return facts.flags && facts.flags.length > 0 ? facts.flags.join(' ') : undefined;
    case 'setValues': {
      const pairs = Object.entries(facts.setValues ?? {});
      if (sub !== undefined) return facts.setValues?.[path.slice('setValues.'.length)];
      return pairs.length > 0 ? pairs.map(([k, v]) => `${k}=${v}`).join(', ') : undefined;
    }
    case 'resources':
      return facts.resources && facts.resources.length > 0 ? facts.resources.map((r) => `${r.kind}/${r.name}`).join(', ') : undefined;
    default: {
      if (sub !== undefined) return undefined;
      const v: unknown = (facts as Record<string, unknown>)[head ?? ''];
      if (typeof v === 'string') return v;
      if (typeof v === 'number') return String(v);
      return undefined;
    }
  }
}

export interface Rendered {
  text: string;
  missing: string[];
}

type Part = string | { name: string; fallback: string | undefined };

// Playbook templates are few and rendered on every diagnosis: split each once into text and placeholders.
const PARTS_CACHE_MAX = 1024;
const partsCache = new Map<string, readonly Part[]>();

function partsOf(template: string): readonly Part[] {
  const hit = partsCache.get(template);
  if (hit !== undefined) return hit;
  const parts: Part[] = [];
  let last = 0;
  for (const m of template.matchAll(PLACEHOLDER)) {
    parts.push(template.slice(last, m.index), { name: m[1] ?? '', fallback: m[2] });
    last = m.index + m[0].length;
  }
  parts.push(template.slice(last));
  if (partsCache.size < PARTS_CACHE_MAX) partsCache.set(template, parts);
  return parts;
}

export function renderTemplate(template: string, facts: Facts, options: { shell?: boolean } = {}): Rendered {
  const missing: string[] = [];
  let text = '';
  for (const part of partsOf(template)) {
    if (typeof part === 'string') {
      text += part;
      continue;
    }
    const { name, fallback } = part;
    const value = factValue(facts, name);
    if ((value === undefined || value === '') && fallback !== undefined && options.shell !== true) {
      text += fallback.trim();
    } else if (value === undefined || value === '' || (options.shell === true && !isShellSafe(value))) {
      if (!missing.includes(name)) missing.push(name);
      text += `<${name}>`;
    } else {
      text += value;
    }
  }
  return { text, missing };
}

export function placeholders(template: string): string[] {
  const names: string[] = [];
  for (const m of template.matchAll(PLACEHOLDER)) if (m[1] && !names.includes(m[1])) names.push(m[1]);
  return names;
}
