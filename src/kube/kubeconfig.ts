// The kubeconfig, read the way kubectl reads it, without @kubernetes/client-node (whose import alone costs
// about a second): $KUBECONFIG path lists merged (the first file that sets a name or the current context wins),
// contexts, server CA / client certificates (inline or as files relative to the kubeconfig), bearer tokens and
// token files, basic auth, exec credential plugins, proxy-url (http/https) and the in-cluster service account.
// What it does not handle itself (legacy auth-provider plugins, socks proxies) is named in `fallback`, and the
// caller then uses client-node for that kubeconfig.
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, isAbsolute, join, resolve } from 'node:path';
// js-yaml (also client-node's parser) loads in ~15 ms; the yaml package in ~50 ms, on every --check.
import { load as parseYaml } from 'js-yaml';
import { KubeConfigMissingError } from './errors.js';

export const SA_DIR = '/var/run/secrets/kubernetes.io/serviceaccount';

export interface ExecConfig {
  command: string;
  args: string[];
  env: Array<{ name: string; value: string }>;
  apiVersion: string;
  installHint?: string;
  /** Pass the cluster's server and CA to the plugin in KUBERNETES_EXEC_INFO. */
  provideClusterInfo: boolean;
}

export type KubeAuth =
  | { kind: 'none' }
  | { kind: 'token'; token: string }
  /** Re-read on use (service account tokens rotate). */
  | { kind: 'token-file'; path: string }
  | { kind: 'basic'; username: string; password: string }
  | { kind: 'exec'; exec: ExecConfig };

/** Everything needed to reach the current context's cluster as its user. */
export interface KubeAccess {
  context: string;
  /** The context's namespace, if any. */
  namespace?: string;
  server: string;
  /** PEM. */
  ca?: string;
  skipTLSVerify: boolean;
  tlsServerName?: string;
  proxyUrl?: string;
  /** Client certificate and key (PEM). */
  cert?: string;
  key?: string;
  auth: KubeAuth;
}

export interface ResolvedKubeconfig {
  access: KubeAccess;
  contexts: string[];
  /** Set when this kubeconfig needs something only client-node implements; the reason, for logs. */
  fallback?: string;
}

export interface KubeconfigOptions {
  kubeconfigPath?: string;
  context?: string;
  /** In-cluster service account files under this prefix ('' in a pod; a temp dir in tests). */
  inClusterPathPrefix?: string;
  env?: NodeJS.ProcessEnv;
}

type Rec = Record<string, unknown>;

function rec(v: unknown): Rec | undefined {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Rec) : undefined;
}
function str(v: unknown): string | undefined {
  return typeof v === 'string' && v !== '' ? v : undefined;
}

interface Named { name: string; value: Rec; dir: string }

/** The merged view of one or more files. */
interface Merged {
  currentContext?: string;
  clusters: Map<string, Named>;
  users: Map<string, Named>;
  contexts: Map<string, Named>;
}

function mergeFile(into: Merged, file: string): void {
  let doc: unknown;
  try {
    doc = parseYaml(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new KubeConfigMissingError(`the kubeconfig ${file} could not be read (${err instanceof Error ? err.message.split('\n')[0] : String(err)})`, { cause: err });
  }
  if (doc === null || doc === undefined) return;
  const root = rec(doc);
  if (root === undefined) throw new KubeConfigMissingError(`the kubeconfig ${file} could not be read (not a YAML mapping)`);
  const dir = dirname(resolve(file));
  into.currentContext ??= str(root['current-context']);
  const add = (list: unknown, key: string, map: Map<string, Named>): void => {
    if (list === undefined || list === null) return;
    if (!Array.isArray(list)) throw new KubeConfigMissingError(`the kubeconfig ${file} could not be read (${key}s is not a list)`);
    for (const entry of list) {
      const e = rec(entry);
      const name = str(e?.name);
      const value = rec(e?.[key]);
      if (name === undefined || value === undefined) continue;
      if (!map.has(name)) map.set(name, { name, value, dir });
    }
  };
  add(root.clusters, 'cluster', into.clusters);
  add(root.users, 'user', into.users);
  add(root.contexts, 'context', into.contexts);
}

function pathIn(dir: string, p: string): string {
  return isAbsolute(p) ? p : join(dir, p);
}

function readPem(what: string, data: unknown, file: unknown, dir: string): string | undefined {
  const inline = str(data);
  if (inline !== undefined) return Buffer.from(inline, 'base64').toString('utf8');
  const path = str(file);
  if (path === undefined) return undefined;
  try {
    return readFileSync(pathIn(dir, path), 'utf8');
  } catch (err) {
    throw new KubeConfigMissingError(`the kubeconfig's ${what} file ${pathIn(dir, path)} cannot be read (${err instanceof Error ? err.message : String(err)})`, { cause: err });
  }
}

function execConfig(raw: Rec, dir: string): ExecConfig {
  const command = str(raw.command);
  if (command === undefined) throw new KubeConfigMissingError('the kubeconfig user\'s exec plugin has no command');
  const args = Array.isArray(raw.args) ? raw.args.filter((a): a is string => typeof a === 'string') : [];
  const env = Array.isArray(raw.env)
    ? raw.env.flatMap((e) => {
      const r = rec(e);
      const name = str(r?.name);
      return name !== undefined && typeof r?.value === 'string' ? [{ name, value: r.value }] : [];
    })
    : [];
  // Like client-go: a command with a path separator is relative to the kubeconfig; a bare name is looked up in PATH.
  const resolved = command.includes('/') && !isAbsolute(command) ? join(dir, command) : command;
  const out: ExecConfig = {
    command: resolved,
    args,
    env,
    apiVersion: str(raw.apiVersion) ?? 'client.authentication.k8s.io/v1beta1',
    provideClusterInfo: raw.provideClusterInfo === true,
  };
  const hint = str(raw.installHint);
  if (hint !== undefined) out.installHint = hint;
  return out;
}

function resolveMerged(m: Merged, wanted: string | undefined): ResolvedKubeconfig {
  const contexts = [...m.contexts.keys()];
  const name = wanted ?? m.currentContext;
  if (name === undefined) throw new KubeConfigMissingError('the kubeconfig has no current context/cluster');
  const ctx = m.contexts.get(name);
  if (ctx === undefined) {
    if (wanted !== undefined) throw new KubeConfigMissingError(`context "${wanted}" is not in the kubeconfig (known: ${contexts.join(', ') || 'none'})`);
    throw new KubeConfigMissingError(`the kubeconfig's current context "${name}" is not defined in it (known: ${contexts.join(', ') || 'none'})`);
  }
  const clusterName = str(ctx.value.cluster);
  const cluster = clusterName !== undefined ? m.clusters.get(clusterName) : undefined;
  if (cluster === undefined) throw new KubeConfigMissingError(`context "${name}" names cluster "${clusterName ?? ''}", which is not in the kubeconfig`);
  const server = str(cluster.value.server);
  if (server === undefined) throw new KubeConfigMissingError(`cluster "${cluster.name}" has no server in the kubeconfig`);
  const userName = str(ctx.value.user);
  const user = userName !== undefined ? m.users.get(userName) : undefined;
  const u = user?.value ?? {};
  const udir = user?.dir ?? cluster.dir;

  let fallback: string | undefined;
  let auth: KubeAuth = { kind: 'none' };
  const token = str(u.token);
  const tokenFile = str(u.tokenFile);
  const exec = rec(u.exec);
  if (rec(u['auth-provider']) !== undefined) fallback = `auth-provider "${str(rec(u['auth-provider'])?.name) ?? '?'}"`;
  else if (exec !== undefined) auth = { kind: 'exec', exec: execConfig(exec, udir) };
  else if (token !== undefined) auth = { kind: 'token', token };
  else if (tokenFile !== undefined) auth = { kind: 'token-file', path: pathIn(udir, tokenFile) };
  else if (str(u.username) !== undefined) auth = { kind: 'basic', username: str(u.username) ?? '', password: typeof u.password === 'string' ? u.password : '' };

  const proxyUrl = str(cluster.value['proxy-url']);
  if (proxyUrl !== undefined && !/^https?:\/\//i.test(proxyUrl)) fallback ??= `proxy-url ${proxyUrl.split(':')[0] ?? ''}`;

  const access: KubeAccess = {
    context: name,
    server: server.replace(/\/+$/, ''),
    skipTLSVerify: cluster.value['insecure-skip-tls-verify'] === true,
    auth,
  };
  const namespace = str(ctx.value.namespace);
  if (namespace !== undefined) access.namespace = namespace;
  const ca = readPem('certificate-authority', cluster.value['certificate-authority-data'], cluster.value['certificate-authority'], cluster.dir);
  if (ca !== undefined) access.ca = ca;
  const tlsServerName = str(cluster.value['tls-server-name']);
  if (tlsServerName !== undefined) access.tlsServerName = tlsServerName;
  if (proxyUrl !== undefined) access.proxyUrl = proxyUrl;
  const cert = readPem('client-certificate', u['client-certificate-data'], u['client-certificate'], udir);
  const key = readPem('client-key', u['client-key-data'], u['client-key'], udir);
  if (cert !== undefined) access.cert = cert;
  if (key !== undefined) access.key = key;
  return fallback === undefined ? { access, contexts } : { access, contexts, fallback };
}

function inCluster(prefix: string, env: NodeJS.ProcessEnv): ResolvedKubeconfig {
  const host = env.KUBERNETES_SERVICE_HOST;
  const port = env.KUBERNETES_SERVICE_PORT;
  if (!host) throw new KubeConfigMissingError('a service account token exists but KUBERNETES_SERVICE_HOST is not set');
  const dir = `${prefix}${SA_DIR}`;
  const tokenPath = join(dir, 'token');
  if (!existsSync(tokenPath)) throw new KubeConfigMissingError(`no service account token at ${tokenPath}`);
  // Like client-go: plain HTTP only for the conventional insecure ports.
  const scheme = port === '80' || port === '8080' || port === '8001' ? 'http' : 'https';
  const hostPart = host.includes(':') ? `[${host}]` : host;
  const access: KubeAccess = {
    context: 'inClusterContext',
    server: `${scheme}://${hostPart}${port ? `:${port}` : ''}`,
    skipTLSVerify: false,
    auth: { kind: 'token-file', path: tokenPath },
  };
  const caPath = join(dir, 'ca.crt');
  if (existsSync(caPath)) access.ca = readFileSync(caPath, 'utf8');
  const nsPath = join(dir, 'namespace');
  if (existsSync(nsPath)) {
    const ns = readFileSync(nsPath, 'utf8').trim();
    if (ns !== '') access.namespace = ns;
  }
  return { access, contexts: ['inClusterContext'] };
}

/**
 * Where cluster credentials come from, in kubectl's order: an explicit path, $KUBECONFIG, ~/.kube/config, then the
 * in-cluster service account. No silent fallback to http://localhost:8080. Throws KubeConfigMissingError.
 */
export function resolveKubeconfig(options: KubeconfigOptions = {}): ResolvedKubeconfig {
  const env = options.env ?? process.env;
  const explicit = options.kubeconfigPath ?? (env.KUBECONFIG || undefined);
  let resolved: ResolvedKubeconfig;
  if (explicit) {
    const files = explicit.split(process.platform === 'win32' ? ';' : ':').filter(Boolean);
    const present = files.filter((f) => existsSync(f));
    if (present.length === 0) throw new KubeConfigMissingError(`kubeconfig file ${files.join(', ')} does not exist`);
    const merged: Merged = { clusters: new Map(), users: new Map(), contexts: new Map() };
    for (const f of present) mergeFile(merged, f);
    resolved = resolveMerged(merged, options.context);
  } else if (options.inClusterPathPrefix === undefined && existsSync(join(homedir(), '.kube', 'config'))) {
    const merged: Merged = { clusters: new Map(), users: new Map(), contexts: new Map() };
    mergeFile(merged, join(homedir(), '.kube', 'config'));
    resolved = resolveMerged(merged, options.context);
  } else if (options.inClusterPathPrefix !== undefined || existsSync(join(SA_DIR, 'token'))) {
    // The service host comes from the process environment, as in a pod.
    resolved = inCluster(options.inClusterPathPrefix ?? '', process.env);
    if (options.context !== undefined && options.context !== resolved.access.context) {
      throw new KubeConfigMissingError(`context "${options.context}" is not in the kubeconfig (known: inClusterContext)`);
    }
  } else {
    throw new KubeConfigMissingError('no $KUBECONFIG, no ~/.kube/config and no in-cluster service account');
  }
  return resolved;
}
