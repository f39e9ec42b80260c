// Runs the checks a playbook names, in parallel, each under its own deadline. Never throws.
import type { Facts } from '../triage/types.js';
import { scopeToRun } from './releases.js';
import type { ReadOnlyKube } from '../kube/types.js';
import { findingFromError } from './errors.js';
import { getCheck } from './registry.js';
import type { Check, Finding } from './types.js';

export interface RunChecksInput {
  checks: readonly string[];
  facts: Facts;
  kube: ReadOnlyKube;
  signal: AbortSignal;
  now?: Date;
  /** A check still running after this becomes `inconclusive` ("timed out"); the others are kept. */
  perCheckTimeoutMs?: number;
  /** Where check ids are looked up; the built-in registry by default (tests pass their own). */
  registry?: (id: string) => Check | undefined;
}

export const DEFAULT_CHECK_TIMEOUT_MS = 10_000;

/** Runs the named checks (independent ones in parallel); never throws: failures become findings. */
export async function runChecks(input: RunChecksInput): Promise<Finding[]> {
  const lookup = input.registry ?? getCheck;
  const now = input.now ?? new Date();
  const timeoutMs = input.perCheckTimeoutMs ?? DEFAULT_CHECK_TIMEOUT_MS;
  const ids = [...new Set(input.checks)];
  const scoped = { ...input, kube: scopeToRun(input.kube, input.signal) };
  return Promise.all(ids.map((id) => runOne(id, lookup(id), scoped, now, timeoutMs)));
}

async function runOne(id: string, check: Check | undefined, input: RunChecksInput, now: Date, timeoutMs: number): Promise<Finding> {
  if (!check) {
    return { check: id, status: 'error', summary: `unknown check "${id}": fix the playbook's checks list (see README "Cluster checks")`, evidence: [] };
  }
  if (input.signal.aborted) return cancelled(id);
  const deadline = new AbortController();
  const signal = AbortSignal.any([input.signal, deadline.signal]);
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<Finding>((resolve) => {
    timer = setTimeout(() => {
      deadline.abort(new Error('check deadline'));
      const seconds = Math.round((timeoutMs / 1000) * 10) / 10;
      resolve({ check: id, status: 'inconclusive', summary: `timed out after ${seconds} s: the API server answered too slowly; retry the check`, evidence: [] });
    }, timeoutMs);
  });
  let onAbort: (() => void) | undefined;
  const aborted = new Promise<Finding>((resolve) => {
    onAbort = () => resolve(cancelled(id));
    input.signal.addEventListener('abort', onAbort, { once: true });
  });
  let finished = false;
  const work = (async (): Promise<Finding> => {
    try {
      return await check.run({ kube: input.kube, facts: input.facts, signal, now });
    } catch (err) {
      return findingFromError(id, err);
    } finally {
      finished = true;
    }
  })();
  try {
    return await Promise.race([work, timedOut, aborted]);
  } finally {
    clearTimeout(timer);
    if (onAbort) input.signal.removeEventListener('abort', onAbort);
    // Cancel what is still in flight; a check that finished has nothing to cancel (and an abort
    // costs a DOMException with a stack trace per check).
    if (!finished) deadline.abort(new Error('check cut short'));
  }
}

function cancelled(id: string): Finding {
  return { check: id, status: 'inconclusive', summary: 'cancelled before it finished (the triage deadline passed)', evidence: [] };
}
