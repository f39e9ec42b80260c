// API discovery (/api, /apis, /apis/{g}/{v}), cached per client: a triage asks the same few
// questions many times and the answers do not change within it.
import { KubeAbortedError, KubeApiError, KubeForbiddenError, KubeNotServedError } from './errors.js';
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

/**
 * Waits for a shared request until it settles or this caller's signal aborts, whichever is first.
 * Aborting rejects only this caller (as the transport would); the shared request runs on.
 */
function waitFor<T>(shared: Promise<T>, signal: AbortSignal, what: string): Promise<T> {
  if (signal.aborted) return Promise.reject(new KubeAbortedError(what, { cause: signal.reason }));
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(new KubeAbortedError(what, { cause: signal.reason }));
    signal.addEventListener('abort', onAbort, { once: true });
    shared.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (err: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(err);
      },
    );
  });
}

export class Discovery {
  /** groupVersion → resources, or null when that groupVersion is not served (404). */
  private readonly cache = new Map<string, Promise<DiscoveredResource[] | null>>();

  constructor(private readonly transport: KubeTransport) {}

  /** Resources served under one groupVersion; null when the group/version does not exist. */
  resources(apiVersion: string, signal?: AbortSignal): Promise<DiscoveredResource[] | null> {
    const what = `discover ${apiVersion}`;
    // A caller that has already given up starts nothing, as with any other request.
    if (signal?.aborted) return Promise.reject(new KubeAbortedError(what, { cause: signal.reason }));
    let shared = this.cache.get(apiVersion);
    if (!shared) {
      // Shared by every caller, so no caller's signal may cancel it: when the first caller's check
      // timed out, the others would fail with it. The transport's own timeout bounds it.
      const request = this.fetch(apiVersion, what);
      this.cache.set(apiVersion, request);
      // Failures (timeouts, 403) are not answers: forget them so a later call can retry.
      request.catch(() => {
        if (this.cache.get(apiVersion) === request) this.cache.delete(apiVersion);
      });
      shared = request;
    }
    return signal ? waitFor(shared, signal, what) : shared;
  }

  private async fetch(apiVersion: string, what: string): Promise<DiscoveredResource[] | null> {
    const path = groupVersionPath(apiVersion);
    const res = await this.transport.get({ path, what });
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
