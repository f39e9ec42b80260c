// Where cluster credentials come from: an explicit kubeconfig path, $KUBECONFIG / ~/.kube/config,
// or the in-cluster service account. No silent fallback to http://localhost:8080.
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';
import { KubeClient } from './client.js';
import { KubeConfigMissingError } from './errors.js';
import type { ReadOnlyKube } from './types.js';

export interface KubeAccessOptions {
  kubeconfigPath?: string;
  context?: string;
  timeoutMs?: number;
  /** Use the in-cluster service account, with its files under this prefix ('' in a pod; a temp dir in tests). */
  inClusterPathPrefix?: string;
  env?: NodeJS.ProcessEnv;
}

const SA_TOKEN = '/var/run/secrets/kubernetes.io/serviceaccount/token';

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

export function loadKubeConfig(options: KubeAccessOptions = {}): KubeConfig {
  const env = options.env ?? process.env;
  const kc = new KubeConfig();
  const explicit = options.kubeconfigPath ?? (env.KUBECONFIG || undefined);
  try {
    if (explicit) {
      const files = explicit.split(process.platform === 'win32' ? ';' : ':').filter(Boolean);
      const missing = files.filter((f) => !existsSync(f));
      if (missing.length === files.length) throw new KubeConfigMissingError(`kubeconfig file ${missing.join(', ')} does not exist`);
      // Same merge rule as kubectl: the first file that sets a value wins.
      const [first, ...rest] = files.filter((f) => existsSync(f));
      if (first) kc.loadFromFile(first);
      for (const f of rest) {
        const more = new KubeConfig();
        more.loadFromFile(f);
        kc.mergeConfig(more, true);
      }
    } else if (options.inClusterPathPrefix === undefined && existsSync(join(homedir(), '.kube', 'config'))) {
      kc.loadFromFile(join(homedir(), '.kube', 'config'));
    } else if (options.inClusterPathPrefix !== undefined || existsSync(SA_TOKEN)) {
      // client-node reads the service host from process.env itself.
      if (!process.env.KUBERNETES_SERVICE_HOST) throw new KubeConfigMissingError('a service account token exists but KUBERNETES_SERVICE_HOST is not set');
      const prefix = options.inClusterPathPrefix ?? '';
      if (!existsSync(`${prefix}${SA_TOKEN}`)) throw new KubeConfigMissingError(`no service account token at ${prefix}${SA_TOKEN}`);
      kc.loadFromCluster(prefix);
    } else {
      throw new KubeConfigMissingError('no $KUBECONFIG, no ~/.kube/config and no in-cluster service account');
    }
  } catch (err) {
    if (err instanceof KubeConfigMissingError) throw err;
    throw new KubeConfigMissingError(`the kubeconfig could not be read (${message(err)})`, { cause: err });
  }
  if (options.context) {
    if (!kc.getContexts().some((c) => c.name === options.context)) {
      const known = kc.getContexts().map((c) => c.name).join(', ') || 'none';
      throw new KubeConfigMissingError(`context "${options.context}" is not in the kubeconfig (known: ${known})`);
    }
    kc.setCurrentContext(options.context);
  }
  if (!kc.getCurrentCluster()) throw new KubeConfigMissingError('the kubeconfig has no current context/cluster');
  return kc;
}

/** The read-only facade for the configured cluster. Throws KubeConfigMissingError when none is found. */
export function createReadOnlyKube(options: KubeAccessOptions = {}): ReadOnlyKube {
  const kc = loadKubeConfig(options);
  return KubeClient.fromKubeConfig(kc, options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {});
}
