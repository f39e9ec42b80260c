// API discovery (/api, /apis, /apis/{g}/{v}), cached per client: a triage asks the same few
// questions many times and the answers do not change within it.
import { KubeApiError, KubeForbiddenError, KubeNotServedError } from './errors.js';
import { builtinResource, groupVersionPath, splitApiVersion, type ResourceInfo } from './resources.js';
import { statusMessage, type KubeTransport } from './transport.js';

interface DiscoveredResource {
  name: string;
  kind: string;
  namespaced: boolean;
}

function parseResourceList(body: unknown): DiscoveredResource[] {
  if (!body || typeof body !== 'object' || !('resources' in body) || !Array.isArray(body.resources)) return [];
  const out: DiscoveredResource[] = [];
  for (const r of body.resources as unknown[]) {
    if (!r || typeof r !== 'object') continue;
    const { name, kind, namespaced } = r as { name?: unknown; kind?: unknown; namespaced?: unknown };
    // Subresources (pods/log) are not kinds we read.
    if (typeof name === 'string' && typeof kind === 'string' && !name.includes('/')) out.push({ name, kind, namespaced: namespaced === true });
  }
  return out;
}

export class Discovery {
  /** groupVersion → resources, or null when that groupVersion is not served (404). */
  private readonly cache = new Map<string, Promise<DiscoveredResource[] | null>>();

  constructor(private readonly transport: KubeTransport) {}

  /** Resources served under one groupVersion; null when the group/version does not exist. */
  resources(apiVersion: string, signal?: AbortSignal): Promise<DiscoveredResource[] | null> {
    let pending = this.cache.get(apiVersion);
    if (!pending) {
      pending = this.fetch(apiVersion, signal);
      this.cache.set(apiVersion, pending);
      // Failures (timeouts, 403) are not answers: forget them so a later call can retry.
      pending.catch(() => this.cache.delete(apiVersion));
    }
    return pending;
  }

  private async fetch(apiVersion: string, signal?: AbortSignal): Promise<DiscoveredResource[] | null> {
    const path = groupVersionPath(apiVersion);
    const what = `discover ${apiVersion}`;
    const res = await this.transport.get({ path, what, ...(signal ? { signal } : {}) });
    if (res.status === 404) return null;
    if (res.status === 403) {
      // Discovery is normally open to every authenticated user (system:discovery); say so.
      throw new KubeForbiddenError({ verb: 'get', resource: `nonResourceURLs ${path}` });
    }
    if (res.status < 200 || res.status > 299) throw new KubeApiError(res.status, what, statusMessage(res.body));
    return parseResourceList(res.body);
  }

  /** The REST resource for apiVersion+kind: built-in table first, then discovery. */
  async resolve(apiVersion: string, kind: string, signal?: AbortSignal): Promise<ResourceInfo> {
    const known = builtinResource(apiVersion, kind);
    if (known) return known;
    const list = await this.resources(apiVersion, signal);
    const found = list?.find((r) => r.kind === kind);
    if (!found) throw new KubeNotServedError(apiVersion, kind);
    const { group, version } = splitApiVersion(apiVersion);
    return { group, version, kind, plural: found.name, namespaced: found.namespaced };
  }

  async serves(groupVersion: string, kind?: string, signal?: AbortSignal): Promise<boolean> {
    const list = await this.resources(groupVersion, signal);
    if (!list) return false;
    return kind === undefined || list.some((r) => r.kind === kind);
  }
}
