// The Helm release records the checks need, through src/kube/helm-releases.ts: history from labels
// (no payload decoding), and only the revisions a check asks for decoded (and redacted).
import { HelmReleases, type HelmRelease, type HelmRevision } from '../kube/helm-releases.js';
import type { ReadOnlyKube } from '../kube/types.js';
import type { Facts } from '../triage/types.js';
import { MissingFactError } from './errors.js';

export interface RevisionMeta {
  version: number;
  status: string;
  driver: 'Secret' | 'ConfigMap';
  /** e.g. sh.helm.release.v1.web.v4 */
  object: string;
  /** Unix seconds from Helm's createdAt / modifiedAt labels. */
  createdAt?: number;
  modifiedAt?: number;
}

/** The decoded parts of one revision the checks read. Values are already redacted. */
export interface ReleaseRecord {
  name: string;
  namespace: string;
  version: number;
  status: string;
  description: string;
  chart: string;
  config: Record<string, unknown>;
  manifest: string;
}

/** The release a check is about and its namespace (Helm's default when the text names none). */
export function releaseFromFacts(facts: Facts): { release: string; namespace: string } {
  if (!facts.release) throw new MissingFactError('release', 'pass --release or paste the helm command line');
  return { release: facts.release, namespace: facts.namespace ?? 'default' };
}

const PENDING = new Set(['pending-install', 'pending-upgrade', 'pending-rollback']);
export const isPending = (status: string): boolean => PENDING.has(status);

/** Failed, or left pending by a Helm command that died or still runs: both are what a triage is about. */
export const isFailedOrPending = (status: string): boolean => status === 'failed' || isPending(status);

/**
 * How many of the newest revisions may hold the failure being triaged: the failed one, plus what an
 * --atomic/--rollback-on-failure rollback or a retry added after it. An older failure with successful
 * revisions after it is history, not the incident at hand; reporting it as "the real error" would
 * mislead whenever the failing command created no revision at all (e.g. a template or validation error).
 */
export const FAILED_REVISION_LOOKBACK = 3;

/** The newest failed or pending revision among the last `lookback` ones (history is oldest first). */
export function latestFailedRevision(history: readonly RevisionMeta[], lookback = FAILED_REVISION_LOOKBACK): RevisionMeta | undefined {
  if (lookback <= 0) return undefined;
  return history.slice(-lookback).reverse().find((r) => isFailedOrPending(r.status));
}

function toMeta(h: HelmRevision): RevisionMeta {
  const seconds = (d: Date | undefined): number | undefined => (d ? Math.floor(d.getTime() / 1000) : undefined);
  const createdAt = seconds(h.createdAt);
  const modifiedAt = seconds(h.modifiedAt);
  return {
    version: h.revision, status: h.status, driver: h.driver === 'secret' ? 'Secret' : 'ConfigMap', object: h.objectName,
    ...(createdAt !== undefined ? { createdAt } : {}), ...(modifiedAt !== undefined ? { modifiedAt } : {}),
  };
}

/** Every revision of a release, oldest first (Secret driver, else ConfigMap driver). */
interface RunScope {
  signal: AbortSignal;
  histories: Map<string, Promise<RevisionMeta[]>>;
}

// Several checks of one triage read the same release history; within one runChecks call it is read once.
const runScopes = new WeakMap<ReadOnlyKube, RunScope>();

/**
 * A view of `kube` for one check run: release histories read through it are shared by the run's checks.
 * The shared read follows the run's signal, not the first caller's, so one check's deadline cannot fail
 * the others (each check's own deadline is enforced by runChecks).
 */
export function scopeToRun(kube: ReadOnlyKube, signal: AbortSignal): ReadOnlyKube {
  const scoped: ReadOnlyKube = {
    version: (s) => kube.version(s),
    get: (apiVersion, kind, name, namespace, s) => kube.get(apiVersion, kind, name, namespace, s),
    list: (apiVersion, kind, opts) => kube.list(apiVersion, kind, opts),
    serves: (groupVersion, kind, s) => kube.serves(groupVersion, kind, s),
  };
  runScopes.set(scoped, { signal, histories: new Map() });
  return scoped;
}

export async function releaseHistory(kube: ReadOnlyKube, release: string, namespace: string, signal: AbortSignal): Promise<RevisionMeta[]> {
  const scope = runScopes.get(kube);
  if (!scope) return (await new HelmReleases(kube).history(release, namespace, signal)).map(toMeta);
  const key = `${namespace}/${release}`;
  let read = scope.histories.get(key);
  if (!read) {
    read = new HelmReleases(kube).history(release, namespace, scope.signal).then((h) => h.map(toMeta));
    scope.histories.set(key, read);
    read.catch(() => scope.histories.delete(key));
  }
  return read;
}

/** True when Helm holds a revision of this release that is not uninstalled. */
export async function releaseIsInstalled(kube: ReadOnlyKube, release: string, namespace: string, signal: AbortSignal): Promise<boolean> {
  const latest = (await releaseHistory(kube, release, namespace, signal)).at(-1);
  return latest !== undefined && latest.status !== 'uninstalled' && latest.status !== 'uninstalling';
}

/** Decodes one revision of the history, from the record its driver names; null when the record is gone. */
export function decodeRevision(kube: ReadOnlyKube, release: string, namespace: string, meta: RevisionMeta, signal: AbortSignal): Promise<HelmRelease | null> {
  return new HelmReleases(kube).revision(release, namespace, meta.version, signal, meta.driver === 'Secret' ? 'secret' : 'configmap');
}

/** Reads and decodes one revision; null when its record is gone. */
export async function readRelease(kube: ReadOnlyKube, meta: RevisionMeta, namespace: string, signal: AbortSignal): Promise<ReleaseRecord | null> {
  const release = meta.object.replace(/^sh\.helm\.release\.v1\./, '').replace(/\.v\d+$/, '');
  const r = await decodeRevision(kube, release, namespace, meta, signal);
  if (!r) return null;
  return {
    name: r.name, namespace: r.namespace, version: r.version, status: r.info.status, description: r.info.description,
    chart: r.chart.name, config: r.config, manifest: r.manifest,
  };
}

/** The revision the cluster runs now: the latest deployed one, else the latest of any status. */
export function currentRevision(history: readonly RevisionMeta[]): RevisionMeta | undefined {
  return [...history].reverse().find((r) => r.status === 'deployed') ?? history.at(-1);
}

/**
 * The revision a rollback goes to: the one named, else the last good one before the current.
 * (Unlike `helm rollback`'s "latest - 1", this still points at the intended target after a failed
 * rollback has added its own revision.)
 */
export function rollbackTarget(history: readonly RevisionMeta[], named?: number): RevisionMeta | undefined {
  if (named !== undefined) return history.find((r) => r.version === named);
  const current = currentRevision(history);
  if (!current) return undefined;
  return [...history].reverse().find((r) => r.version < current.version && (r.status === 'deployed' || r.status === 'superseded'));
}
