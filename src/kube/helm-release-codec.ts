// Helm's release storage encoding (helm pkg/storage/driver/util.go), decoded defensively: the
// payload is untrusted, so sizes are capped before and after gunzip.
import { gunzipSync } from 'node:zlib';
import { ReleaseDecodeError } from './errors.js';
import { redactManifestSecrets } from './helm-manifest.js';
import { REDACTED, redactFreeText, redactValues, type StringRedactor } from './redact-values.js';

export type HelmDriver = 'secret' | 'configmap';

/** Decompressed JSON larger than this is refused (Helm's own records are far smaller). */
export const DEFAULT_MAX_DECODED_BYTES = 32 * 1024 * 1024;

export interface DecodeOptions {
  maxDecodedBytes?: number;
  /** Replaces the text redactor (tests); values are always redacted. */
  redactString?: StringRedactor;
}

const GZIP_MAGIC = [0x1f, 0x8b, 0x08];

/** `data.release` → the release JSON value. Secret: base64 twice; ConfigMap: base64 once. */
export function decodeReleasePayload(value: string, driver: HelmDriver, objectName: string, options: DecodeOptions = {}): unknown {
  const max = options.maxDecodedBytes ?? DEFAULT_MAX_DECODED_BYTES;
  // base64 is 4/3 of its bytes; anything longer than the cap allows can be refused unread.
  if (value.length > Math.ceil((max * 4) / 3) * (driver === 'secret' ? 2 : 1) + 16) {
    throw new ReleaseDecodeError(objectName, `the stored payload exceeds the ${max}-byte limit`);
  }
  const helmBase64 = driver === 'secret' ? Buffer.from(value, 'base64').toString('latin1') : value;
  let bytes = Buffer.from(helmBase64, 'base64');
  if (bytes.length > 3 && GZIP_MAGIC.every((b, i) => bytes[i] === b)) {
    try {
      bytes = gunzipSync(bytes, { maxOutputLength: max });
    } catch (err) {
      const tooLarge = err instanceof RangeError || (err instanceof Error && /ERR_BUFFER_TOO_LARGE|larger than/i.test(`${(err as { code?: string }).code ?? ''} ${err.message}`));
      throw new ReleaseDecodeError(objectName, tooLarge ? `it decompresses to more than ${max} bytes` : 'the gzip data is corrupt', { cause: err });
    }
  } else if (bytes.length > max) {
    throw new ReleaseDecodeError(objectName, `the stored payload exceeds the ${max}-byte limit`);
  }
  try {
    return JSON.parse(bytes.toString('utf8')) as unknown;
  } catch (err) {
    throw new ReleaseDecodeError(objectName, 'the payload is not Helm release JSON (wrong driver, or not a Helm record)', { cause: err });
  }
}

// Tolerant of Helm 3 and 4 shapes: every field but name and version optional, unknown fields ignored. A plain
// shape check rather than a zod schema: this runs on every `--check`, and importing zod costs ~70 ms of start-up.
type Maybe<T> = T | null | undefined;
interface ReleaseJson {
  name: string;
  namespace?: Maybe<string>;
  version: number;
  info?: Maybe<{ status?: Maybe<string>; description?: Maybe<string>; first_deployed?: Maybe<string>; last_deployed?: Maybe<string>; deleted?: Maybe<string>; notes?: Maybe<string> }>;
  chart?: Maybe<{ metadata?: Maybe<{ name?: Maybe<string>; version?: Maybe<string>; appVersion?: Maybe<string> }>; values?: Maybe<Record<string, unknown>> }>;
  config?: Maybe<Record<string, unknown>>;
  manifest?: Maybe<string>;
  hooks?: Maybe<Array<{ name?: Maybe<string>; kind?: Maybe<string>; events?: Maybe<string[]>; manifest?: Maybe<string>; last_run?: Maybe<{ phase?: Maybe<string>; started_at?: Maybe<string>; completed_at?: Maybe<string> }> }>>;
  /** Helm 4 only: `csa` (client-side apply) or `ssa` (server-side apply, `--server-side`). */
  apply_method?: Maybe<string>;
}

type Shape = 'string' | 'record' | { [field: string]: Shape } | ['array', Shape];
const OBJECT_SHAPE: Record<string, Shape> = {
  namespace: 'string',
  info: { status: 'string', description: 'string', first_deployed: 'string', last_deployed: 'string', deleted: 'string', notes: 'string' },
  chart: { metadata: { name: 'string', version: 'string', appVersion: 'string' }, values: 'record' },
  config: 'record',
  manifest: 'string',
  hooks: ['array', { name: 'string', kind: 'string', events: ['array', 'string'], manifest: 'string', last_run: { phase: 'string', started_at: 'string', completed_at: 'string' } }],
  apply_method: 'string',
};

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Where `v` (null/undefined allowed) does not have the shape, e.g. "info.status: expected string"; undefined when it does. */
function shapeProblem(v: unknown, shape: Shape, path: string): string | undefined {
  if (v === null || v === undefined) return undefined;
  if (shape === 'string') return typeof v === 'string' ? undefined : `${path}: expected string`;
  if (shape === 'record') return isPlainObject(v) ? undefined : `${path}: expected object`;
  if (Array.isArray(shape)) {
    if (!Array.isArray(v)) return `${path}: expected array`;
    for (const [i, item] of v.entries()) {
      if (item === null || item === undefined) return `${path}[${i}]: expected ${typeof shape[1] === 'string' ? shape[1] : 'object'}`;
      const p = shapeProblem(item, shape[1], `${path}[${i}]`);
      if (p !== undefined) return p;
    }
    return undefined;
  }
  if (!isPlainObject(v)) return `${path}: expected object`;
  for (const [k, s] of Object.entries(shape)) {
    const p = shapeProblem(v[k], s, path === '' ? k : `${path}.${k}`);
    if (p !== undefined) return p;
  }
  return undefined;
}

/** The release JSON, or why it is not one. */
function readReleaseJson(json: unknown): ReleaseJson | string {
  if (!isPlainObject(json)) return 'expected an object';
  if (typeof json.name !== 'string') return 'name: expected string';
  if (typeof json.version !== 'number' || !Number.isInteger(json.version)) return 'version: expected an integer';
  return shapeProblem(json, OBJECT_SHAPE, '') ?? (json as unknown as ReleaseJson);
}

export interface HelmReleaseInfo {
  status: string;
  description: string;
  firstDeployed?: string;
  lastDeployed?: string;
  deleted?: string;
  /** Rendered NOTES.txt, redacted. */
  notes?: string;
}

export interface HelmRelease {
  name: string;
  namespace: string;
  /** The revision number. */
  version: number;
  info: HelmReleaseInfo;
  chart: { name: string; version: string; appVersion?: string; /** chart defaults, redacted */ values: Record<string, unknown> };
  /** User-supplied values (`--set`, `-f`), redacted. */
  config: Record<string, unknown>;
  /** Rendered manifest, with Secret data and token-like strings redacted. */
  manifest: string;
  hooks: HelmHook[];
  /** Helm 4 records how it applied the manifest (`csa` or `ssa`); Helm 3 records nothing. */
  applyMethod?: string;
  /** Labels of the storage object other than Helm's own (set with `helm … --labels`). */
  labels: Record<string, string>;
  storage: { driver: HelmDriver; objectName: string };
}

export interface HelmHook {
  name: string;
  kind: string;
  events: string[];
  /** The hook's rendered manifest, redacted like the release manifest. */
  manifest: string;
  /** last_run: Unknown | Running | Succeeded | Failed */
  phase?: string;
  startedAt?: string;
  completedAt?: string;
}

function nonEmpty(v: string | null | undefined): string | undefined {
  return v ? v : undefined;
}

/** Release JSON → the redacted record handed to checks. */
export function toHelmRelease(json: unknown, storage: { driver: HelmDriver; objectName: string; namespace: string; labels?: Record<string, string> }, options: DecodeOptions = {}): HelmRelease {
  const r = readReleaseJson(json);
  if (typeof r === 'string') throw new ReleaseDecodeError(storage.objectName, `unexpected release JSON (${r})`);
  const redactString = options.redactString;
  const info = r.info ?? {};
  const meta = r.chart?.metadata ?? {};
  const notes = nonEmpty(info.notes);
  return {
    name: r.name,
    namespace: r.namespace || storage.namespace,
    version: r.version,
    info: {
      status: info.status || 'unknown',
      description: redactFreeText(info.description ?? '', redactString),
      ...(nonEmpty(info.first_deployed) ? { firstDeployed: info.first_deployed! } : {}),
      ...(nonEmpty(info.last_deployed) ? { lastDeployed: info.last_deployed! } : {}),
      ...(nonEmpty(info.deleted) ? { deleted: info.deleted! } : {}),
      ...(notes ? { notes: redactFreeText(notes, redactString) } : {}),
    },
    chart: {
      name: meta.name ?? '',
      version: meta.version ?? '',
      ...(meta.appVersion ? { appVersion: meta.appVersion } : {}),
      values: redactValues(r.chart?.values ?? {}, redactString),
    },
    config: redactValues(r.config ?? {}, redactString),
    manifest: redactFreeText(redactManifestSecrets(r.manifest ?? ''), redactString),
    hooks: (r.hooks ?? []).map((h) => ({
      name: h.name ?? '',
      kind: h.kind ?? '',
      events: h.events ?? [],
      manifest: redactFreeText(redactManifestSecrets(h.manifest ?? ''), redactString),
      ...(h.last_run?.phase ? { phase: h.last_run.phase } : {}),
      ...(nonEmpty(h.last_run?.started_at) ? { startedAt: h.last_run!.started_at! } : {}),
      ...(nonEmpty(h.last_run?.completed_at) ? { completedAt: h.last_run!.completed_at! } : {}),
    })),
    ...(nonEmpty(r.apply_method) ? { applyMethod: r.apply_method! } : {}),
    labels: storage.labels ?? {},
    storage: { driver: storage.driver, objectName: storage.objectName },
  };
}

export { REDACTED };
