// STUB (skeleton): the cluster-checks work replaces the body. Pure: text diagnosis + findings → verdict.
import type { Finding, Verdict } from '../checks/types.js';
import type { PlaybookSet } from '../playbooks/load.js';
import type { Diagnosis } from './types.js';

export function decideVerdict(diagnosis: Pick<Diagnosis, 'playbook' | 'confidence' | 'rootCause' | 'matches' | 'facts'>, findings: readonly Finding[], _playbooks?: PlaybookSet): Verdict {
  return {
    playbook: diagnosis.playbook,
    status: findings.length === 0 ? 'text-only' : 'inconclusive',
    confidence: diagnosis.confidence,
    summary: findings.map((f) => `${f.status}: ${f.summary}`).join('; '),
    rootCause: diagnosis.rootCause,
  };
}
