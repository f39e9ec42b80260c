// ReadOnlyKube over @kubernetes/client-node. Reads only: get, list (paged), version, discovery.
// It never holds a KubernetesObjectApi or a generated API client, so no write call is reachable.
import { UsageError } from '../errors.js';
import { Discovery } from './discovery.js';
import { KubeApiError, KubeForbiddenError, type KubePermission } from './errors.js';
import { isRecord } from './json.js';
import { rbacResource, resourcePath, type ResourceInfo } from './resources.js';
import { statusMessage, type GetResult, type KubeTransport } from './transport.js';
import type { KubeObject, ListOptions, ReadOnlyKube, ServerVersion } from './types.js';

export const DEFAULT_TIMEOUT_MS = 5_000;
export const DEFAULT_PAGE_SIZE = 500;
// Server-side metadata projection (kube-apiserver ≥ 1.15); plain JSON as a fallback.
const METADATA_ONLY_ACCEPT = 'application/json;as=PartialObjectMetadataList;v=v1;g=meta.k8s.io,application/json';

function permission(verb: 'get' | 'list', r: ResourceInfo, namespace?: string): KubePermission {
  return { verb, resource: rbacResource(r), ...(r.namespaced && namespace ? { namespace } : {}) };
}

function describe(p: KubePermission, name?: string): string {
  const target = name ? `${p.resource}/${name}` : p.resource;
  return p.namespace ? `${p.verb} ${target} in namespace ${p.namespace}` : `${p.verb} ${target}`;
}

/** Turns a non-2xx answer into the matching typed error. */
function failure(res: GetResult, p: KubePermission, what: string): Error {
  if (res.status === 403) return new KubeForbiddenError(p);
  if (res.status === 410) return new KubeApiError(410, what, 'the continue token expired because the list changed while paging; run the check again');
  return new KubeApiError(res.status, what, statusMessage(res.body));
}

export class KubeClient implements ReadOnlyKube {
  private readonly discovery: Discovery;

  constructor(private readonly transport: KubeTransport) {
    this.discovery = new Discovery(transport);
  }

  async version(signal?: AbortSignal): Promise<ServerVersion> {
    const what = 'get /version';
    const res = await this.transport.get({ path: '/version', what, ...(signal ? { signal } : {}) });
    if (res.status === 403) throw new KubeForbiddenError({ verb: 'get', resource: 'nonResourceURLs /version' });
    if (res.status !== 200 || !isRecord(res.body)) throw new KubeApiError(res.status, what, statusMessage(res.body));
    const { major, minor, gitVersion } = res.body;
    return {
      major: typeof major === 'string' ? major : '',
      minor: typeof minor === 'string' ? minor : '',
      gitVersion: typeof gitVersion === 'string' ? gitVersion : '',
    };
  }

  async get(apiVersion: string, kind: string, name: string, namespace?: string, signal?: AbortSignal): Promise<KubeObject | null> {
    const r = await this.discovery.resolve(apiVersion, kind, signal);
    if (r.namespaced && !namespace) throw new UsageError(`get ${kind} "${name}" needs a namespace: ${kind} is namespaced`);
    const p = permission('get', r, namespace);
    const what = describe(p, name);
    const res = await this.transport.get({ path: resourcePath(r, namespace, name), what, ...(signal ? { signal } : {}) });
    if (res.status === 404) return null;
    if (res.status !== 200 || !isRecord(res.body)) throw failure(res, p, what);
    return res.body as KubeObject;
  }

  async *list(apiVersion: string, kind: string, opts: ListOptions = {}): AsyncIterable<KubeObject> {
    const { namespace, labelSelector, fieldSelector, signal } = opts;
    const pageSize = Math.max(1, Math.min(opts.pageSize ?? DEFAULT_PAGE_SIZE, 5_000));
    const r = await this.discovery.resolve(apiVersion, kind, signal);
    const p = permission('list', r, namespace);
    const what = describe(p);
    const path = resourcePath(r, namespace);
    let cont: string | undefined;
    do {
      const res = await this.transport.get({
        path,
        query: { labelSelector, fieldSelector, limit: String(pageSize), continue: cont },
        what,
        ...(opts.metadataOnly ? { accept: METADATA_ONLY_ACCEPT } : {}),
        ...(signal ? { signal } : {}),
      });
      // A namespace that does not exist lists as empty on a real server; be lenient with 404 too.
      if (res.status === 404) return;
      if (res.status !== 200 || !isRecord(res.body)) throw failure(res, p, what);
      const items = Array.isArray(res.body.items) ? (res.body.items as unknown[]) : [];
      // List items come without apiVersion/kind; fill them in so callers can tell kinds apart.
      for (const item of items) {
        if (!isRecord(item)) continue;
        if (opts.metadataOnly) {
          yield { apiVersion, kind, metadata: item.metadata } as KubeObject;
        } else {
          // The parsed page is ours alone: tag items in place rather than copying 500 objects.
          item.apiVersion = apiVersion;
          item.kind = kind;
          yield item as KubeObject;
        }
      }
      const meta = res.body.metadata;
      cont = isRecord(meta) && typeof meta.continue === 'string' && meta.continue !== '' ? meta.continue : undefined;
    } while (cont !== undefined);
  }

  serves(groupVersion: string, kind?: string, signal?: AbortSignal): Promise<boolean> {
    return this.discovery.serves(groupVersion, kind, signal);
  }
}
