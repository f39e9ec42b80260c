// The shape of a rollback plan, below every part that shows or carries one (rollback computes it;
// queue carries it from an agent; render, slack, web and store show or keep it). Pure data: the
// planner (src/rollback/) reads the cluster, nothing here does. Values are redacted before they
// reach these shapes.
import type { RenderedCommand } from '../triage/types.js';

/** What the user asked: plan `helm rollback RELEASE [REVISION] -n NAMESPACE`. */
export interface RollbackRequest {
  release: string;
  namespace: string;
  /** The target revision; absent: the last good revision before the current one. */
  revision?: number;
  /** kubeconfig context (CLI) or cluster name (queue); informational in the plan. */
  context?: string;
  /** The user means to pass `--force` (replace objects instead of patching them); the plan keeps it only where it is safe. */
  force?: boolean;
}

/** One revision as the plan names it. */
export interface RevisionSummary {
  revision: number;
  status: string;
  chart: string;
  appVersion?: string;
  /** ISO time the revision was written, when the record says. */
  deployedAt?: string;
}

/** `Kind/namespace/name` as in Helm's own messages; namespace empty for cluster-scoped objects. */
export interface ObjectKey {
  apiVersion: string;
  kind: string;
  namespace: string;
  name: string;
}

/** `Service storefront/web`, `ClusterRole admin` (cluster-scoped). */
export function describeKey(key: Pick<ObjectKey, 'kind' | 'namespace' | 'name'>): string {
  return key.namespace ? `${key.kind} ${key.namespace}/${key.name}` : `${key.kind} ${key.name}`;
}

export type ChangeKind = 'added' | 'removed' | 'changed';

/** A field path that differs, `spec.ports[0].port`, with both sides redacted and cut for display. */
export interface FieldChange {
  path: string;
  /** undefined: absent on that side. */
  from?: string;
  to?: string;
}

/** One object of the manifests, current revision → target revision. */
export interface ObjectChange {
  object: ObjectKey;
  /** added: in the target only; removed: in the current only (the rollback deletes it). */
  change: ChangeKind;
  fields: FieldChange[];
}

export interface ValuesDiff {
  /** User-supplied values (`helm get values`) that differ, dotted paths, redacted. */
  changes: FieldChange[];
}

export interface RollbackDiff {
  chart: { from: string; to: string };
  appVersion: { from?: string; to?: string };
  values: ValuesDiff;
  objects: ObjectChange[];
  /** Objects the same in both manifests (counted, not listed). */
  unchanged: number;
}

export const PREDICTION_KINDS = [
  /** Service clusterIP/clusterIPs/ipFamilies/ipFamilyPolicy the target would change or unset. */
  'immutable-service-ip',
  /** Service loadBalancerClass: set by a mutating webhook on CREATE only (AWS LB controller < v2.8.0). */
  'immutable-load-balancer-class',
  /** Deployment/StatefulSet/DaemonSet spec.selector, or StatefulSet fields outside the updatable set. */
  'immutable-selector',
  /** Job spec.template (and selector) cannot change on a Job that exists. */
  'immutable-job-template',
  /** PVC spec other than a resources.requests.storage increase. */
  'immutable-pvc-spec',
  /** Objects the target does not have: the rollback deletes them (PVCs: data) or leaves them. */
  'objects-deleted',
  /** Objects in the target that exist in the cluster but belong to another release or none. */
  'ownership-conflict',
  /** Values the current revision carries that a rollback restores from the target's record instead. */
  'values-pinned',
  /** APIs or CRDs the target's manifest needs that the cluster does not serve. */
  'api-not-served',
] as const;
export type PredictionKind = (typeof PREDICTION_KINDS)[number];

/** will-fail: helm rollback errors out; needs-care: it succeeds but does something the user may not want. */
export type PredictionSeverity = 'will-fail' | 'needs-care';

export interface Prediction {
  kind: PredictionKind;
  severity: PredictionSeverity;
  /** The object it is about, when there is one. */
  object?: ObjectKey;
  /** One line a human reads first: "Service web/prod: spec.clusterIP would be unset (10.0.0.12 → none)". */
  summary: string;
  evidence: string[];
  /** What to do before rolling back, shown (never run). */
  fixFirst: RenderedCommand[];
  /** Only `helm rollback --force` meets it: the planned command leaves `--force` out. */
  onlyWithForce?: boolean;
}

export type RollbackVerdictKind = 'safe' | 'will-fail' | 'needs-care' | 'cannot-plan';

export interface RollbackPlan {
  v: 1;
  request: RollbackRequest;
  /** The revision the cluster runs now; null when the release has none (cannot-plan). */
  current: RevisionSummary | null;
  target: RevisionSummary | null;
  verdict: {
    kind: RollbackVerdictKind;
    /** "safe to roll back", "will fail: …", "needs care: …", or why no plan could be made. */
    summary: string;
  };
  predictions: Prediction[];
  diff: RollbackDiff | null;
  /** The exact command to run, `--force` only where it is safe, with its risk in one line. Never run. */
  command: RenderedCommand | null;
  /** Kubernetes requests the plan made (bounded; the bench reports it). */
  requests: number;
  /** Non-fatal gaps: "no permission to list persistentvolumeclaims: PVC predictions skipped". */
  notes: string[];
  createdAt: number;
}
