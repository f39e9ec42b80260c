// The rollback advisor's entry: plan `helm rollback RELEASE [REVISION]` from the release records and
// the live objects, read-only, and never run it. Callers: the CLI (`rollback-plan`) and the agent
// (queue jobs of kind rollback-plan, asked from Slack). The planner's pieces (gather → diff →
// predict → verdict) live next to this file; this signature is what both callers depend on.
//
// Errors: a release whose records cannot be read at all (403 on its Secrets, unreachable server, an
// undecodable record) throws the typed error (src/kube/errors.ts, each with its next step); anything
// the planner can do without (a live object, the webhook, discovery) becomes a note, and the verdict
// is never "safe" while such a gap stands. A release with nothing to roll back to is a cannot-plan.
import { KubeAbortedError } from '../kube/errors.js';
import type { ReadOnlyKube } from '../kube/types.js';
import type { RevisionSummary, RollbackPlan, RollbackRequest } from '../model/rollback.js';
import { decodeRevision, type RevisionMeta } from '../checks/releases.js';
import type { HelmRelease } from '../kube/helm-releases.js';
import { diffRevisions, type RevisionSide } from './diff.js';
import { countingKube, gatherApis, gatherLbc, gatherLive, gatherRevisions, gatherServerVersion, involvesLoadBalancer, revisionSide } from './gather.js';
import type { ManifestObject } from './objects.js';
import { predictAll, type LbcState, type PlanFacts } from './predict.js';
import { decideRollback } from './verdict.js';

export interface PlanOptions {
  signal: AbortSignal;
  now?: () => number;
}

export type PlanRollback = (kube: ReadOnlyKube, request: RollbackRequest, options: PlanOptions) => Promise<RollbackPlan>;

function summary(meta: RevisionMeta, side: RevisionSide | null, record: HelmRelease | null): RevisionSummary {
  return {
    revision: meta.version,
    status: meta.status,
    chart: side?.chart ?? '',
    ...(side?.appVersion !== undefined ? { appVersion: side.appVersion } : {}),
    ...(record?.info.lastDeployed ? { deployedAt: record.info.lastDeployed } : {}),
  };
}

function range(history: readonly RevisionMeta[]): string {
  const first = history[0]?.version;
  const last = history.at(-1)?.version;
  return first === undefined ? 'none' : first === last ? String(first) : `${first}–${last}`;
}

/** Kinds whose live state an immutable-field prediction reads (predict.ts). */
const LIVE_KINDS = new Set(['Service', 'Deployment', 'StatefulSet', 'DaemonSet', 'Job', 'PersistentVolumeClaim']);

/**
 * Whether a prediction reads this object's live state: the kinds with immutable fields, and objects in
 * one manifest only (the rollback creates them — ownership — or deletes them). An object of another
 * kind in both manifests is patched like any other: reading it would cost requests and, where the
 * agent's RBAC does not cover the kind (ServiceAccounts, Ingresses…), turn a safe plan into "needs care".
 */
export function liveStateMatters(o: ManifestObject, inCurrent: ReadonlySet<string>, inTarget: ReadonlySet<string>): boolean {
  if (LIVE_KINDS.has(o.key.kind)) return true;
  return !inCurrent.has(o.id) || !inTarget.has(o.id);
}

export const planRollback: PlanRollback = async (kube, request, options) => {
  const { signal } = options;
  const now = options.now ?? Date.now;
  const counted = countingKube(kube);
  const k = counted.kube;
  const cannot = (text: string, current: RevisionSummary | null = null, target: RevisionSummary | null = null, notes: string[] = []): RollbackPlan => ({
    v: 1, request, current, target,
    verdict: { kind: 'cannot-plan', summary: text },
    predictions: [], diff: null, command: null, requests: counted.requests(), notes, createdAt: now(),
  });
  const { release, namespace } = request;

  const revs = await gatherRevisions(k, request, signal);
  if (!revs.current) return cannot(`release ${release} has no revisions in namespace ${namespace}: check the name and the namespace (helm list -n ${namespace})`);
  const cur = revs.current;
  if (!revs.target) {
    return cannot(request.revision !== undefined
      ? `release ${release} has no revision ${request.revision} (it has ${range(revs.history)}; older ones are pruned by --history-max): pick one from helm history ${release} -n ${namespace}`
      : `release ${release} has no deployed or superseded revision before revision ${cur.version} to roll back to (helm history ${release} -n ${namespace})`, summary(cur, null, null));
  }
  const tgt = revs.target;
  if (tgt.version === cur.version) return cannot(`revision ${tgt.version} is the one running: nothing to roll back`, summary(cur, null, null), summary(tgt, null, null));

  const [curRecord, tgtRecord, server] = await Promise.all([
    decodeRevision(k, release, namespace, cur, signal),
    decodeRevision(k, release, namespace, tgt, signal),
    gatherServerVersion(k, signal),
  ]);
  if (!curRecord || !tgtRecord) {
    const gone = !curRecord ? cur.version : tgt.version;
    return cannot(`the record of revision ${gone} (${!curRecord ? cur.object : tgt.object}) disappeared while planning: run the plan again`, summary(cur, null, curRecord), summary(tgt, null, tgtRecord));
  }
  const current = revisionSide(curRecord, namespace);
  const target = revisionSide(tgtRecord, namespace);

  // Both manifests' objects, each once: the current revision's apiVersion when both have it (the live
  // object was written through it; the target's may be the one the cluster no longer serves).
  const seen = new Set<string>();
  const objects: ManifestObject[] = [];
  for (const o of [...current.objects, ...target.objects]) {
    if (!seen.has(o.id)) {
      seen.add(o.id);
      objects.push(o);
    }
  }
  const lbFromManifests = involvesLoadBalancer(objects, new Map());
  const inCurrent = new Set(current.objects.map((o) => o.id));
  const inTarget = new Set(target.objects.map((o) => o.id));
  const [liveRead, apisRead, lbcEarly] = await Promise.all([
    gatherLive(k, objects.filter((o) => liveStateMatters(o, inCurrent, inTarget)), signal),
    gatherApis(k, target.objects, signal),
    lbFromManifests ? gatherLbc(k, signal) : Promise.resolve(null),
  ]);
  // A Service that only the live object shows as a LoadBalancer (a class injected, a type patched) counts too.
  const lbcRead = lbcEarly ?? (involvesLoadBalancer(objects, liveRead.live) ? await gatherLbc(k, signal) : null);
  if (signal.aborted) throw new KubeAbortedError(`the rollback plan of ${release}`, { cause: signal.reason });

  const lbc: LbcState | null = lbcRead?.lbc ?? null;
  const diff = diffRevisions(current, target);
  const facts: PlanFacts = {
    release, namespace, force: request.force === true, current, target, diff,
    serverVersion: server.version, live: liveRead.live, lbc, apis: apisRead.apis,
  };
  const predictions = predictAll(facts);
  const gaps = [...server.gaps, ...liveRead.gaps, ...apisRead.gaps, ...(lbcRead?.gaps ?? [])];
  const notes = [...gaps];
  if (tgt.status === 'failed' || tgt.status.startsWith('pending')) notes.push(`revision ${tgt.version} is ${tgt.status}: rolling back to it restores a revision that did not deploy cleanly`);
  const { verdict, command } = decideRollback({
    request, currentRevision: cur.version, targetRevision: tgt.version, targetChart: target.chart, predictions, gaps,
  });
  return {
    v: 1,
    request,
    current: summary(cur, current, curRecord),
    target: summary(tgt, target, tgtRecord),
    verdict,
    predictions,
    diff,
    command,
    requests: counted.requests(),
    notes,
    createdAt: now(),
  };
};
