// STUB (skeleton): the triage-core work replaces this with schema validation, pattern vetting and compilation.
import type { Playbook } from './schema.js';

export interface PlaybookSet {
  readonly playbooks: readonly Playbook[];
  get(id: string): Playbook | undefined;
}

export function loadPlaybooks(_dir?: string): PlaybookSet {
  return { playbooks: [], get: () => undefined };
}
