// Helm stores each revision in one Secret/ConfigMap, and the API server caps an object at 1 MiB.
import { defineCheck } from './define.js';
import { MissingFactError } from './errors.js';
import { releaseHistory, type RevisionMeta } from './releases.js';

export const RECORD_LIMIT_BYTES = 1024 * 1024;
/** From here the next revision (the same chart plus a bit) is likely to cross the limit. */
export const NEAR_LIMIT = 0.9;

export interface Gathered {
  release: string;
  namespace: string;
  latest: RevisionMeta | null;
}

const kib = (n: number): string => `${(n / 1024).toFixed(0)} KiB`;

export const releaseRecordSize = defineCheck<Gathered>({
  id: 'release-record-size',
  description: 'Size of the latest release record (Secret/ConfigMap) against the 1 MiB object limit.',
  permissions: ['list secrets (labels owner=helm,name=<release>) in the release namespace'],
  async gather({ kube, facts, signal }) {
    if (!facts.release) throw new MissingFactError('release', 'pass --release or paste the helm command line');
    const namespace = facts.namespace ?? 'default';
    const history = await releaseHistory(kube, facts.release, namespace, signal);
    return { release: facts.release, namespace, latest: history.at(-1) ?? null };
  },
  judge({ release, namespace, latest }) {
    if (!latest) return { status: 'inconclusive', summary: `release ${release} has no stored revision in ${namespace} (the first install was too large?)`, evidence: [] };
    const share = latest.size / RECORD_LIMIT_BYTES;
    const evidence = [`${latest.driver} ${latest.object}: ${kib(latest.size)} of ${kib(RECORD_LIMIT_BYTES)} (${Math.round(share * 100)} %)`];
    const learned = { releaseRecordBytes: String(latest.size) };
    if (share >= NEAR_LIMIT) {
      return { status: 'confirmed', summary: `revision ${latest.version} of ${release} is stored in ${kib(latest.size)}, ${Math.round(share * 100)} % of the 1 MiB limit`, evidence, learned };
    }
    return { status: 'refuted', summary: `revision ${latest.version} of ${release} takes only ${kib(latest.size)} (${Math.round(share * 100)} % of 1 MiB)`, evidence, learned };
  },
});
