// The controller version decides whether its Service webhook also runs on UPDATE (fixed in v2.8.0).
import { defineCheck } from './define.js';
import { containerImages } from './fields.js';
import { compareVersions, formatVersion, imageTag, parseVersion, type Version } from './version.js';

export const AWS_LBC_FIXED: Version = { major: 2, minor: 8, patch: 0 };
const NAME = 'aws-load-balancer-controller';

export interface Gathered {
  /** Deployments found, as namespace/name with their controller image. */
  deployments: Array<{ namespace: string; name: string; image: string }>;
}

export const awsLbcVersion = defineCheck<Gathered>({
  id: 'aws-lbc-version',
  description: `The ${NAME} Deployment's image tag (its Service webhook handles UPDATE from v2.8.0).`,
  permissions: ['get deployments.apps in namespace kube-system', 'list deployments.apps (cluster-wide)'],
  async gather({ kube, signal }) {
    const found = [];
    const direct = await kube.get('apps/v1', 'Deployment', NAME, 'kube-system', signal);
    if (direct) found.push(direct);
    else {
      for await (const d of kube.list('apps/v1', 'Deployment', { labelSelector: `app.kubernetes.io/name=${NAME}`, signal })) found.push(d);
    }
    const deployments = found.map((d) => {
      const images = containerImages(d);
      const image = images.find((i) => i.image.includes(NAME))?.image ?? images[0]?.image ?? '';
      return { namespace: d.metadata?.namespace ?? '?', name: d.metadata?.name ?? '?', image };
    });
    return { deployments };
  },
  judge({ deployments }) {
    const first = deployments[0];
    if (!first) {
      return { status: 'refuted', summary: `no ${NAME} Deployment found (kube-system, or by label app.kubernetes.io/name=${NAME})`, evidence: [] };
    }
    const evidence = deployments.map((d) => `${d.namespace}/${d.name}: image ${d.image || '(none)'}`);
    const tag = imageTag(first.image);
    const version = tag ? parseVersion(tag) : null;
    if (!tag || !version) {
      return { status: 'inconclusive', summary: `${NAME} image ${first.image || '(none)'} carries no version tag`, evidence };
    }
    const learned = { awsLbcImage: first.image, awsLbcVersion: tag };
    if (compareVersions(version, AWS_LBC_FIXED) < 0) {
      return { status: 'confirmed', summary: `${NAME} image ${tag} (< v${formatVersion(AWS_LBC_FIXED)})`, evidence, learned };
    }
    return { status: 'refuted', summary: `${NAME} image ${tag} (≥ v${formatVersion(AWS_LBC_FIXED)}: its webhook handles UPDATE)`, evidence, learned };
  },
});
