// Helm stores each revision in one Secret/ConfigMap, and the API server caps an object at 1 MiB.
import { defineCheck } from './define.js';
import { str } from './fields.js';
import { releaseFromFacts, releaseHistory, type RevisionMeta } from './releases.js';

export const RECORD_LIMIT_BYTES = 1024 * 1024;
/** From here the next revision (the same chart plus a bit) is likely to cross the limit. */
export const NEAR_LIMIT = 0.9;

export interface Gathered {
  release: string;
  namespace: string;
  latest: RevisionMeta | null;
  /** Bytes of the stored record (what Helm wrote into data.release). */
  size: number;
}

const kib = (n: number): string => `${(n / 1024).toFixed(0)} KiB`;

export const releaseRecordSize = defineCheck<Gathered>({
  id: 'release-record-size',
  description: 'Size of the latest release record (Secret/ConfigMap) against the 1 MiB object limit.',
  permissions: ['list secrets (labels owner=helm,name=<release>) in the release namespace'],
  async gather({ kube, facts, signal }) {
    const { release, namespace } = releaseFromFacts(facts);
    const history = await releaseHistory(kube, release, namespace, signal);
    const latest = history.at(-1) ?? null;
    const obj = latest ? await kube.get('v1', latest.driver, latest.object, namespace, signal) : null;
    const data = str(obj, 'data.release') ?? '';
    // Secret data arrives base64-encoded once more; a ConfigMap holds Helm's string as is.
    const size = latest?.driver === 'Secret' ? Math.floor((data.length * 3) / 4) : data.length;
    return { release, namespace, latest, size };
  },
  judge({ release, namespace, latest, size }) {
    if (!latest) return { status: 'inconclusive', summary: `release ${release} has no stored revision in ${namespace} (the first install was too large?)`, evidence: [] };
    const share = size / RECORD_LIMIT_BYTES;
    const evidence = [`${latest.driver} ${latest.object}: ${kib(size)} of ${kib(RECORD_LIMIT_BYTES)} (${Math.round(share * 100)} %)`];
    const learned = { releaseRecordBytes: String(size) };
    if (share >= NEAR_LIMIT) {
      return { status: 'confirmed', summary: `revision ${latest.version} of ${release} is stored in ${kib(size)}, ${Math.round(share * 100)} % of the 1 MiB limit`, evidence, learned };
    }
    return { status: 'refuted', summary: `revision ${latest.version} of ${release} takes only ${kib(size)} (${Math.round(share * 100)} % of 1 MiB)`, evidence, learned };
  },
});
