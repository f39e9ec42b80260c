// Narrowing helpers for Kubernetes JSON: checks read a few fields and trust none of them.

export type Json = Record<string, unknown>;

export function isRecord(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The value at a dotted path, or undefined. */
export function at(obj: unknown, path: string): unknown {
  let cur: unknown = obj;
  for (const key of path.split('.')) {
    if (!isRecord(cur)) return undefined;
    cur = cur[key];
  }
  return cur;
}

export function str(obj: unknown, path: string): string | undefined {
  const v = at(obj, path);
  return typeof v === 'string' ? v : typeof v === 'number' ? String(v) : undefined;
}

export function num(obj: unknown, path: string): number | undefined {
  const v = at(obj, path);
  return typeof v === 'number' ? v : undefined;
}

export function records(obj: unknown, path: string): Json[] {
  const v = at(obj, path);
  return Array.isArray(v) ? v.filter(isRecord) : [];
}

export function strings(obj: unknown, path: string): string[] {
  const v = at(obj, path);
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}

/** Container images of a Pod spec or a workload's pod template. */
export function containerImages(obj: unknown): Array<{ container: string; image: string }> {
  const spec = isRecord(at(obj, 'spec.template.spec')) ? at(obj, 'spec.template.spec') : at(obj, 'spec');
  return [...records(spec, 'initContainers'), ...records(spec, 'containers')]
    .map((c) => ({ container: str(c, 'name') ?? '?', image: str(c, 'image') ?? '' }))
    .filter((c) => c.image !== '');
}
