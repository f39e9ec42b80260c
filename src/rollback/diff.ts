// Pure: what a rollback changes, current revision → target revision: the chart and appVersion, the
// user-supplied values (`helm get values`), and each manifest object (added, removed, changed with
// the field paths that differ). Values arrive redacted by the release codec (src/kube/helm-release-codec.ts:
// secret-looking keys are "[REDACTED]" and every string went through the text redactor), so two
// different passwords compare equal here: the diff never needs, and never sees, a secret.
import { isRecord } from '../checks/fields.js';
import type { FieldChange, ObjectChange, RollbackDiff } from '../model/rollback.js';
import type { ManifestObject } from './objects.js';

/** One side of the comparison, as the planner read it from a release record. */
export interface RevisionSide {
  revision: number;
  /** `name-version`, as `helm history` shows it. */
  chart: string;
  appVersion?: string;
  /** User-supplied values, redacted. */
  config: Record<string, unknown>;
  objects: ManifestObject[];
}

/** Field paths listed per object at most; the rest is counted in a last `…` entry. */
export const MAX_FIELDS_PER_OBJECT = 40;
/** Displayed values are cut to this many characters. */
export const MAX_VALUE_CHARS = 80;

/** A value as one short line: scalars as JSON, objects and lists by size. */
export function display(v: unknown): string | undefined {
  if (v === undefined) return undefined;
  let text: string;
  if (Array.isArray(v)) text = v.length === 0 ? '[]' : v.every((x) => !isRecord(x) && !Array.isArray(x)) ? JSON.stringify(v) : `[${v.length} items]`;
  else if (isRecord(v)) text = Object.keys(v).length === 0 ? '{}' : `{${Object.keys(v).length} fields}`;
  else text = typeof v === 'string' ? v : JSON.stringify(v);
  return text.length > MAX_VALUE_CHARS ? `${text.slice(0, MAX_VALUE_CHARS - 1)}…` : text;
}

const PLAIN_KEY = /^[A-Za-z_][A-Za-z0-9_-]*$/;

/** `spec.ports[0].port`; keys with dots or slashes in brackets: `metadata.labels["app.kubernetes.io/name"]`. */
export function joinPath(prefix: string, key: string | number): string {
  if (typeof key === 'number') return `${prefix}[${key}]`;
  if (!PLAIN_KEY.test(key)) return `${prefix}[${JSON.stringify(key)}]`;
  return prefix === '' ? key : `${prefix}.${key}`;
}

/** Deep equality of JSON values (key order ignored). */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => jsonEqual(x, b[i]));
  if (isRecord(a) && isRecord(b)) {
    const ka = Object.keys(a);
    return ka.length === Object.keys(b).length && ka.every((k) => k in b && jsonEqual(a[k], b[k]));
  }
  return false;
}

const isEmpty = (v: Record<string, unknown> | unknown[]): boolean => (Array.isArray(v) ? v.length === 0 : Object.keys(v).length === 0);

/** The leaf paths where `from` and `to` differ (objects recurse by key, lists by index). */
export function fieldChanges(from: unknown, to: unknown, prefix = '', out: FieldChange[] = []): FieldChange[] {
  if (jsonEqual(from, to)) return out;
  // A map or list present on one side only is listed by its leaves, so each path is named.
  if (from === undefined && (isRecord(to) || Array.isArray(to)) && !isEmpty(to)) return fieldChanges(Array.isArray(to) ? [] : {}, to, prefix, out);
  if (to === undefined && (isRecord(from) || Array.isArray(from)) && !isEmpty(from)) return fieldChanges(from, Array.isArray(from) ? [] : {}, prefix, out);
  if (isRecord(from) && isRecord(to)) {
    for (const k of new Set([...Object.keys(from), ...Object.keys(to)])) fieldChanges(from[k], to[k], joinPath(prefix, k), out);
    return out;
  }
  if (Array.isArray(from) && Array.isArray(to)) {
    for (let i = 0; i < Math.max(from.length, to.length); i++) fieldChanges(from[i], to[i], joinPath(prefix, i), out);
    return out;
  }
  const f = display(from);
  const t = display(to);
  out.push({ path: prefix === '' ? '(root)' : prefix, ...(f !== undefined ? { from: f } : {}), ...(t !== undefined ? { to: t } : {}) });
  return out;
}

function capped(changes: FieldChange[]): FieldChange[] {
  if (changes.length <= MAX_FIELDS_PER_OBJECT) return changes;
  return [...changes.slice(0, MAX_FIELDS_PER_OBJECT), { path: `… ${changes.length - MAX_FIELDS_PER_OBJECT} more fields` }];
}

/** Objects of the two manifests, matched by identity; `unchanged` counts the equal ones. */
export function diffObjects(current: readonly ManifestObject[], target: readonly ManifestObject[]): { objects: ObjectChange[]; unchanged: number } {
  const byId = new Map(current.map((o) => [o.id, o]));
  const objects: ObjectChange[] = [];
  let unchanged = 0;
  const matched = new Set<string>();
  for (const t of target) {
    const c = byId.get(t.id);
    if (!c) {
      objects.push({ object: t.key, change: 'added', fields: [] });
      continue;
    }
    matched.add(t.id);
    const fields = fieldChanges(c.object, t.object);
    if (fields.length === 0) unchanged++;
    else objects.push({ object: t.key, change: 'changed', fields: capped(fields) });
  }
  for (const c of current) if (!matched.has(c.id)) objects.push({ object: c.key, change: 'removed', fields: [] });
  return { objects, unchanged };
}

/** User-supplied values that differ, current → target (`from` is the current revision's). */
export function diffValues(current: Record<string, unknown>, target: Record<string, unknown>): FieldChange[] {
  return fieldChanges(current, target);
}

export function diffRevisions(current: RevisionSide, target: RevisionSide): RollbackDiff {
  const { objects, unchanged } = diffObjects(current.objects, target.objects);
  return {
    chart: { from: current.chart, to: target.chart },
    appVersion: { ...(current.appVersion !== undefined ? { from: current.appVersion } : {}), ...(target.appVersion !== undefined ? { to: target.appVersion } : {}) },
    values: { changes: diffValues(current.config, target.config) },
    objects,
    unchanged,
  };
}
