// "no matches for kind X in version Y": does the cluster serve that group/version (and kind)?
import { defineCheck } from './define.js';
import { MissingFactError } from './errors.js';

export interface Gathered {
  groupVersion: string;
  kind: string | null;
  served: boolean;
  /** Whether the group/version alone is served, when the kind is not. */
  groupVersionServed: boolean;
}

export const apiServed = defineCheck<Gathered>({
  id: 'api-served',
  description: 'API discovery: is the apiVersion (and kind) from the error served by this cluster?',
  permissions: ['get /api, /apis (discovery; every authenticated user has it)'],
  async gather({ kube, facts, signal }) {
    const groupVersion = facts.apiVersion;
    if (!groupVersion) throw new MissingFactError('apiVersion', 'the error text names no apiVersion');
    const kind = facts.kind ?? facts.resource?.kind ?? null;
    const groupVersionServed = await kube.serves(groupVersion, undefined, signal);
    const served = kind && groupVersionServed ? await kube.serves(groupVersion, kind, signal) : groupVersionServed;
    return { groupVersion, kind, served, groupVersionServed };
  },
  judge({ groupVersion, kind, served, groupVersionServed }) {
    const what = kind ? `${kind} in ${groupVersion}` : groupVersion;
    const evidence = [`discovery: ${groupVersion} ${groupVersionServed ? 'served' : 'not served'}${kind && groupVersionServed ? `, kind ${kind} ${served ? 'served' : 'not served'}` : ''}`];
    if (served) return { status: 'refuted', summary: `the cluster serves ${what}: the error came from somewhere else (stale discovery cache, other cluster?)`, evidence };
    return { status: 'confirmed', summary: `the cluster does not serve ${what}`, evidence, learned: { apiServed: 'false' } };
  },
});
