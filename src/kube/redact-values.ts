// Helm values can hold passwords (`--set db.password=…`). Redact them before a release's values
// leave the agent: by key name, and every string through the same text redactor as pasted input.
import { redactText } from '../triage/redact.js';

export const REDACTED = '[REDACTED]';

// Over-redacting a name is cheap; leaking a password is not.
const SECRET_KEY =
  /pass(?:word|wd|phrase)?|pwd|secret|token|credential|api[-_]?key|access[-_]?key|private[-_]?key|^key$|[a-z0-9]Key$|[-_]key$|^auth|[a-z]Auth$|dsn$|connection[-_]?string|certificate|cookie|salt|^tls\.key$/i;

export function isSecretKey(key: string): boolean {
  return SECRET_KEY.test(key);
}

export type StringRedactor = (text: string) => string;

const defaultRedactor: StringRedactor = (text) => redactText(text).text;

function redactScalar(value: unknown): unknown {
  // Booleans and null say whether something is enabled, not what the secret is.
  return typeof value === 'boolean' || value === null || value === undefined ? value : REDACTED;
}

function walk(value: unknown, underSecret: boolean, redactString: StringRedactor, depth: number): unknown {
  if (depth > 64) return REDACTED; // absurd nesting in untrusted data: stop, safely
  if (Array.isArray(value)) return value.map((v) => walk(v, underSecret, redactString, depth + 1));
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = walk(v, underSecret || isSecretKey(k), redactString, depth + 1);
    return out;
  }
  if (underSecret) return redactScalar(value);
  return typeof value === 'string' ? redactString(value) : value;
}

/** A deep copy of `values` with secret-looking keys replaced by "[REDACTED]" and strings redacted. */
export function redactValues(values: Record<string, unknown>, redactString: StringRedactor = defaultRedactor): Record<string, unknown> {
  const out = walk(values, false, redactString, 0);
  return out && typeof out === 'object' && !Array.isArray(out) ? (out as Record<string, unknown>) : {};
}

export function redactFreeText(text: string, redactString: StringRedactor = defaultRedactor): string {
  return redactString(text);
}
