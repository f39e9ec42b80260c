// Rollback checks compare two revisions: the one running (current) and the one rolled back to (target).
import type { ReadOnlyKube } from '../kube/types.js';
import type { Facts } from '../triage/types.js';
import { MissingFactError } from './errors.js';
import { currentRevision, readRelease, releaseHistory, rollbackTarget, type ReleaseRecord, type RevisionMeta } from './releases.js';

export interface RevisionPair {
  release: string;
  namespace: string;
  history: RevisionMeta[];
  current: ReleaseRecord | null;
  target: ReleaseRecord | null;
}

export async function readRevisionPair(kube: ReadOnlyKube, facts: Facts, signal: AbortSignal): Promise<RevisionPair> {
  const release = facts.release;
  if (!release) throw new MissingFactError('release', 'pass --release or paste the helm command line');
  const namespace = facts.namespace ?? 'default';
  const history = await releaseHistory(kube, release, namespace, signal);
  const cur = currentRevision(history);
  const tgt = rollbackTarget(history, facts.revision);
  const [current, target] = await Promise.all([
    cur ? readRelease(kube, cur, namespace, signal) : Promise.resolve(null),
    tgt ? readRelease(kube, tgt, namespace, signal) : Promise.resolve(null),
  ]);
  return { release, namespace, history, current, target };
}
