// A release's rendered manifest as objects: checks compare what a revision would apply (e.g. a
// Service's loadBalancerClass or clusterIP) with what is live.
import { isNode, parseAllDocuments } from 'yaml';
import { isRecord } from './json.js';
import { REDACTED } from './redact-values.js';

export interface ManifestResource {
  apiVersion: string;
  kind: string;
  name: string;
  namespace?: string;
  /** Template path from Helm's `# Source:` comment, when present. */
  source?: string;
  object: Record<string, unknown>;
}

/** One parsed document as a resource; undefined when it is not an object with a kind and a name. */
export function manifestResource(value: unknown, source?: string): ManifestResource | undefined {
  if (!isRecord(value)) return undefined;
  const meta = isRecord(value.metadata) ? value.metadata : {};
  if (typeof value.kind !== 'string' || typeof meta.name !== 'string') return undefined;
  return {
    apiVersion: typeof value.apiVersion === 'string' ? value.apiVersion : '',
    kind: value.kind,
    name: meta.name,
    ...(typeof meta.namespace === 'string' ? { namespace: meta.namespace } : {}),
    ...(source ? { source } : {}),
    object: value,
  };
}

/** Every object in a multi-document manifest; documents that are empty or not objects are skipped. */
export function parseManifest(manifest: string): ManifestResource[] {
  const out: ManifestResource[] = [];
  for (const doc of parseAllDocuments(manifest, { uniqueKeys: false })) {
    if (doc.errors.length > 0) continue;
    let value: unknown;
    try {
      value = doc.toJS({ maxAliasCount: 100 });
    } catch {
      continue; // aliases past the cap (a billion-laughs record): skipped like a document that does not parse
    }
    const comment = `${doc.commentBefore ?? ''}\n${isNode(doc.contents) ? (doc.contents.commentBefore ?? '') : ''}`;
    const resource = manifestResource(value, /Source:\s*(\S+)/.exec(comment)?.[1]);
    if (resource) out.push(resource);
  }
  return out;
}

/** The resource of that kind and name in a manifest (string or already parsed). */
export function findResource(manifest: string | readonly ManifestResource[], kind: string, name: string): ManifestResource | undefined {
  const resources = typeof manifest === 'string' ? parseManifest(manifest) : manifest;
  return resources.find((r) => r.kind === kind && r.name === name);
}

/**
 * The documents of a manifest as text, split where Helm splits them (a line starting with `---`, as
 * releaseutil.SplitManifests): joined, they give back the manifest byte for byte.
 */
export function manifestDocuments(manifest: string): string[] {
  const starts = [0];
  for (const m of manifest.matchAll(/^---(?=[ \t]|$)/gm)) if (m.index > 0) starts.push(m.index);
  return starts.map((start, i) => manifest.slice(start, starts[i + 1] ?? manifest.length));
}

const SECRET_KIND = /^kind:\s*Secret\s*$/m;

/**
 * Replaces the values of Secret `data`/`stringData` in a manifest; other documents keep their text.
 * Only the documents that say `kind: Secret` are parsed: a release of 2,000 objects with a few Secrets
 * costs a few small parses, not a parse and re-print of the whole manifest.
 */
export function redactManifestSecrets(manifest: string): string {
  if (!SECRET_KIND.test(manifest)) return manifest;
  let changed = false;
  const out = manifestDocuments(manifest).map((text) => {
    if (!SECRET_KIND.test(text)) return text;
    const redacted = redactSecretDocuments(text);
    if (redacted !== text) changed = true;
    return redacted;
  });
  return changed ? out.join('') : manifest;
}

function redactSecretDocuments(text: string): string {
  const docs = parseAllDocuments(text, { uniqueKeys: false });
  let changed = false;
  for (const doc of docs) {
    if (doc.get('kind') !== 'Secret') continue;
    for (const field of ['data', 'stringData']) {
      const map: unknown = doc.getIn([field], true);
      if (!map || typeof map !== 'object' || !('items' in map) || !Array.isArray(map.items)) continue;
      for (const pair of map.items as Array<{ key?: unknown }>) {
        const key = pair.key && typeof pair.key === 'object' && 'value' in pair.key ? pair.key.value : pair.key;
        if (typeof key === 'string' || typeof key === 'number') {
          doc.setIn([field, key], REDACTED);
          changed = true;
        }
      }
    }
  }
  return changed ? docs.map((d) => d.toString()).join('') : text;
}
