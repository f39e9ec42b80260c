// The image the workload runs vs. the image the release manifest renders: equal and old means the
// release itself brings the old image back; different means someone changed it outside Helm.
import type { KubeObject } from '../kube/types.js';
import { defineCheck, type Judgement } from './define.js';
import { containerImages } from './fields.js';
import { manifestObjects, objectsOfKind } from './manifest.js';
import { currentRevision, readRelease, releaseFromFacts, releaseHistory } from './releases.js';
import { imageTag } from './version.js';

const WORKLOAD_KINDS = ['Deployment', 'StatefulSet', 'DaemonSet'];

export interface WorkloadImages {
  kind: string;
  name: string;
  manifest: string[];
  /** null when the live workload does not exist */
  live: string[] | null;
}

export interface Gathered {
  release: string;
  revision: number | null;
  workloads: WorkloadImages[];
}

/** The image tag the command asked for (`--set image.tag=16`, `--set postgresql.image.tag=16`). */
export function requestedTag(setValues: Record<string, string> | undefined): { path: string; value: string } | null {
  for (const [path, value] of Object.entries(setValues ?? {})) {
    if (/(^|\.)(image\.tag|imageTag|tag)$/i.test(path) && /^[\w][\w.-]{0,127}$/.test(value)) return { path, value };
  }
  return null;
}

const apiVersionOfKind = (o: KubeObject): string => o.apiVersion ?? 'apps/v1';

export const liveImage = defineCheck<Gathered>({
  id: 'live-image',
  description: "Live workload images against the images in the release's current manifest.",
  permissions: ['get deployments.apps, statefulsets.apps, daemonsets.apps', 'list secrets (Helm release records)'],
  async gather({ kube, facts, signal }) {
    const { release, namespace } = releaseFromFacts(facts);
    const history = await releaseHistory(kube, release, namespace, signal);
    const cur = currentRevision(history);
    const record = cur ? await readRelease(kube, cur, namespace, signal) : null;
    const objects = record ? objectsOfKind(manifestObjects(record.manifest), ...WORKLOAD_KINDS) : [];
    const workloads = await Promise.all(objects.map(async (o): Promise<WorkloadImages> => {
      const name = o.metadata?.name ?? '?';
      const live = await kube.get(apiVersionOfKind(o), o.kind ?? 'Deployment', name, o.metadata?.namespace ?? namespace, signal);
      return { kind: o.kind ?? '?', name, manifest: containerImages(o).map((c) => c.image), live: live ? containerImages(live).map((c) => c.image) : null };
    }));
    return { release, revision: record?.version ?? null, workloads };
  },
  judge({ release, revision, workloads }, facts): Judgement {
    if (revision === null) return { status: 'inconclusive', summary: `release ${release} has no readable revision`, evidence: [] };
    if (workloads.length === 0) return { status: 'inconclusive', summary: `revision ${revision}'s manifest has no Deployment/StatefulSet/DaemonSet`, evidence: [] };
    const evidence = workloads.map((w) => `${w.kind} ${w.name}: live ${w.live ? w.live.join(', ') : '(missing)'}; revision ${revision}'s manifest ${w.manifest.join(', ')}`);
    const drift = workloads.find((w) => w.live !== null && w.live.some((img) => !w.manifest.includes(img)));
    if (drift) {
      const live = drift.live?.find((img) => !drift.manifest.includes(img)) ?? '';
      return {
        status: 'confirmed',
        summary: `${drift.kind} ${drift.name} runs ${live} but revision ${revision}'s manifest says ${drift.manifest.join(', ')}: changed outside Helm, the next upgrade overrides it`,
        evidence,
        learned: { liveImage: live, manifestImage: drift.manifest[0] ?? '' },
      };
    }
    const first = workloads[0] as WorkloadImages;
    const learned = { liveImage: first.live?.[0] ?? '', manifestImage: first.manifest[0] ?? '' };
    const rendered = workloads.flatMap((w) => w.manifest);
    const renderedTags = rendered.map(imageTag);
    const requested = requestedTag(facts.setValues);
    if (requested) {
      if (!renderedTags.includes(requested.value)) {
        return { status: 'confirmed', summary: `revision ${revision}'s manifest renders ${rendered.join(', ')} (live too) although the command set ${requested.path}=${requested.value}: something overrides it in the release values`, evidence, learned };
      }
      return { status: 'refuted', summary: `revision ${revision}'s manifest renders tag ${requested.value} as the command asked, and the live workloads run it`, evidence, learned };
    }
    const reported = facts.image ? imageTag(facts.image) : null;
    if (reported) {
      const img = rendered.find((i) => imageTag(i) === reported);
      if (img) return { status: 'confirmed', summary: `revision ${revision}'s manifest itself renders ${img} (live too): the old image comes from the release values, not from a controller`, evidence, learned };
      return { status: 'refuted', summary: `neither the live workloads nor revision ${revision}'s manifest use tag ${reported}: the release does not bring it back`, evidence, learned };
    }
    return { status: 'inconclusive', summary: `live images match revision ${revision}'s manifest (${first.manifest.join(', ')})`, evidence, learned };
  },
});
