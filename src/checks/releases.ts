// The Helm release records the checks need, read straight from the cluster's Secrets/ConfigMaps.
// History comes from labels (no payload decoding); only the revisions a check asks for are decoded.
import { gunzipSync } from 'node:zlib';
import type { KubeObject, ReadOnlyKube } from '../kube/types.js';
import { ReleaseDecodeError } from '../kube/errors.js';
import { isRecord, str } from './fields.js';

export interface RevisionMeta {
  version: number;
  status: string;
  driver: 'Secret' | 'ConfigMap';
  /** e.g. sh.helm.release.v1.web.v4 */
  object: string;
  /** Unix seconds from Helm's createdAt / modifiedAt labels. */
  createdAt?: number;
  modifiedAt?: number;
  /** Bytes of the stored record as the API stores it (data.release). */
  size: number;
}

const PENDING = new Set(['pending-install', 'pending-upgrade', 'pending-rollback']);
export const isPending = (status: string): boolean => PENDING.has(status);

function meta(obj: KubeObject, driver: 'Secret' | 'ConfigMap'): RevisionMeta | null {
  const labels = obj.metadata?.labels ?? {};
  const version = Number(labels['version']);
  if (!Number.isInteger(version) || version < 1) return null;
  const data = str(obj, 'data.release') ?? '';
  // Secret data is base64 of what Helm wrote; a ConfigMap holds it as is.
  const size = driver === 'Secret' ? Math.floor((data.length * 3) / 4) : data.length;
  const seconds = (v: string | undefined): number | undefined => (v && /^\d+$/.test(v) ? Number(v) : undefined);
  const createdAt = seconds(labels['createdAt']);
  const modifiedAt = seconds(labels['modifiedAt']);
  return {
    version, status: labels['status'] ?? 'unknown', driver, object: obj.metadata?.name ?? `sh.helm.release.v1.?.v${version}`, size,
    ...(createdAt !== undefined ? { createdAt } : {}), ...(modifiedAt !== undefined ? { modifiedAt } : {}),
  };
}

/** Every revision of a release, oldest first (Secret driver, else ConfigMap driver). */
export async function releaseHistory(kube: ReadOnlyKube, release: string, namespace: string, signal: AbortSignal): Promise<RevisionMeta[]> {
  const labelSelector = `owner=helm,name=${release}`;
  for (const driver of ['Secret', 'ConfigMap'] as const) {
    const out: RevisionMeta[] = [];
    for await (const obj of kube.list('v1', driver, { namespace, labelSelector, signal })) {
      const m = meta(obj, driver);
      if (m) out.push(m);
    }
    if (out.length > 0) return out.sort((a, b) => a.version - b.version);
  }
  return [];
}

/** True when Helm holds a revision of this release that is not uninstalled. */
export async function releaseIsInstalled(kube: ReadOnlyKube, release: string, namespace: string, signal: AbortSignal): Promise<boolean> {
  const history = await releaseHistory(kube, release, namespace, signal);
  const latest = history.at(-1);
  return latest !== undefined && latest.status !== 'uninstalled' && latest.status !== 'uninstalling';
}

/** The revision the cluster runs now: the latest deployed one, else the latest of any status. */
export function currentRevision(history: readonly RevisionMeta[]): RevisionMeta | undefined {
  return [...history].reverse().find((r) => r.status === 'deployed') ?? history.at(-1);
}

/** The revision a rollback goes to: the one named, else the last good one before the current. */
export function rollbackTarget(history: readonly RevisionMeta[], named?: number): RevisionMeta | undefined {
  if (named !== undefined) return history.find((r) => r.version === named);
  const current = currentRevision(history);
  if (!current) return undefined;
  return [...history].reverse().find((r) => r.version < current.version && (r.status === 'deployed' || r.status === 'superseded'));
}

/** The decoded parts of one revision the checks read. Values are already redacted. */
export interface ReleaseRecord {
  name: string;
  namespace: string;
  version: number;
  status: string;
  description: string;
  config: Record<string, unknown>;
  manifest: string;
}

// TEMPORARY until src/kube/helm-releases.ts lands: the decoding below moves there.
const MAX_DECODED_BYTES = 32 * 1024 * 1024;

/** Reads and decodes one revision; null when its record is gone. */
export async function readRelease(kube: ReadOnlyKube, meta: RevisionMeta, namespace: string, signal: AbortSignal): Promise<ReleaseRecord | null> {
  const obj = await kube.get('v1', meta.driver, meta.object, namespace, signal);
  if (!obj) return null;
  const data = str(obj, 'data.release');
  if (!data) throw new ReleaseDecodeError(meta.object, 'it has no data.release');
  const inner = meta.driver === 'Secret' ? Buffer.from(data, 'base64').toString('utf8') : data;
  let bytes = Buffer.from(inner, 'base64');
  if (bytes.length > 3 && bytes[0] === 0x1f && bytes[1] === 0x8b && bytes[2] === 0x08) bytes = gunzipSync(bytes, { maxOutputLength: MAX_DECODED_BYTES });
  const json: unknown = JSON.parse(bytes.toString('utf8'));
  if (!isRecord(json)) throw new ReleaseDecodeError(meta.object, 'the payload is not a JSON object');
  return {
    name: str(json, 'name') ?? '',
    namespace: str(json, 'namespace') ?? namespace,
    version: typeof json['version'] === 'number' ? json['version'] : meta.version,
    status: str(json, 'info.status') ?? meta.status,
    description: str(json, 'info.description') ?? '',
    config: isRecord(json['config']) ? json['config'] : {},
    manifest: str(json, 'manifest') ?? '',
  };
}
