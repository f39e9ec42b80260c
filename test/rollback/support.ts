// Builds the planner's pure inputs from readable YAML: two manifests, the live objects, the rest as given.
import { parse as parseYaml } from 'yaml';
import type { KubeObject } from '../../src/kube/types.js';
import { diffRevisions, type RevisionSide } from '../../src/rollback/diff.js';
import { identity, isClusterScoped, manifestObjects } from '../../src/rollback/objects.js';
import type { PlanFacts } from '../../src/rollback/predict.js';

export const NS = 'shop';
export const RELEASE = 'web';

export interface FactsInput {
  current: string;
  target: string;
  /** Live objects as YAML documents (a list); namespace defaults to the release's. */
  live?: string;
  /** Identities (`group/Kind/ns/name`) whose live state was not read. */
  unread?: string[];
  currentConfig?: Record<string, unknown>;
  targetConfig?: Record<string, unknown>;
  serverVersion?: string | null;
  force?: boolean;
  lbc?: PlanFacts['lbc'];
  apis?: PlanFacts['apis'];
}

export function side(revision: number, manifest: string, config: Record<string, unknown> = {}): RevisionSide {
  return { revision, chart: `web-1.${revision}.0`, config, objects: manifestObjects(manifest, NS) };
}

/** Revision 5 is current, revision 3 the target. Objects of either manifest absent from `live` are absent live. */
export function planFacts(input: FactsInput): PlanFacts {
  const current = side(5, input.current, input.currentConfig);
  const target = side(3, input.target, input.targetConfig);
  const live = new Map<string, KubeObject | null>();
  for (const o of [...current.objects, ...target.objects]) live.set(o.id, null);
  const docs = input.live ? (parseYaml(input.live) as KubeObject[]) : [];
  for (const d of docs) {
    const namespace = isClusterScoped(d.apiVersion ?? '', d.kind ?? '') ? '' : (d.metadata?.namespace ?? NS);
    live.set(identity({ apiVersion: d.apiVersion ?? '', kind: d.kind ?? '', namespace, name: d.metadata?.name ?? '' }), d);
  }
  for (const id of input.unread ?? []) live.delete(id);
  return {
    release: RELEASE,
    namespace: NS,
    force: input.force ?? false,
    current,
    target,
    diff: diffRevisions(current, target),
    serverVersion: input.serverVersion === undefined ? 'v1.30.4' : input.serverVersion,
    live,
    lbc: input.lbc ?? null,
    apis: input.apis ?? [],
  };
}

/** Helm's ownership annotations of this release, for live objects. */
export const OWNED = `annotations: { meta.helm.sh/release-name: ${RELEASE}, meta.helm.sh/release-namespace: ${NS} }`;
