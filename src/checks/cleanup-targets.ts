// "… not found, skipping delete" lines are cleanup noise when the objects never existed; objects that
// exist in the target revision but not the current one are patched instead of created.
import type { ResourceRef } from '../triage/types.js';
import { defineCheck, type Judgement } from './define.js';
import { manifestObjects } from './manifest.js';
import { apiVersionOf, canonicalKind, describeRef } from './refs.js';
import { readRevisionPair } from './revision-pair.js';

export const MAX_NAMED = 20;

export interface Presence {
  ref: ResourceRef;
  /** null when the kind could not be looked up */
  exists: boolean | null;
}

export interface Gathered {
  currentRevision: number | null;
  targetRevision: number | null;
  /** Resources named in the error text (the "skipping delete" ones). */
  named: Presence[];
  /** In the target revision's manifest, not in the current one's. */
  targetOnly: Presence[];
}

export const cleanupTargets = defineCheck<Gathered>({
  id: 'cleanup-targets',
  decisive: true,
  description: "Whether the resources from \"not found, skipping delete\" lines exist, and which target-revision resources are missing from the current revision.",
  permissions: ['get the named kinds in the release namespace', 'list secrets (Helm release records)'],
  async gather({ kube, facts, signal }) {
    const pair = await readRevisionPair(kube, facts, signal);
    const key = (o: { kind?: string; name?: string }): string => `${o.kind}/${o.name}`;
    const current = pair.current ? manifestObjects(pair.current.manifest) : [];
    const target = pair.target ? manifestObjects(pair.target.manifest) : [];
    const inCurrent = new Set(current.map((o) => key({ kind: o.kind, name: o.metadata?.name })));
    const targetOnlyRefs: ResourceRef[] = pair.current
      ? target.filter((o) => !inCurrent.has(key({ kind: o.kind, name: o.metadata?.name }))).map((o) => ({
          kind: o.kind ?? '?', name: o.metadata?.name ?? '?', ...(o.apiVersion ? { apiVersion: o.apiVersion } : {}),
        }))
      : [];
    const presence = async (ref: ResourceRef): Promise<Presence> => {
      const kind = canonicalKind(ref.kind);
      const apiVersion = apiVersionOf({ kind, apiVersion: ref.apiVersion });
      if (!apiVersion) return { ref, exists: null };
      const obj = await kube.get(apiVersion, kind, ref.name, ref.namespace ?? pair.namespace, signal);
      return { ref: { ...ref, kind }, exists: obj !== null };
    };
    const named = await Promise.all((facts.resources ?? []).slice(0, MAX_NAMED).map(presence));
    const targetOnly = await Promise.all(targetOnlyRefs.slice(0, MAX_NAMED).map(presence));
    return { currentRevision: pair.current?.version ?? null, targetRevision: pair.target?.version ?? null, named, targetOnly };
  },
  judge({ currentRevision, targetRevision, named, targetOnly }): Judgement {
    const absent = named.filter((p) => p.exists === false);
    const present = named.filter((p) => p.exists === true);
    const patched = targetOnly.filter((p) => p.exists === true);
    const evidence = [
      ...named.map((p) => `${describeRef(p.ref)}: ${p.exists === null ? 'kind unknown' : p.exists ? 'exists' : 'does not exist'}`),
      ...patched.map((p) => `${describeRef(p.ref)} exists, is in revision ${targetRevision} but not in revision ${currentRevision}: Helm patches it instead of creating it`),
    ];
    const learned: Record<string, string> = { absentNamed: String(absent.length), patchedInsteadOfCreated: patched.map((p) => describeRef(p.ref)).join(', ') };
    if (named.length > 0 && present.length === 0 && absent.length > 0) {
      const extra = patched.length > 0 ? `; ${patched.length} object(s) of revision ${targetRevision} already exist and get patched` : '';
      return {
        status: 'confirmed',
        summary: `all ${absent.length} object(s) from the "skipping delete" lines are absent: the cleanup had nothing to delete, the real error came first${extra}`,
        evidence,
        learned,
      };
    }
    if (patched.length > 0) {
      return { status: 'confirmed', summary: `${patched.length} object(s) exist that are only in revision ${targetRevision}: Helm patches them instead of creating them (e.g. ${describeRef((patched[0] as Presence).ref)})`, evidence, learned };
    }
    if (present.length > 0) {
      return { status: 'refuted', summary: `${present.length} of the objects from the "skipping delete" lines exist: these messages are not just noise`, evidence, learned };
    }
    return { status: 'inconclusive', summary: 'no objects named in "skipping delete" lines and no revision difference to check', evidence, learned };
  },
});
