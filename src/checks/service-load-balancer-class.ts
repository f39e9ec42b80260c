// spec.loadBalancerClass is set-once: if the live Service carries a class the rollback target's
// manifest lacks (or differs from), replacing the Service is rejected.
import { defineCheck, type Judgement } from './define.js';
import { MissingFactError } from './errors.js';
import { str } from './fields.js';
import { findObject, manifestObjects } from './manifest.js';
import { readRevisionPair } from './revision-pair.js';

export interface ServiceClass {
  name: string;
  /** undefined when the live Service does not exist */
  live: string | null | undefined;
  /** undefined when the target manifest has no such Service */
  target: string | null | undefined;
}

export interface Gathered {
  release: string;
  targetRevision: number | null;
  services: ServiceClass[];
}

export const serviceLoadBalancerClass = defineCheck<Gathered>({
  id: 'service-load-balancer-class',
  decisive: true,
  description: "The live Service's spec.loadBalancerClass against the rollback target revision's manifest.",
  permissions: ['get services', 'list secrets (Helm release records) in the release namespace'],
  async gather({ kube, facts, signal }) {
    const pair = await readRevisionPair(kube, facts, signal);
    const namespace = pair.namespace;
    const targetObjects = pair.target ? manifestObjects(pair.target.manifest) : [];
    const named = facts.resource?.kind === 'Service' ? [facts.resource.name] : [];
    const names = named.length > 0
      ? named
      : targetObjects.filter((o) => o.kind === 'Service' && str(o, 'spec.type') === 'LoadBalancer').map((o) => o.metadata?.name ?? '');
    if (names.length === 0 && !pair.target) throw new MissingFactError('resource', 'no Service is named and no rollback target revision was found');
    const services = await Promise.all(names.filter(Boolean).map(async (name): Promise<ServiceClass> => {
      const live = await kube.get('v1', 'Service', name, namespace, signal);
      const inTarget = findObject(targetObjects, 'Service', name);
      return {
        name,
        live: live ? (str(live, 'spec.loadBalancerClass') ?? null) : undefined,
        target: pair.target ? (inTarget ? (str(inTarget, 'spec.loadBalancerClass') ?? null) : undefined) : undefined,
      };
    }));
    return { release: pair.release, targetRevision: pair.target?.version ?? null, services };
  },
  judge({ targetRevision, services }): Judgement {
    if (targetRevision === null) return { status: 'inconclusive', summary: 'no rollback target revision in the release history', evidence: [] };
    if (services.length === 0) return { status: 'inconclusive', summary: `revision ${targetRevision}'s manifest has no LoadBalancer Service`, evidence: [] };
    const show = (v: string | null | undefined, absent: string): string => (v === undefined ? absent : v === null ? 'none' : v);
    const evidence = services.map((s) => `Service ${s.name}: live loadBalancerClass ${show(s.live, '(no live Service)')}, revision ${targetRevision}'s manifest ${show(s.target, '(not in manifest)')}`);
    const clash = services.find((s) => typeof s.live === 'string' && s.target !== undefined && s.target !== s.live);
    if (clash) {
      const target = clash.target === null ? 'has none' : `has ${clash.target}`;
      return {
        status: 'confirmed',
        summary: `Service ${clash.name} has loadBalancerClass ${clash.live as string}, revision ${targetRevision}'s manifest ${target}`,
        evidence,
        learned: { service: clash.name, liveLoadBalancerClass: clash.live as string, targetRevision: String(targetRevision) },
      };
    }
    const first = services[0] as ServiceClass;
    const why = first.live === undefined ? `Service ${first.name} does not exist live` : first.live === null ? `Service ${first.name} has no loadBalancerClass` : `Service ${first.name}'s loadBalancerClass ${first.live} matches revision ${targetRevision}'s manifest`;
    return { status: 'refuted', summary: `${why}: the rollback does not change loadBalancerClass`, evidence };
  },
});
