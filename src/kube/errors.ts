// Typed failures of the read-only facade. Checks turn every one of these into an `inconclusive`
// finding, so each message says what a human should do next.
import { ErrorCode, HelmTriageError } from '../errors.js';

export class KubeError extends HelmTriageError {
  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(code, message, options);
    // Every subclass is named after itself (KubeForbiddenError…), without repeating it in each.
    this.name = new.target.name;
  }
}

/** What was asked for, in RBAC terms: `list validatingwebhookconfigurations.admissionregistration.k8s.io`. */
export interface KubePermission {
  verb: 'get' | 'list';
  /** plural, with `.group` for non-core groups */
  resource: string;
  namespace?: string;
}

export function describePermission(p: KubePermission): string {
  return p.namespace ? `${p.verb} ${p.resource} in namespace ${p.namespace}` : `${p.verb} ${p.resource} (cluster-wide)`;
}

export class KubeForbiddenError extends KubeError {
  /** e.g. `list validatingwebhookconfigurations.admissionregistration.k8s.io in namespace x` */
  readonly permission: string;
  constructor(readonly needed: KubePermission, options?: { cause?: unknown }) {
    const permission = describePermission(needed);
    super(
      ErrorCode.KubeForbidden,
      `the cluster refused "${permission}" (403): grant this read permission to the agent's service account ` +
        `(ClusterRole/Role; see README "Cluster access (read-only)") and re-run the check`,
      options,
    );
    this.permission = permission;
  }
}

export class KubeUnauthorizedError extends KubeError {
  constructor(server: string, options?: { cause?: unknown }) {
    super(
      ErrorCode.KubeUnauthorized,
      `the API server at ${server} did not accept our credentials (401): refresh the kubeconfig token or ` +
        `the service account token, then retry`,
      options,
    );
  }
}

export class KubeTimeoutError extends KubeError {
  constructor(readonly what: string, readonly timeoutMs: number, options?: { cause?: unknown }) {
    super(
      ErrorCode.KubeTimeout,
      `${what} got no answer within ${timeoutMs} ms: the API server (or an aggregated API / webhook behind it) is slow; ` +
        `retry, or raise the timeout`,
      options,
    );
  }
}

export class KubeAbortedError extends KubeError {
  constructor(readonly what: string, options?: { cause?: unknown }) {
    super(ErrorCode.KubeAborted, `${what} was cancelled before it finished (the triage deadline passed or it was stopped)`, options);
  }
}

export class KubeUnreachableError extends KubeError {
  constructor(server: string, reason: string, options?: { cause?: unknown }) {
    super(
      ErrorCode.KubeUnreachable,
      `cannot reach the API server at ${server} (${reason}): check the kubeconfig server URL, network policy and VPN, then retry`,
      options,
    );
  }
}

export class KubeNotServedError extends KubeError {
  constructor(readonly apiVersion: string, readonly kind: string, options?: { cause?: unknown }) {
    super(
      ErrorCode.KubeNotServed,
      `the cluster does not serve ${kind} in ${apiVersion}: the API group or CRD is not installed (check \`kubectl api-resources\`)`,
      options,
    );
  }
}

export class KubeApiError extends KubeError {
  constructor(readonly status: number, what: string, detail: string, options?: { cause?: unknown }) {
    super(
      ErrorCode.KubeApiError,
      `${what} failed with HTTP ${status}${detail ? `: ${detail}` : ''}; retry later, and check the API server's health if it persists`,
      options,
    );
  }
}

export class KubeConfigMissingError extends KubeError {
  constructor(detail: string, options?: { cause?: unknown }) {
    super(
      ErrorCode.KubeConfigMissing,
      `no usable Kubernetes configuration: ${detail}. Set KUBECONFIG to a kubeconfig file, pass --kubeconfig/--context, ` +
        `or run inside a cluster with a service account`,
      options,
    );
  }
}

export class ReleaseDecodeError extends KubeError {
  constructor(readonly object: string, detail: string, options?: { cause?: unknown }) {
    super(
      ErrorCode.ReleaseDecode,
      `cannot decode Helm release record ${object}: ${detail}; inspect it with \`helm history\` / \`helm get all\``,
      options,
    );
  }
}
