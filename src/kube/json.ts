// Narrowing for parsed JSON/YAML, shared by the kube layer (which must not depend on src/checks).

/** A plain object (not null, not an array). */
export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
