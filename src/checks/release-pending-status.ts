// "another operation (install/upgrade/rollback) is in progress": is the latest revision stuck pending?
import { defineCheck } from './define.js';
import { isPending, releaseFromFacts, releaseHistory, type RevisionMeta } from './releases.js';

export interface Gathered {
  release: string;
  namespace: string;
  latest: RevisionMeta | null;
}

export function formatAge(seconds: number): string {
  if (seconds < 120) return `${Math.max(0, Math.round(seconds))} s`;
  if (seconds < 7200) return `${Math.round(seconds / 60)} min`;
  if (seconds < 172_800) return `${Math.round(seconds / 3600)} h`;
  return `${Math.round(seconds / 86_400)} days`;
}

export const releasePendingStatus = defineCheck<Gathered>({
  id: 'release-pending-status',
  description: 'The latest revision of the release: stuck in pending-install/upgrade/rollback, and for how long.',
  permissions: ['list secrets (labels owner=helm,name=<release>) in the release namespace'],
  async gather({ kube, facts, signal }) {
    const { release, namespace } = releaseFromFacts(facts);
    const history = await releaseHistory(kube, release, namespace, signal);
    return { release, namespace, latest: history.at(-1) ?? null };
  },
  judge({ release, namespace, latest }, _facts, now) {
    if (!latest) return { status: 'refuted', summary: `release ${release} has no revisions in ${namespace}`, evidence: [] };
    const since = latest.modifiedAt ?? latest.createdAt;
    const age = since !== undefined ? formatAge(now.getTime() / 1000 - since) : null;
    const evidence = [`${latest.object}: status ${latest.status}${age ? `, last changed ${age} ago` : ''}`];
    const learned = { latestRevision: String(latest.version), latestStatus: latest.status, ...(age ? { pendingFor: age } : {}) };
    if (isPending(latest.status)) {
      return { status: 'confirmed', summary: `release ${release} revision ${latest.version} ${age ? `has been ${latest.status} for ${age}` : `is ${latest.status}`}`, evidence, learned };
    }
    return { status: 'refuted', summary: `release ${release} revision ${latest.version} is ${latest.status}, not pending: retry the command`, evidence, learned };
  },
});
