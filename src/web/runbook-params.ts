import type { PlaybookCommand } from '../playbooks/schema.js';
import { renderTemplate } from '../playbooks/render.js';
import type { Facts, RenderedCommand } from '../triage/types.js';

// Query parameters that fill a runbook's commands (?release=web&namespace=shop&context=prod).
// A link can be crafted by anyone and its commands get pasted into a shell, so values must be plain
// Kubernetes-style names: anything else is ignored and the page says so.

export interface RunbookParams {
  release?: string;
  namespace?: string;
  context?: string;
}

export interface ParsedRunbookParams {
  values: RunbookParams;
  /** Human sentences for values that were refused. */
  ignored: string[];
}

const RULES: Record<keyof RunbookParams, { pattern: RegExp; expected: string }> = {
  release: { pattern: /^[a-z0-9]([-a-z0-9.]{0,51}[a-z0-9])?$/, expected: 'a Helm release name (lowercase letters, digits, - and ., at most 53)' },
  namespace: { pattern: /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/, expected: 'a namespace (lowercase letters, digits and -, at most 63)' },
  context: { pattern: /^[A-Za-z0-9][A-Za-z0-9._:@/-]{0,252}$/, expected: 'a kube context name (letters, digits and . _ : @ / -)' },
};

export function parseRunbookParams(query: Record<string, unknown>): ParsedRunbookParams {
  const values: RunbookParams = {};
  const ignored: string[] = [];
  for (const name of Object.keys(RULES) as Array<keyof RunbookParams>) {
    const raw = query[name];
    if (typeof raw !== 'string' || raw.trim() === '') continue;
    const value = raw.trim();
    if (RULES[name].pattern.test(value)) values[name] = value;
    else ignored.push(`Ignored ${name}: expected ${RULES[name].expected}.`);
  }
  return { values, ignored };
}

/** Stable cache key for a page filled with these values. */
export function paramsKey(values: RunbookParams): string {
  return `${values.release ?? ''}\u0000${values.namespace ?? ''}\u0000${values.context ?? ''}`;
}

/** Adds the kube context to every kubectl/helm invocation in a command line. */
export function withContext(command: string, context: string | undefined): string {
  if (!context) return command;
  return command
    .replace(/(^|[|;&(]\s*)kubectl(?=\s)/g, `$1kubectl --context ${context}`)
    .replace(/(^|[|;&(]\s*)helm(?=\s)/g, `$1helm --kube-context ${context}`);
}

export function fillCommand(command: PlaybookCommand, values: RunbookParams): RenderedCommand {
  const { text, missing } = renderTemplate(command.run, factsOf(values), { shell: true });
  const rendered: RenderedCommand = { command: withContext(text, values.context), effect: command.effect };
  if (command.description !== undefined) rendered.description = command.description;
  if (command.risk !== undefined) rendered.risk = command.risk;
  if (missing.length > 0) rendered.missing = missing;
  return rendered;
}

/** The facts a runbook link can carry. */
export function factsOf(values: RunbookParams): Facts {
  const facts: Facts = {};
  if (values.release) facts.release = values.release;
  if (values.namespace) facts.namespace = values.namespace;
  return facts;
}
