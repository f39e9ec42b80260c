// The release's revisions and their statuses; the description of the latest failed revision is the
// error Helm itself recorded, whatever noise the command printed around it.
import { defineCheck, type Judgement } from './define.js';
import { FAILED_REVISION_LOOKBACK, latestFailedRevision, readRelease, releaseFromFacts, releaseHistory, type RevisionMeta } from './releases.js';

export const HISTORY_SHOWN = 10;

export interface Gathered {
  release: string;
  namespace: string;
  history: RevisionMeta[];
  /** The latest failed or pending revision within FAILED_REVISION_LOOKBACK, decoded for its description. */
  failed: { version: number; status: string; description: string } | null;
}

export const releaseHistoryCheck = defineCheck<Gathered>({
  id: 'release-history',
  description: 'Revisions and statuses of the release; the recorded description of the latest failed one (the real error).',
  permissions: ['list secrets (labels owner=helm,name=<release>) in the release namespace'],
  async gather({ kube, facts, signal }) {
    const { release, namespace } = releaseFromFacts(facts);
    const history = await releaseHistory(kube, release, namespace, signal);
    const bad = latestFailedRevision(history);
    const record = bad ? await readRelease(kube, bad, namespace, signal) : null;
    return {
      release,
      namespace,
      history,
      failed: bad ? { version: bad.version, status: bad.status, description: record?.description ?? '' } : null,
    };
  },
  judge({ release, namespace, history, failed }): Judgement {
    if (history.length === 0) {
      return { status: 'inconclusive', summary: `release ${release} has no revisions in namespace ${namespace} (wrong namespace, or never installed)`, evidence: [] };
    }
    const evidence = history.slice(-HISTORY_SHOWN).map((r) => `revision ${r.version}: ${r.status}`);
    const deployed = history.filter((r) => r.status === 'deployed').map((r) => r.version);
    const learned: Record<string, string> = {
      latestRevision: String(history.at(-1)?.version ?? ''),
      latestStatus: history.at(-1)?.status ?? '',
      deployedRevision: deployed.length > 0 ? String(deployed.at(-1)) : 'none',
    };
    if (!failed) {
      // Older failures are outside the lookback (see latestFailedRevision): say so rather than claim none exist.
      const where = history.length > FAILED_REVISION_LOOKBACK ? `in the latest ${FAILED_REVISION_LOOKBACK}` : 'recorded';
      return { status: 'refuted', summary: `release ${release}: no failed or pending revision ${where} (latest ${learned['latestRevision']} is ${learned['latestStatus']})`, evidence, learned };
    }
    learned['failedRevision'] = String(failed.version);
    learned['failedStatus'] = failed.status;
    if (failed.description) learned['failedDescription'] = failed.description;
    const said = failed.description ? `: ${failed.description}` : '';
    return { status: 'confirmed', summary: `release ${release} revision ${failed.version} (${failed.status})${said}`, evidence, learned };
  },
});
