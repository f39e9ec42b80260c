// A local, read-only Kubernetes API server for tests: real HTTP on 127.0.0.1, real REST paths,
// selectors, pagination, discovery and Status bodies, serving a scenario's objects from memory.
// Any non-GET request is refused (405) and recorded; close() fails the test if one was seen.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { constants as zlibConstants, gzip } from 'node:zlib';
import { stringify as toYaml } from 'yaml';
import { DEFAULT_TIMEOUT_MS, KubeClient } from '../../src/kube/client.js';
import { DirectTransport } from '../../src/kube/direct-transport.js';
import { BUILTIN_RESOURCES, type ResourceInfo } from '../../src/kube/resources.js';
import { matchesLabels, parseFieldSelector, parseLabelSelector, type Requirement } from '../../src/kube/selectors.js';
import type { KubeObject, ReadOnlyKube } from '../../src/kube/types.js';
import { scenarioFrom, type FailRule, type Scenario } from './scenario.js';

export interface RecordedRequest {
  method: string;
  path: string;
  query: string;
  accept: string;
  acceptEncoding: string;
}

export interface KubeApiServer {
  readonly url: string;
  readonly port: number;
  readonly token: string;
  /** Every request, any method. */
  readonly requestCount: number;
  /** Request counts by path (query excluded). */
  readonly requestsByPath: ReadonlyMap<string, number>;
  readonly requests: readonly RecordedRequest[];
  /** TCP connections accepted (keep-alive reuse shows as fewer connections than requests). */
  readonly connectionCount: number;
  /** Responses sent gzip-compressed (like kube-apiserver: client accepts gzip and body > 128 KiB). */
  readonly gzipResponses: number;
  /** Non-GET requests: must stay empty. */
  readonly writeAttempts: readonly RecordedRequest[];
  /** Adds or replaces an object (tests changing the cluster between calls). */
  put(obj: KubeObject): void;
  remove(apiVersion: string, kind: string, name: string, namespace?: string): boolean;
  resetCounts(): void;
  /** Stops the server; throws if any write was attempted unless `allowWrites` (for the test that makes one). */
  close(options?: { allowWrites?: boolean }): Promise<void>;
}

export interface KubeApiServerOptions {
  /** Bearer token the server accepts (default `test-token`). */
  token?: string;
  /** More objects, not validated: for large generated scenarios. */
  objects?: Iterable<KubeObject>;
  /** Serve HTTPS with this PEM certificate and key (in-cluster config tests). */
  tls?: { cert: string; key: string };
  /** With tls: also accept a client certificate signed by this CA (PEM) instead of the bearer token. */
  clientCa?: string;
}

interface Stored {
  namespace: string;
  name: string;
  labels: Record<string, string>;
  fields: Record<string, string>;
  /** Pre-serialized list item (no apiVersion/kind, like a real list) keeps memory and CPU low at scale. */
  itemJson: string;
  apiVersion: string;
  kind: string;
}

type StatusReason = 'NotFound' | 'Forbidden' | 'InternalError' | 'MethodNotAllowed' | 'Unauthorized' | 'BadRequest' | 'Gone';

// Field selectors per kind, as kube-apiserver registers them (pkg/registry/*/strategy.go GetAttrs /
// AddFieldLabelConversionFunc); any other field is a 400 there and here.
const COMMON_FIELDS = ['metadata.name', 'metadata.namespace'];
const FIELDS_BY_KIND: Record<string, Record<string, (obj: KubeObject) => unknown>> = {
  Pod: {
    'status.phase': (o) => rec(o.status).phase,
    'spec.nodeName': (o) => rec(o.spec).nodeName,
    'spec.restartPolicy': (o) => rec(o.spec).restartPolicy,
    'spec.serviceAccountName': (o) => rec(o.spec).serviceAccountName,
    'status.podIP': (o) => rec(o.status).podIP,
  },
  Secret: { type: (o) => o.type },
  Namespace: { 'status.phase': (o) => rec(o.status).phase },
  Job: { 'status.successful': (o) => (typeof rec(o.status).succeeded === 'number' ? String(rec(o.status).succeeded) : undefined) },
  Event: {
    'involvedObject.kind': (o) => rec(o.involvedObject).kind,
    'involvedObject.namespace': (o) => rec(o.involvedObject).namespace,
    'involvedObject.name': (o) => rec(o.involvedObject).name,
    'involvedObject.uid': (o) => rec(o.involvedObject).uid,
    'involvedObject.apiVersion': (o) => rec(o.involvedObject).apiVersion,
    'involvedObject.fieldPath': (o) => rec(o.involvedObject).fieldPath,
    reason: (o) => o.reason,
    reportingComponent: (o) => o.reportingComponent,
    source: (o) => rec(o.source).component,
    type: (o) => o.type,
  },
};

function supportedFields(kind: string): string[] {
  return [...COMMON_FIELDS, ...Object.keys(FIELDS_BY_KIND[kind] ?? {})];
}

function gv(r: Pick<ResourceInfo, 'group' | 'version'>): string {
  return r.group ? `${r.group}/${r.version}` : r.version;
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

function rec(v: unknown): Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
}

/** Kinds defined by the scenario's CustomResourceDefinitions. */
function crdResources(crd: KubeObject): ResourceInfo[] {
  const spec = rec(crd.spec);
  const names = rec(spec.names);
  const group = str(spec.group);
  const kind = str(names.kind);
  const plural = str(names.plural);
  if (!group || !kind || !plural) return [];
  const versions = Array.isArray(spec.versions) ? spec.versions.map(rec) : [];
  return versions
    .filter((v) => v.served !== false && typeof v.name === 'string')
    .map((v) => ({ group, version: String(v.name), kind, plural, namespaced: spec.scope !== 'Cluster' }));
}

function toStored(obj: KubeObject): Stored {
  const meta = obj.metadata ?? {};
  const { apiVersion, kind, ...rest } = obj;
  const fields: Record<string, string> = { 'metadata.name': meta.name ?? '', 'metadata.namespace': meta.namespace ?? '' };
  for (const [field, read] of Object.entries(FIELDS_BY_KIND[kind ?? ''] ?? {})) {
    const v = read(obj);
    // An unset field selects as the empty string, as on kube-apiserver.
    fields[field] = typeof v === 'string' ? v : '';
  }
  return {
    namespace: meta.namespace ?? '',
    name: meta.name ?? '',
    labels: meta.labels ?? {},
    fields,
    itemJson: JSON.stringify(rest),
    apiVersion: apiVersion ?? '',
    kind: kind ?? '',
  };
}

function byNamespaceName(a: Stored, b: Stored): number {
  return a.namespace < b.namespace ? -1 : a.namespace > b.namespace ? 1 : a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}

/** [first, end) indexes of one namespace in a list sorted by namespace then name. */
function namespaceRange(all: readonly Stored[], namespace: string): [number, number] {
  const lowerBound = (pred: (s: Stored) => boolean): number => {
    let a = 0;
    let b = all.length;
    while (a < b) {
      const mid = (a + b) >>> 1;
      if (pred(all[mid]!)) a = mid + 1;
      else b = mid;
    }
    return a;
  };
  return [lowerBound((s) => s.namespace < namespace), lowerBound((s) => s.namespace <= namespace)];
}

interface ContinueToken {
  key: string;
  ns: string;
  i: number;
}

function encodeContinue(t: ContinueToken): string {
  return Buffer.from(JSON.stringify(t)).toString('base64url');
}

function decodeContinue(s: string): ContinueToken | undefined {
  try {
    const v: unknown = JSON.parse(Buffer.from(s, 'base64url').toString('utf8'));
    const r = rec(v);
    if (typeof r.key === 'string' && typeof r.ns === 'string' && typeof r.i === 'number') return { key: r.key, ns: r.ns, i: r.i };
  } catch {
    // fall through
  }
  return undefined;
}

// kube-apiserver (APIResponseCompression, on by default) gzips at level 1 (speed) above 128 KiB.
const GZIP_THRESHOLD_BYTES = 128 * 1024;
const gzipAsync = promisify(gzip);

/** Whether an Accept-Encoding header lists gzip (and does not refuse it with q=0). */
function acceptsGzip(header: string | undefined): boolean {
  return (header ?? '').split(',').some((part) => {
    const [coding, ...params] = part.split(';').map((p) => p.trim().toLowerCase());
    return coding === 'gzip' && !params.some((p) => /^q=0(\.0*)?$/.test(p));
  });
}

class LocalKubeApi implements KubeApiServer {
  url = '';
  port = 0;
  readonly token: string;
  requestCount = 0;
  connectionCount = 0;
  gzipResponses = 0;
  readonly requestsByPath = new Map<string, number>();
  readonly requests: RecordedRequest[] = [];
  readonly writeAttempts: RecordedRequest[] = [];
  private readonly server: Server;
  private readonly scheme: 'http' | 'https';
  private readonly collections = new Map<string, Stored[]>();
  private resources: ResourceInfo[] = [];
  private readonly failCounts = new Map<FailRule, number>();
  private readonly dirty = new Set<string>();

  constructor(
    private readonly scenario: Scenario,
    options: KubeApiServerOptions,
  ) {
    this.token = options.token ?? 'test-token';
    this.rebuildResources(scenario.objects);
    for (const obj of scenario.objects) this.insert(obj);
    if (options.objects) for (const obj of options.objects) this.insert(obj);
    this.sortDirty();
    const handler = (req: IncomingMessage, res: ServerResponse): void => {
      this.handle(req, res).catch((err: unknown) => {
        if (!res.headersSent) this.status(res, 500, 'InternalError', `test server bug: ${err instanceof Error ? err.message : String(err)}`);
      });
    };
    this.scheme = options.tls ? 'https' : 'http';
    this.server = options.tls
      ? createHttpsServer({ cert: options.tls.cert, key: options.tls.key, ...(options.clientCa ? { ca: options.clientCa, requestCert: true, rejectUnauthorized: false } : {}) }, handler)
      : createServer(handler);
    this.server.on(options.tls ? 'secureConnection' : 'connection', () => this.connectionCount++);
  }

  async listen(): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(0, '127.0.0.1', () => resolve());
    });
    const addr = this.server.address();
    this.port = typeof addr === 'object' && addr ? addr.port : 0;
    this.url = `${this.scheme}://127.0.0.1:${this.port}`;
  }

  private rebuildResources(extra: Iterable<KubeObject>): void {
    const crds: ResourceInfo[] = [];
    for (const obj of extra) if (obj.kind === 'CustomResourceDefinition') crds.push(...crdResources(obj));
    const all = [...BUILTIN_RESOURCES, ...this.resources.filter((r) => !BUILTIN_RESOURCES.includes(r)), ...crds];
    const seen = new Set<string>();
    this.resources = all.filter((r) => {
      const k = `${gv(r)}|${r.plural}`;
      if (seen.has(k) || this.scenario.unserved.includes(gv(r))) return false;
      seen.add(k);
      return true;
    });
  }

  private resourceFor(apiVersion: string, kind: string): ResourceInfo {
    const r = this.resources.find((x) => gv(x) === apiVersion && x.kind === kind);
    if (!r) throw new Error(`scenario object ${apiVersion} ${kind} has no REST resource: add its CustomResourceDefinition to the scenario`);
    return r;
  }

  private key(r: ResourceInfo): string {
    return `${gv(r)}/${r.plural}`;
  }

  private insert(obj: KubeObject): void {
    const r = this.resourceFor(obj.apiVersion ?? '', obj.kind ?? '');
    const k = this.key(r);
    let list = this.collections.get(k);
    if (!list) this.collections.set(k, (list = []));
    list.push(toStored(obj));
    this.dirty.add(k);
  }

  private sortDirty(): void {
    for (const k of this.dirty) this.collections.get(k)?.sort(byNamespaceName);
    this.dirty.clear();
  }

  put(obj: KubeObject): void {
    if (obj.kind === 'CustomResourceDefinition') this.rebuildResources([obj]);
    const meta = obj.metadata ?? {};
    this.remove(obj.apiVersion ?? '', obj.kind ?? '', meta.name ?? '', meta.namespace);
    this.insert(obj);
    this.sortDirty();
  }

  remove(apiVersion: string, kind: string, name: string, namespace?: string): boolean {
    const list = this.collections.get(this.key(this.resourceFor(apiVersion, kind)));
    const i = list?.findIndex((s) => s.name === name && s.namespace === (namespace ?? '')) ?? -1;
    if (!list || i < 0) return false;
    list.splice(i, 1);
    return true;
  }

  resetCounts(): void {
    this.requestCount = 0;
    this.connectionCount = 0;
    this.gzipResponses = 0;
    this.requestsByPath.clear();
    this.requests.length = 0;
  }

  async close(options: { allowWrites?: boolean } = {}): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
    if (this.writeAttempts.length > 0 && !options.allowWrites) {
      const list = this.writeAttempts.map((w) => `${w.method} ${w.path}`).join(', ');
      throw new Error(`the read-only facade attempted ${this.writeAttempts.length} write(s) against the test API server: ${list}`);
    }
  }

  // ---- HTTP ----

  private send(res: ServerResponse, code: number, body: string): void {
    const length = Buffer.byteLength(body);
    if (length <= GZIP_THRESHOLD_BYTES || !acceptsGzip(res.req.headers['accept-encoding'])) {
      res.writeHead(code, { 'content-type': 'application/json', 'content-length': length });
      res.end(body);
      return;
    }
    this.gzipResponses++;
    gzipAsync(body, { level: zlibConstants.Z_BEST_SPEED }).then(
      (zipped) => {
        res.writeHead(code, { 'content-type': 'application/json', 'content-encoding': 'gzip', vary: 'Accept-Encoding', 'content-length': zipped.length });
        res.end(zipped);
      },
      (err: unknown) => res.destroy(err instanceof Error ? err : new Error(String(err))),
    );
  }

  private json(res: ServerResponse, code: number, body: unknown): void {
    this.send(res, code, JSON.stringify(body));
  }

  private status(res: ServerResponse, code: number, reason: StatusReason, message: string, details?: Record<string, string>): void {
    this.json(res, code, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, ...(details ? { details } : {}), code });
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const path = url.pathname;
    const method = req.method ?? 'GET';
    const recorded = { method, path, query: url.search, accept: req.headers.accept ?? '', acceptEncoding: req.headers['accept-encoding'] ?? '' };
    this.requestCount++;
    this.requestsByPath.set(path, (this.requestsByPath.get(path) ?? 0) + 1);
    this.requests.push(recorded);
    req.resume();

    if (method !== 'GET') {
      this.writeAttempts.push(recorded);
      this.status(res, 405, 'MethodNotAllowed', `${method} is not allowed: this test API server is read-only`);
      return;
    }
    const certified = 'authorized' in req.socket && req.socket.authorized === true;
    if (!certified && req.headers.authorization !== `Bearer ${this.token}`) {
      this.status(res, 401, 'Unauthorized', 'Unauthorized');
      return;
    }
    if (this.scenario.latencyMs > 0) await new Promise((r) => setTimeout(r, this.scenario.latencyMs));
    const rule = this.scenario.fail.find((f) => path.startsWith(f.path) && (f.times === undefined || (this.failCounts.get(f) ?? 0) < f.times));
    if (rule) {
      this.failCounts.set(rule, (this.failCounts.get(rule) ?? 0) + 1);
      if (rule.hang) return; // never answered; close() drops the connection
      if (rule.delayMs) await new Promise((r) => setTimeout(r, rule.delayMs));
      if (rule.status !== undefined || !rule.delayMs) {
        const code = rule.status ?? 500;
        this.status(res, code, code === 500 ? 'InternalError' : 'BadRequest', `injected failure for ${rule.path}`);
        return;
      }
    }
    if (res.destroyed) return;
    const metadataOnly = /as=PartialObjectMetadataList/.test(req.headers.accept ?? '');
    this.route(path, url.searchParams, metadataOnly, res);
  }

  private route(path: string, query: URLSearchParams, metadataOnly: boolean, res: ServerResponse): void {
    const parts = path.split('/').filter(Boolean).map(decodeURIComponent);
    if (path === '/version') return this.json(res, 200, { ...this.scenario.version, platform: 'linux/amd64', goVersion: 'go1.22.0' });
    if (parts[0] === 'api') {
      if (parts.length === 1) return this.json(res, 200, { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [] });
      return this.resourceRequest('', parts[1]!, parts.slice(2), query, metadataOnly, res);
    }
    if (parts[0] === 'apis') {
      if (parts.length === 1) return this.json(res, 200, this.groupList());
      if (parts.length === 2) {
        const group = this.groupList().groups.find((g) => g.name === parts[1]);
        return group ? this.json(res, 200, { kind: 'APIGroup', apiVersion: 'v1', ...group }) : this.notFound(res, path);
      }
      return this.resourceRequest(parts[1]!, parts[2]!, parts.slice(3), query, metadataOnly, res);
    }
    this.notFound(res, path);
  }

  private notFound(res: ServerResponse, path: string): void {
    this.status(res, 404, 'NotFound', `the server could not find the requested resource (${path})`);
  }

  private groupList(): { kind: string; apiVersion: string; groups: Array<{ name: string; versions: Array<{ groupVersion: string; version: string }>; preferredVersion: { groupVersion: string; version: string } }> } {
    const groups = new Map<string, Set<string>>();
    for (const r of this.resources) if (r.group) (groups.get(r.group) ?? groups.set(r.group, new Set()).get(r.group)!).add(r.version);
    return {
      kind: 'APIGroupList',
      apiVersion: 'v1',
      groups: [...groups].map(([name, versions]) => {
        const vs = [...versions].map((version) => ({ groupVersion: `${name}/${version}`, version }));
        return { name, versions: vs, preferredVersion: vs[0]! };
      }),
    };
  }

  private forbidden(verb: 'get' | 'list', r: ResourceInfo, namespace: string | undefined): boolean {
    return this.scenario.forbidden.some(
      (f) =>
        (f.verb === '*' || f.verb === verb) &&
        (f.resource === r.plural || f.resource === `${r.plural}.${r.group}`) &&
        (f.namespace === undefined || f.namespace === namespace),
    );
  }

  private resourceRequest(group: string, version: string, rest: string[], query: URLSearchParams, metadataOnly: boolean, res: ServerResponse): void {
    const groupVersion = group ? `${group}/${version}` : version;
    const served = this.resources.filter((r) => gv(r) === groupVersion);
    if (served.length === 0) return this.notFound(res, `/${group ? 'apis/' + groupVersion : 'api/' + version}`);
    if (rest.length === 0) {
      return this.json(res, 200, {
        kind: 'APIResourceList',
        apiVersion: 'v1',
        groupVersion,
        resources: served.map((r) => ({
          name: r.plural,
          singularName: r.kind.toLowerCase(),
          namespaced: r.namespaced,
          kind: r.kind,
          verbs: ['get', 'list', 'watch'],
        })),
      });
    }
    let namespace: string | undefined;
    let plural: string;
    let name: string | undefined;
    if (rest[0] === 'namespaces' && rest.length >= 3) {
      namespace = rest[1];
      plural = rest[2]!;
      name = rest[3];
      if (rest.length > 4) return this.notFound(res, rest.join('/'));
    } else {
      plural = rest[0]!;
      name = rest[1];
      if (rest.length > 2) return this.notFound(res, rest.join('/'));
    }
    const r = served.find((x) => x.plural === plural);
    if (!r || (namespace !== undefined && !r.namespaced) || (name !== undefined && r.namespaced && namespace === undefined)) {
      return this.notFound(res, rest.join('/'));
    }
    const verb = name === undefined ? 'list' : 'get';
    if (this.forbidden(verb, r, namespace)) {
      const scope = namespace ? ` in the namespace "${namespace}"` : r.namespaced ? '' : ' at the cluster scope';
      return this.status(
        res,
        403,
        'Forbidden',
        `${plural}${name ? ` "${name}"` : ''} is forbidden: User "system:serviceaccount:helm-triage:agent" cannot ${verb} resource "${plural}" in API group "${group}"${scope}`,
        { kind: plural, group, ...(name ? { name } : {}) },
      );
    }
    const all = this.collections.get(this.key(r)) ?? [];
    if (name !== undefined) {
      const found = all.find((s) => s.name === name && s.namespace === (namespace ?? ''));
      if (!found) return this.status(res, 404, 'NotFound', `${plural}${group ? '.' + group : ''} "${name}" not found`, { name, group, kind: plural });
      return this.send(res, 200, `{"apiVersion":${JSON.stringify(found.apiVersion)},"kind":${JSON.stringify(found.kind)},${found.itemJson.slice(1)}`);
    }
    this.list(r, all, namespace, query, metadataOnly, res);
  }

  private list(r: ResourceInfo, all: Stored[], namespace: string | undefined, query: URLSearchParams, metadataOnly: boolean, res: ServerResponse): void {
    let labelReqs: Requirement[] = [];
    let fieldReqs: Requirement[] = [];
    try {
      labelReqs = parseLabelSelector(query.get('labelSelector') ?? '');
      fieldReqs = parseFieldSelector(query.get('fieldSelector') ?? '');
    } catch (err) {
      return this.status(res, 400, 'BadRequest', err instanceof Error ? err.message : String(err));
    }
    const supported = supportedFields(r.kind);
    const unsupported = fieldReqs.find((f) => !supported.includes(f.key));
    if (unsupported) return this.status(res, 400, 'BadRequest', `field label not supported: ${unsupported.key}`);
    const limitParam = Number(query.get('limit') ?? '0');
    const limit = Number.isInteger(limitParam) && limitParam > 0 ? limitParam : Infinity;
    const key = this.key(r);
    const ns = namespace ?? '';
    let start = 0;
    const cont = query.get('continue');
    if (cont) {
      const token = decodeContinue(cont);
      if (!token || token.key !== key || token.ns !== ns) return this.status(res, 410, 'Gone', 'The provided continue parameter is too old or invalid; restart the list');
      start = token.i;
    }
    // Objects are sorted by namespace, so one namespace is a contiguous range.
    const [lo, hi] = namespace === undefined ? [0, all.length] : namespaceRange(all, namespace);
    const matches = (s: Stored): boolean => matchesLabels(labelReqs, s.labels) && matchesLabels(fieldReqs, s.fields);
    const items: string[] = [];
    let i = Math.max(start, lo);
    for (; i < hi && items.length < limit; i++) if (matches(all[i]!)) items.push(all[i]!.itemJson);
    // Skip trailing non-matches so the last page never carries a useless continue token.
    while (i < hi && !matches(all[i]!)) i++;
    const meta: Record<string, unknown> = { resourceVersion: '1' };
    if (i < hi) {
      meta.continue = encodeContinue({ key, ns, i });
      // Like kube-apiserver: an estimate, only without selectors.
      if (labelReqs.length === 0 && fieldReqs.length === 0) meta.remainingItemCount = hi - i;
    }
    if (metadataOnly) {
      // kube-apiserver's metadata projection: items carry only metadata, payloads never leave.
      const partial = items.map((j) => JSON.stringify({ apiVersion: 'meta.k8s.io/v1', kind: 'PartialObjectMetadata', metadata: rec(JSON.parse(j)).metadata }));
      return this.send(res, 200, `{"kind":"PartialObjectMetadataList","apiVersion":"meta.k8s.io/v1","metadata":${JSON.stringify(meta)},"items":[${partial.join(',')}]}`);
    }
    const listKind = `${r.kind}List`;
    this.send(res, 200, `{"kind":${JSON.stringify(listKind)},"apiVersion":${JSON.stringify(gv(r))},"metadata":${JSON.stringify(meta)},"items":[${items.join(',')}]}`);
  }
}

/** Starts a server for a scenario (already loaded, or a plain object in scenario YAML shape). */
export async function startKubeApiServer(scenario: Scenario | Record<string, unknown> = {}, options: KubeApiServerOptions = {}): Promise<KubeApiServer> {
  const server = new LocalKubeApi(scenarioFrom(scenario), options);
  await server.listen();
  return server;
}

/** A kubeconfig for the server, as the real client-node reads it (plain HTTP needs insecure-skip-tls-verify). */
export function kubeconfigFor(server: Pick<KubeApiServer, 'url' | 'token'>, options: { token?: string; context?: string; namespace?: string } = {}): string {
  const context = options.context ?? 'local-test';
  return toYaml({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: 'local-test', cluster: { server: server.url, 'insecure-skip-tls-verify': true } }],
    users: [{ name: 'agent', user: { token: options.token ?? server.token } }],
    contexts: [{ name: context, context: { cluster: 'local-test', user: 'agent', namespace: options.namespace ?? 'default' } }],
    'current-context': context,
  });
}

/** Writes the kubeconfig to a temp file and returns its path (for KUBECONFIG / --kubeconfig). */
export function writeKubeconfig(server: Pick<KubeApiServer, 'url' | 'token'>, options: { token?: string; context?: string; namespace?: string; dir?: string } = {}): string {
  const dir = options.dir ?? mkdtempSync(join(tmpdir(), 'helm-triage-kube-'));
  const file = join(dir, 'kubeconfig');
  writeFileSync(file, kubeconfigFor(server, options), { mode: 0o600 });
  return file;
}

/** The production facade and transport for the server, as createReadOnlyKube builds them from kubeconfigFor's kubeconfig. */
export function kubeFor(server: Pick<KubeApiServer, 'url' | 'token'>, options: { timeoutMs?: number; token?: string } = {}): ReadOnlyKube {
  const access = { context: 'local-test', namespace: 'default', server: server.url, skipTLSVerify: true, auth: { kind: 'token' as const, token: options.token ?? server.token } };
  return new KubeClient(new DirectTransport(access, options.timeoutMs ?? DEFAULT_TIMEOUT_MS));
}
