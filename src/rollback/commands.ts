// Pure: the commands a plan suggests (shown, never run), every value checked for the shell: a value
// that is not shell-safe (src/model/shell.ts) becomes a visible `<placeholder>`, named in `missing`.
import { splitApiVersion } from '../kube/resources.js';
import type { ObjectKey } from '../model/rollback.js';
import { isShellSafe } from '../model/shell.js';
import type { RenderedCommand } from '../triage/types.js';

/** A value for a suggested command: as is when shell-safe, else a visible placeholder. */
export function arg(value: string, placeholder: string, missing: string[]): string {
  if (isShellSafe(value)) return value;
  missing.push(placeholder);
  return `<${placeholder}>`;
}

export function command(c: string, effect: RenderedCommand['effect'], description: string, risk?: string, missing: string[] = []): RenderedCommand {
  return { command: c, description, effect, ...(risk !== undefined ? { risk } : {}), ...(missing.length > 0 ? { missing: [...new Set(missing)] } : {}) };
}

/** kubectl's name for a kind: `service`, `deployment.apps`, `certificate.cert-manager.io`. */
function kubectlKind(key: ObjectKey): string {
  const { group } = splitApiVersion(key.apiVersion);
  return `${key.kind.toLowerCase()}${group ? `.${group}` : ''}`;
}

/** `kubectl VERB kind name [-n ns]`. */
export function kubectl(verb: string, key: ObjectKey, tail: string, missing: string[]): string {
  const ns = key.namespace ? ` -n ${arg(key.namespace, 'namespace', missing)}` : '';
  return `kubectl ${verb} ${arg(kubectlKind(key), 'kind', missing)} ${arg(key.name, 'name', missing)}${ns}${tail}`;
}

/** A kubectl command that lists its own placeholders in `missing`. */
export function kubectlCommand(verb: string, key: ObjectKey, tail: string, effect: RenderedCommand['effect'], description: string, risk?: string): RenderedCommand {
  const missing: string[] = [];
  return command(kubectl(verb, key, tail, missing), effect, description, risk, missing);
}

/** `helm rollback RELEASE REVISION -n NAMESPACE [--force]`. */
export function helmRollback(release: string, namespace: string, revision: number, force: boolean, missing: string[]): string {
  return `helm rollback ${arg(release, 'release', missing)} ${revision} -n ${arg(namespace, 'namespace', missing)}${force ? ' --force' : ''}`;
}

/** `helm get manifest RELEASE -n NAMESPACE --revision REVISION`. */
export function helmGetManifest(release: string, namespace: string, revision: number, missing: string[]): string {
  return `helm get manifest ${arg(release, 'release', missing)} -n ${arg(namespace, 'namespace', missing)} --revision ${revision}`;
}

/** A read-only `helm get manifest` that lists its own placeholders in `missing`. */
export function helmGetManifestCommand(release: string, namespace: string, revision: number, description: string): RenderedCommand {
  const missing: string[] = [];
  return command(helmGetManifest(release, namespace, revision, missing), 'read-only', description, undefined, missing);
}
