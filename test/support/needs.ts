// The one way a test says it needs something beyond `npm ci` (test/support/prereqs.ts):
//   describe('…', needs('redis-server'), () => { … })
// skips the suite when it is missing, with the reason as the skip note (a hook outside such a suite
// asks `has(tool)` first). test/support/skip-summary.ts prints what was skipped and why.
import { inject, type TestOptions } from 'vitest';
import type { Tool } from './prereqs.js';

declare module 'vitest' {
  interface TaskMeta {
    /** Why the suite is skipped: what is missing and how to install it. */
    missing?: string;
  }
}

function missing(tool: Tool): string | undefined {
  return inject('prereqs').missing[tool];
}

export function has(tool: Tool): boolean {
  return missing(tool) === undefined;
}

/** Suite options: skip (with the reason) when `tool` is missing. */
export function needs(tool: Tool): TestOptions {
  const reason = missing(tool);
  return reason === undefined ? {} : { skip: true, meta: { missing: reason } };
}
