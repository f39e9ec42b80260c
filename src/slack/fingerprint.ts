// "The same failure": playbook plus the facts that identify the broken thing, never the raw text. Pure.
import { createHash } from 'node:crypto';
import type { Diagnosis } from '../triage/types.js';

export function failureFingerprint(diagnosis: Pick<Diagnosis, 'playbook' | 'facts'>): string {
  const f = diagnosis.facts;
  const parts = [
    diagnosis.playbook ?? '-',
    f.release ?? '-',
    f.namespace ?? '-',
    f.resource ? `${f.resource.kind}/${f.resource.namespace ?? ''}/${f.resource.name}` : '-',
    f.field ?? '-',
    f.webhook ?? '-',
  ];
  return createHash('sha256').update(parts.join('\u0000')).digest('base64url').slice(0, 22);
}
