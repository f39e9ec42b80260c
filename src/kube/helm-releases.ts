// Helm release records read straight from the cluster (Secret or ConfigMap driver), the way Helm
// itself finds them: label selector `owner=helm,name=<release>` in the release namespace. History
// comes from labels alone (metadata-only list); only the revisions a check needs are decoded.
import { UsageError } from '../errors.js';
import { KubeForbiddenError, ReleaseDecodeError } from './errors.js';
import { decodeReleasePayload, toHelmRelease, type DecodeOptions, type HelmDriver, type HelmRelease } from './helm-release-codec.js';
import type { KubeObject, ReadOnlyKube } from './types.js';

export type { HelmDriver, HelmRelease } from './helm-release-codec.js';

export interface HelmRevision {
  release: string;
  namespace: string;
  revision: number;
  /** From the `status` label: deployed, superseded, failed, pending-upgrade… */
  status: string;
  objectName: string;
  driver: HelmDriver;
  /** From the `createdAt` / `modifiedAt` labels (unix seconds). */
  createdAt?: Date;
  modifiedAt?: Date;
}

export interface HelmReleasesOptions {
  /** `auto` (default) reads Secrets and falls back to ConfigMaps when a release has none. */
  driver?: HelmDriver | 'auto';
  decode?: DecodeOptions;
}

export const HELM_SECRET_TYPE = 'helm.sh/release.v1';

/** Labels Helm's storage drivers set themselves (pkg/storage/driver/labels.go); others came from `--labels`. */
const HELM_SYSTEM_LABELS = new Set(['name', 'owner', 'status', 'version', 'createdAt', 'modifiedAt']);

/** Helm's storage key: `sh.helm.release.v1.<release>.v<revision>`. */
export function releaseObjectName(release: string, revision: number): string {
  return `sh.helm.release.v1.${release}.v${revision}`;
}

// Helm's own rule (pkg/chartutil ValidateReleaseName); the name comes from pasted text, so it
// must never widen the label selector (`x,owner!=helm`).
const RELEASE_NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

export function assertReleaseName(release: string): void {
  if (release.length > 53 || !RELEASE_NAME.test(release)) {
    throw new UsageError(`"${release.slice(0, 60)}" is not a valid Helm release name (lowercase letters, digits, - and ., at most 53 characters)`);
  }
}

function labelDate(v: string | undefined): Date | undefined {
  const n = v ? Number(v) : NaN;
  return Number.isFinite(n) && n > 0 ? new Date(n * 1000) : undefined;
}

function toRevision(obj: KubeObject, driver: HelmDriver, namespace: string): HelmRevision | undefined {
  const labels = obj.metadata?.labels ?? {};
  const revision = Number(labels.version);
  const release = labels.name;
  if (!release || !Number.isInteger(revision) || revision < 1 || !obj.metadata?.name) return undefined;
  const createdAt = labelDate(labels.createdAt);
  const modifiedAt = labelDate(labels.modifiedAt);
  return {
    release,
    namespace: obj.metadata.namespace ?? namespace,
    revision,
    status: labels.status ?? 'unknown',
    objectName: obj.metadata.name,
    driver,
    ...(createdAt ? { createdAt } : {}),
    ...(modifiedAt ? { modifiedAt } : {}),
  };
}

function kindOf(driver: HelmDriver): 'Secret' | 'ConfigMap' {
  return driver === 'secret' ? 'Secret' : 'ConfigMap';
}

export class HelmReleases {
  private readonly drivers: HelmDriver[];

  constructor(
    private readonly kube: ReadOnlyKube,
    private readonly options: HelmReleasesOptions = {},
  ) {
    const d = options.driver ?? 'auto';
    this.drivers = d === 'auto' ? ['secret', 'configmap'] : [d];
  }

  /** Every revision of a release, oldest first, from labels only (no payload is read or decoded). */
  async history(release: string, namespace: string, signal?: AbortSignal): Promise<HelmRevision[]> {
    assertReleaseName(release);
    const found = await this.eachDriver(async (driver) => {
      const revisions: HelmRevision[] = [];
      const items = this.kube.list('v1', kindOf(driver), {
        namespace,
        labelSelector: `owner=helm,name=${release}`,
        metadataOnly: true,
        pageSize: 100,
        ...(signal ? { signal } : {}),
      });
      for await (const obj of items) {
        const rev = toRevision(obj, driver, namespace);
        if (rev && rev.release === release) revisions.push(rev);
      }
      return revisions.length > 0 ? revisions : undefined;
    }, this.drivers);
    // Sort by number, never by object name: `v10` sorts before `v9` as a string.
    return (found ?? []).sort((a, b) => a.revision - b.revision);
  }

  /**
   * Tries each storage driver in turn. A driver we may not read (403: e.g. the chart's ConfigMap-driver
   * mode grants no Secret access) is skipped while another may hold the release. When nothing was
   * found and a driver was forbidden, the 403 surfaces: "absent" would be a guess, and the check
   * should name the missing permission instead.
   */
  private async eachDriver<T>(attempt: (driver: HelmDriver) => Promise<T | undefined>, drivers: readonly HelmDriver[]): Promise<T | undefined> {
    let forbidden: KubeForbiddenError | undefined;
    for (const driver of drivers) {
      try {
        const result = await attempt(driver);
        if (result !== undefined) return result;
      } catch (err) {
        if (!(err instanceof KubeForbiddenError)) throw err;
        forbidden ??= err;
      }
    }
    if (forbidden) throw forbidden;
    return undefined;
  }

  /** One revision, decoded; null when it does not exist (pruned by --history-max, or never made). */
  async revision(release: string, namespace: string, revision: number, signal?: AbortSignal, driverHint?: HelmDriver): Promise<HelmRelease | null> {
    assertReleaseName(release);
    const objectName = releaseObjectName(release, revision);
    const drivers = driverHint ? [driverHint] : this.drivers;
    const obj = await this.eachDriver(async (driver) => {
      const found = await this.kube.get('v1', kindOf(driver), objectName, namespace, signal);
      return found ? { found, driver } : undefined;
    }, drivers);
    return obj ? this.decode(obj.found, obj.driver, namespace) : null;
  }

  /** The newest revision, decoded; null when the release has none. */
  async latest(release: string, namespace: string, signal?: AbortSignal): Promise<HelmRelease | null> {
    const newest = (await this.history(release, namespace, signal)).at(-1);
    return newest ? this.revision(release, namespace, newest.revision, signal, newest.driver) : null;
  }

  /** A Helm storage Secret/ConfigMap → its decoded, redacted release. */
  decode(obj: KubeObject, driver: HelmDriver, namespace: string): HelmRelease {
    const objectName = obj.metadata?.name ?? '(unnamed)';
    if (driver === 'secret' && obj.type !== undefined && obj.type !== HELM_SECRET_TYPE) {
      throw new ReleaseDecodeError(objectName, `the Secret has type ${String(obj.type)}, not ${HELM_SECRET_TYPE}`);
    }
    const data = obj.data;
    const payload = data && typeof data === 'object' && 'release' in data ? (data as { release?: unknown }).release : undefined;
    if (typeof payload !== 'string' || payload === '') throw new ReleaseDecodeError(objectName, 'it has no data.release');
    const json = decodeReleasePayload(payload, driver, objectName, this.options.decode);
    const labels = Object.fromEntries(Object.entries(obj.metadata?.labels ?? {}).filter(([k]) => !HELM_SYSTEM_LABELS.has(k)));
    return toHelmRelease(json, { driver, objectName, namespace: obj.metadata?.namespace ?? namespace, labels }, this.options.decode);
  }
}
