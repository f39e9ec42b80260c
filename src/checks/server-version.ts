// Kubernetes 1.21.x rejects a patch that nulls clusterIP/clusterIPs/ipFamilies; 1.22 accepts it.
import { defineCheck } from './define.js';
import { parseVersion } from './version.js';

export interface Gathered {
  gitVersion: string;
}

export const serverVersion = defineCheck<Gathered>({
  id: 'server-version',
  description: 'The API server version (/version): 1.21.x has the clusterIP-unset rollback bug, 1.22+ does not.',
  permissions: ['get /version (nonResourceURL)'],
  async gather({ kube, signal }) {
    const v = await kube.version(signal);
    return { gitVersion: v.gitVersion || `v${v.major}.${v.minor.replace(/\D+$/, '')}` };
  },
  judge({ gitVersion }) {
    const v = parseVersion(gitVersion);
    const learned = { serverVersion: gitVersion };
    if (!v) return { status: 'inconclusive', summary: `server version "${gitVersion}" is not a version`, evidence: [], learned };
    const evidence = [`GET /version: ${gitVersion}`];
    if (v.major === 1 && v.minor === 21) {
      return { status: 'confirmed', summary: `server ${gitVersion} (1.21.x rejects unsetting clusterIP on rollback)`, evidence, learned };
    }
    if (v.major > 1 || v.minor >= 22) {
      return { status: 'refuted', summary: `server ${gitVersion} (≥ 1.22 accepts unsetting clusterIP; the 1.21 bug does not apply)`, evidence, learned };
    }
    return { status: 'inconclusive', summary: `server ${gitVersion} predates dual-stack Service fields; the 1.21 bug does not describe it`, evidence, learned };
  },
});
