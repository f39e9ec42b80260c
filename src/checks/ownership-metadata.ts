// "invalid ownership metadata": who does the conflicting object say it belongs to?
import { defineCheck } from './define.js';
import { MissingFactError } from './errors.js';
import { apiVersionOf, canonicalKind } from './refs.js';

export const RELEASE_NAME_ANNOTATION = 'meta.helm.sh/release-name';
export const RELEASE_NAMESPACE_ANNOTATION = 'meta.helm.sh/release-namespace';
export const MANAGED_BY_LABEL = 'app.kubernetes.io/managed-by';

export interface Gathered {
  kind: string;
  name: string;
  namespace: string | null;
  exists: boolean;
  releaseName: string | null;
  releaseNamespace: string | null;
  managedBy: string | null;
}

export const ownershipMetadata = defineCheck<Gathered>({
  id: 'ownership-metadata',
  description: "The conflicting object's Helm ownership annotations (meta.helm.sh/release-name, -namespace) and managed-by label.",
  permissions: ['get <the conflicting kind> in the release namespace'],
  async gather({ kube, facts, signal }) {
    const ref = facts.resource;
    if (!ref) throw new MissingFactError('resource', 'the error text names no conflicting object');
    const kind = canonicalKind(ref.kind);
    const apiVersion = apiVersionOf({ kind, apiVersion: ref.apiVersion });
    if (!apiVersion) throw new MissingFactError('resource', `the apiVersion of kind ${kind} is unknown`);
    const namespace = ref.namespace ?? facts.namespace ?? null;
    const obj = await kube.get(apiVersion, kind, ref.name, namespace ?? undefined, signal);
    const a = obj?.metadata?.annotations ?? {};
    const l = obj?.metadata?.labels ?? {};
    return {
      kind, name: ref.name, namespace, exists: obj !== null,
      releaseName: a[RELEASE_NAME_ANNOTATION] ?? null,
      releaseNamespace: a[RELEASE_NAMESPACE_ANNOTATION] ?? null,
      managedBy: l[MANAGED_BY_LABEL] ?? null,
    };
  },
  judge(g, facts) {
    const target = `${g.kind.toLowerCase()}/${g.name}${g.namespace ? ` -n ${g.namespace}` : ''}`;
    if (!g.exists) {
      return { status: 'refuted', summary: `${g.kind} ${g.name} no longer exists: re-run the Helm command`, evidence: [] };
    }
    const evidence = [
      `${RELEASE_NAME_ANNOTATION}: ${g.releaseName ?? '(missing)'}`,
      `${RELEASE_NAMESPACE_ANNOTATION}: ${g.releaseNamespace ?? '(missing)'}`,
      `label ${MANAGED_BY_LABEL}: ${g.managedBy ?? '(missing)'}`,
    ];
    const release = facts.release ?? '<release>';
    const releaseNs = facts.namespace ?? g.namespace ?? '<namespace>';
    const wrong = g.releaseName !== (facts.release ?? g.releaseName) || g.releaseNamespace !== releaseNs || g.releaseName === null || g.managedBy !== 'Helm';
    if (!wrong) {
      return { status: 'refuted', summary: `${g.kind} ${g.name} already belongs to release ${g.releaseName} in ${g.releaseNamespace}`, evidence };
    }
    const owner = g.releaseName ? `release ${g.releaseName} in ${g.releaseNamespace ?? '?'}` : 'no Helm release';
    evidence.push(
      `to adopt it: kubectl annotate ${target} ${RELEASE_NAME_ANNOTATION}=${release} ${RELEASE_NAMESPACE_ANNOTATION}=${releaseNs} --overwrite`,
      `and: kubectl label ${target} ${MANAGED_BY_LABEL}=Helm --overwrite`,
    );
    return {
      status: 'confirmed',
      summary: `${g.kind} ${g.name} belongs to ${owner}${g.managedBy ? ` (managed-by ${g.managedBy})` : ' (no managed-by label)'}, not to ${release}`,
      evidence,
      learned: { ownerRelease: g.releaseName ?? '', ownerNamespace: g.releaseNamespace ?? '' },
    };
  },
});
