// Whether a fact's value may go into a suggested shell command (src/playbooks/render.ts): it cannot change
// the command's meaning (no spaces, quotes, $, ;, |, globs …). Below the playbooks and the triage core, which both use it.

const SAFE_VALUE = /^[A-Za-z0-9._:/@=+,-]{1,253}$/;

/** A fact value is only put into a suggested command when it cannot change the command's meaning. */
export function isShellSafe(value: string): boolean {
  return SAFE_VALUE.test(value);
}
