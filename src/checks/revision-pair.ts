// Rollback checks compare two revisions: the one running (current) and the one rolled back to (target).
import type { ReadOnlyKube } from '../kube/types.js';
import type { Facts } from '../triage/types.js';
import { currentRevision, readRelease, releaseFromFacts, releaseHistory, rollbackTarget, type ReleaseRecord, type RevisionMeta } from './releases.js';

export interface RevisionPair {
  release: string;
  namespace: string;
  history: RevisionMeta[];
  current: ReleaseRecord | null;
  target: ReleaseRecord | null;
}

export async function readRevisionPair(kube: ReadOnlyKube, facts: Facts, signal: AbortSignal): Promise<RevisionPair> {
  const { release, namespace } = releaseFromFacts(facts);
  const history = await releaseHistory(kube, release, namespace, signal);
  const cur = currentRevision(history);
  const tgt = rollbackTarget(history, facts.revision);
  const [current, target] = await Promise.all([
    cur ? readRelease(kube, cur, namespace, signal) : Promise.resolve(null),
    tgt ? readRelease(kube, tgt, namespace, signal) : Promise.resolve(null),
  ]);
  return { release, namespace, history, current, target };
}
