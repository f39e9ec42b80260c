// When the pasted text carries no diagnosable error but names a release, the error Helm recorded in
// the release itself (info.description of the latest failed/pending revision) usually does.
import type { ReadOnlyKube } from '../kube/types.js';
import { latestFailedRevision, readRelease, releaseHistory } from './releases.js';

export interface StoredFailure {
  release: string;
  namespace: string;
  revision: number;
  status: string;
  /** The recorded description, e.g. `Upgrade "web" failed: …` (redacted by the decoder). */
  text: string;
  /** For the reader: where the text came from. */
  note: string;
}

export async function readStoredFailure(kube: ReadOnlyKube, release: string, namespace: string, signal: AbortSignal): Promise<StoredFailure | null> {
  const history = await releaseHistory(kube, release, namespace, signal);
  const failed = latestFailedRevision(history);
  if (!failed) return null;
  const record = await readRelease(kube, failed, namespace, signal);
  const text = record?.description.trim() ?? '';
  if (text === '') return null;
  return {
    release, namespace, revision: failed.version, status: failed.status, text,
    note: `error text read from release ${release} revision ${failed.version} (${failed.status})`,
  };
}
