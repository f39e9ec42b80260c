// The fallback transport, for kubeconfigs whose credentials only @kubernetes/client-node implements (legacy
// auth-provider plugins: oidc, gcp, azure; socks proxies). Loaded with import() when such a kubeconfig is
// met: importing client-node costs about a second, which no other triage pays.
import { HttpMethod, KubeConfig, type Configuration, type RequestContext } from '@kubernetes/client-node';
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { KubeConfigMissingError } from './errors.js';
import type { KubeconfigOptions } from './kubeconfig.js';
import { SA_DIR } from './kubeconfig.js';
import { HttpTransport, type RawResponse } from './transport.js';
import { sendGet } from './undici-get.js';

/**
 * Built by `kc.makeApiClient(GetOnlyApi)` so it receives exactly the configuration client-node's
 * generated APIs get (auth methods, User-Agent middleware, base server).
 */
export class GetOnlyApi {
  // client-node builds a new TLS dispatcher for every request, so no connection is ever reused and
  // each request leaves an idle socket behind. Reuse one for a while; re-read it so rotated
  // certificates are picked up. Auth headers are still applied on every request.
  private dispatcher: { value: ReturnType<RequestContext['getDispatcher']>; until: number } | undefined;
  static readonly DISPATCHER_TTL_MS = 5 * 60_000;

  constructor(private readonly configuration: Configuration) {}

  async send(path: string, query: Record<string, string | undefined>, accept: string, signal: AbortSignal): Promise<RawResponse> {
    const ctx = this.configuration.baseServer.makeRequestContext(path, HttpMethod.GET);
    for (const [k, v] of Object.entries(query)) if (v !== undefined) ctx.setQueryParam(k, v);
    ctx.setHeaderParam('Accept', accept);
    await this.configuration.authMethods.default?.applySecurityAuthentication(ctx);
    const now = Date.now();
    if (this.dispatcher && this.dispatcher.until > now) {
      if (this.dispatcher.value) ctx.setDispatcher(this.dispatcher.value);
    } else {
      this.dispatcher = { value: ctx.getDispatcher(), until: now + GetOnlyApi.DISPATCHER_TTL_MS };
    }
    let prepared = ctx;
    for (const m of this.configuration.middleware) prepared = await m.pre(prepared).toPromise();
    // The request client-node prepared (URL, auth headers, its TLS/proxy dispatcher), sent by sendGet.
    return sendGet(prepared.getUrl(), prepared.getHeaders(), prepared.getDispatcher(), signal);
  }
}

export class ClientNodeTransport extends HttpTransport {
  private readonly api: GetOnlyApi;

  constructor(kc: KubeConfig, timeoutMs: number) {
    super(kc.getCurrentCluster()?.server ?? '(no cluster)', timeoutMs);
    this.api = kc.makeApiClient(GetOnlyApi);
  }

  protected send(path: string, query: Record<string, string | undefined>, accept: string, signal: AbortSignal): Promise<RawResponse> {
    return this.api.send(path, query, accept, signal);
  }
}

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** client-node's view of the same kubeconfig resolveKubeconfig reads (same order, same merge rule). */
export function loadKubeConfig(options: KubeconfigOptions = {}): KubeConfig {
  const env = options.env ?? process.env;
  const kc = new KubeConfig();
  const explicit = options.kubeconfigPath ?? (env.KUBECONFIG || undefined);
  try {
    if (explicit) {
      const files = explicit.split(process.platform === 'win32' ? ';' : ':').filter((f) => f !== '' && existsSync(f));
      const [first, ...rest] = files;
      if (first) kc.loadFromFile(first);
      for (const f of rest) {
        const more = new KubeConfig();
        more.loadFromFile(f);
        kc.mergeConfig(more, true);
      }
    } else if (options.inClusterPathPrefix === undefined && existsSync(join(homedir(), '.kube', 'config'))) {
      kc.loadFromFile(join(homedir(), '.kube', 'config'));
    } else {
      if (!existsSync(`${options.inClusterPathPrefix ?? ''}${SA_DIR}/token`)) throw new KubeConfigMissingError('no in-cluster service account token');
      kc.loadFromCluster(options.inClusterPathPrefix ?? '');
    }
  } catch (err) {
    if (err instanceof KubeConfigMissingError) throw err;
    throw new KubeConfigMissingError(`the kubeconfig could not be read (${message(err)})`, { cause: err });
  }
  if (options.context) kc.setCurrentContext(options.context);
  return kc;
}
