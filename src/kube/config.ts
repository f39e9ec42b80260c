// Where cluster credentials come from: an explicit kubeconfig path, $KUBECONFIG / ~/.kube/config,
// or the in-cluster service account (kubeconfig.ts reads them). Requests go through DirectTransport;
// a kubeconfig only client-node understands (auth-provider plugins, socks proxies) loads client-node
// on its first request instead.
import { KubeClient, DEFAULT_TIMEOUT_MS } from './client.js';
import { DirectTransport, type DirectTransportDeps } from './direct-transport.js';
import { resolveKubeconfig, type KubeconfigOptions, type ResolvedKubeconfig } from './kubeconfig.js';
import type { GetRequest, GetResult, KubeTransport } from './transport.js';
import type { ReadOnlyKube } from './types.js';

export interface KubeAccessOptions extends KubeconfigOptions {
  timeoutMs?: number;
}

/** client-node, imported on the first request only. */
class ClientNodeFallback implements KubeTransport {
  private inner: Promise<KubeTransport> | undefined;
  constructor(readonly server: string, private readonly options: KubeAccessOptions, private readonly timeoutMs: number) {}

  get(req: GetRequest): Promise<GetResult> {
    this.inner ??= import('./client-node-transport.js').then((m) => new m.ClientNodeTransport(m.loadKubeConfig(this.options), this.timeoutMs));
    return this.inner.then((t) => t.get(req));
  }
}

/** The transport for the configured cluster. Throws KubeConfigMissingError when none is found. */
export function createKubeTransport(options: KubeAccessOptions = {}, deps: DirectTransportDeps = {}): KubeTransport {
  return transportFor(resolveKubeconfig(options), options, deps);
}

function transportFor(resolved: ResolvedKubeconfig, options: KubeAccessOptions, deps: DirectTransportDeps): KubeTransport {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  if (resolved.fallback !== undefined) return new ClientNodeFallback(resolved.access.server, options, timeoutMs);
  return new DirectTransport(resolved.access, timeoutMs, deps);
}

/** The read-only facade for the configured cluster. Throws KubeConfigMissingError when none is found. */
export function createReadOnlyKube(options: KubeAccessOptions = {}, deps: DirectTransportDeps = {}): ReadOnlyKube {
  return new KubeClient(createKubeTransport(options, deps));
}

/** One reading of the kubeconfig for a command that needs both the context's namespace and the client. */
export interface ClusterAccess {
  /**
   * The namespace the kubeconfig's current (or chosen) context names, or the pod's service account
   * namespace in a cluster: what helm and kubectl use when no -n is given. Undefined when none is set or
   * no kubeconfig is found (kube() then says why).
   */
  namespace: string | undefined;
  /** The read-only facade; throws what createReadOnlyKube would (KubeConfigMissingError…), when asked for. */
  kube(): ReadOnlyKube;
}

export function openCluster(options: KubeAccessOptions = {}, deps: DirectTransportDeps = {}): ClusterAccess {
  let resolved: ResolvedKubeconfig | undefined;
  let failure: unknown;
  try {
    resolved = resolveKubeconfig(options);
  } catch (err) {
    failure = err;
  }
  return {
    namespace: resolved?.access.namespace,
    kube: () => {
      if (resolved === undefined) throw failure;
      return new KubeClient(transportFor(resolved, options, deps));
    },
  };
}
