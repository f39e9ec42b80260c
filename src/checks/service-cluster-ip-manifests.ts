// Charts that copy clusterIP/clusterIPs/ipFamilies from the live Service via `lookup` put them in the
// new revision only; rolling back then patches them to null, which 1.21 rejects.
import { defineCheck, type Judgement } from './define.js';
import { at } from './fields.js';
import { findObject, manifestObjects } from './manifest.js';
import { readRevisionPair } from './revision-pair.js';
import type { KubeObject } from '../kube/types.js';

export const IMMUTABLE_SERVICE_FIELDS = ['clusterIP', 'clusterIPs', 'ipFamilies', 'ipFamilyPolicy'] as const;

export type FieldValues = Partial<Record<(typeof IMMUTABLE_SERVICE_FIELDS)[number], string>>;

export interface ServiceFields {
  name: string;
  current: FieldValues;
  target: FieldValues | null;
  live: FieldValues | null;
}

export interface Gathered {
  release: string;
  currentRevision: number | null;
  targetRevision: number | null;
  services: ServiceFields[];
}

export function serviceFields(obj: KubeObject | undefined | null): FieldValues {
  const out: FieldValues = {};
  if (!obj) return out;
  for (const f of IMMUTABLE_SERVICE_FIELDS) {
    const v = at(obj, `spec.${f}`);
    if (typeof v === 'string' && v !== '') out[f] = v;
    else if (Array.isArray(v) && v.length > 0) out[f] = v.map(String).join(',');
  }
  return out;
}

export const serviceClusterIpManifests = defineCheck<Gathered>({
  id: 'service-cluster-ip-manifests',
  decisive: true,
  description: 'clusterIP/clusterIPs/ipFamilies in the current vs. the rollback target revision manifests, and on the live Service.',
  permissions: ['get services', 'list secrets (Helm release records) in the release namespace'],
  async gather({ kube, facts, signal }) {
    const pair = await readRevisionPair(kube, facts, signal);
    const current = pair.current ? manifestObjects(pair.current.manifest) : [];
    const target = pair.target ? manifestObjects(pair.target.manifest) : [];
    const names = facts.resource?.kind === 'Service'
      ? [facts.resource.name]
      : [...new Set([...current, ...target].filter((o) => o.kind === 'Service').map((o) => o.metadata?.name ?? ''))].filter(Boolean);
    const services = await Promise.all(names.map(async (name): Promise<ServiceFields> => {
      const live = await kube.get('v1', 'Service', name, pair.namespace, signal);
      return {
        name,
        current: serviceFields(findObject(current, 'Service', name)),
        target: pair.target ? serviceFields(findObject(target, 'Service', name)) : null,
        live: live ? serviceFields(live) : null,
      };
    }));
    return { release: pair.release, currentRevision: pair.current?.version ?? null, targetRevision: pair.target?.version ?? null, services };
  },
  judge({ currentRevision, targetRevision, services }): Judgement {
    if (currentRevision === null || targetRevision === null || services.length === 0) {
      return { status: 'inconclusive', summary: 'cannot compare: the release history has no current and target revision with a Service', evidence: [] };
    }
    const fmt = (v: FieldValues | null): string => (v === null ? '(no Service)' : Object.keys(v).length === 0 ? 'none' : Object.entries(v).map(([k, x]) => `${k}=${x}`).join(' '));
    const evidence = services.map((s) => `Service ${s.name}: revision ${currentRevision} ${fmt(s.current)}; revision ${targetRevision} ${fmt(s.target)}; live ${fmt(s.live)}`);
    for (const s of services) {
      const unset = IMMUTABLE_SERVICE_FIELDS.filter((f) => s.current[f] !== undefined && s.target?.[f] === undefined);
      if (unset.length === 0) continue;
      const fromLive = unset.every((f) => s.live?.[f] !== undefined && s.live[f] === s.current[f]);
      const copied = fromLive ? ' (the live values: templated with lookup)' : '';
      return {
        status: 'confirmed',
        summary: `Service ${s.name}: revision ${currentRevision}'s manifest sets ${unset.join(', ')}${copied}, revision ${targetRevision}'s does not: the rollback unsets them`,
        evidence,
        learned: { service: s.name, unsetFields: unset.join(','), ...(s.current.clusterIP ? { clusterIP: s.current.clusterIP } : {}) },
      };
    }
    return { status: 'refuted', summary: `no Service field is set in revision ${currentRevision} but missing in revision ${targetRevision}: the rollback unsets no immutable field`, evidence };
  },
});
