// Helm's release storage encoding (helm pkg/storage/driver/util.go), decoded defensively: the
// payload is untrusted, so sizes are capped before and after gunzip.
import { gunzipSync } from 'node:zlib';
import { z } from 'zod';
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

// Tolerant of Helm 3 and 4 shapes: every field optional, unknown fields ignored.
const optionalString = z.string().nullish();
const record = z.record(z.string(), z.unknown()).nullish();
const releaseJsonSchema = z.object({
  name: z.string(),
  namespace: optionalString,
  version: z.number().int(),
  info: z
    .object({
      status: optionalString,
      description: optionalString,
      first_deployed: optionalString,
      last_deployed: optionalString,
      deleted: optionalString,
      notes: optionalString,
    })
    .nullish(),
  chart: z
    .object({
      metadata: z.object({ name: optionalString, version: optionalString, appVersion: optionalString }).nullish(),
      values: record,
    })
    .nullish(),
  config: record,
  manifest: optionalString,
  hooks: z
    .array(
      z.object({
        name: optionalString,
        kind: optionalString,
        events: z.array(z.string()).nullish(),
        last_run: z.object({ phase: optionalString }).nullish(),
      }),
    )
    .nullish(),
});

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
  hooks: Array<{ name: string; kind: string; events: string[]; phase?: string }>;
  storage: { driver: HelmDriver; objectName: string };
}

function nonEmpty(v: string | null | undefined): string | undefined {
  return v ? v : undefined;
}

/** Release JSON → the redacted record handed to checks. */
export function toHelmRelease(json: unknown, storage: { driver: HelmDriver; objectName: string; namespace: string }, options: DecodeOptions = {}): HelmRelease {
  const parsed = releaseJsonSchema.safeParse(json);
  if (!parsed.success) throw new ReleaseDecodeError(storage.objectName, `unexpected release JSON (${parsed.error.issues[0]?.message ?? 'invalid'})`);
  const r = parsed.data;
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
      ...(h.last_run?.phase ? { phase: h.last_run.phase } : {}),
    })),
    storage: { driver: storage.driver, objectName: storage.objectName },
  };
}

export { REDACTED };
