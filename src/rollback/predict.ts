// Pure: what `helm rollback` would run into, one function per PredictionKind (src/model/rollback.ts),
// each judged from what gather.ts read: the two revisions, the live objects, the server version, the
// AWS Load Balancer Controller's webhook, API discovery. Each prediction carries its evidence and the
// fix to apply first (shown, never run). A kind with nothing to say returns no prediction: that is
// the refutation (the same rollback is safe on that count).
import { AWS_LBC_FIXED } from '../checks/aws-lbc-version.js';
import type { WebhookOperations } from '../checks/aws-lbc-webhook-operations.js';
import type { CrdState } from '../checks/crd-exists.js';
import { at, isRecord } from '../checks/fields.js';
import { MANAGED_BY_LABEL, RELEASE_NAME_ANNOTATION, RELEASE_NAMESPACE_ANNOTATION } from '../checks/ownership-metadata.js';
import { serviceFields, type FieldValues } from '../checks/service-cluster-ip-manifests.js';
import { compareVersions, formatVersion, imageTag, parseVersion } from '../checks/version.js';
import { splitApiVersion } from '../kube/resources.js';
import type { KubeObject } from '../kube/types.js';
import { describeKey, PREDICTION_KINDS, type Prediction, type PredictionKind, type RollbackDiff } from '../model/rollback.js';
import { arg, command, helmGetManifest, helmGetManifestCommand, helmRollback, kubectl, kubectlCommand } from './commands.js';
import { jsonEqual, type RevisionSide } from './diff.js';
import { identity, type ManifestObject } from './objects.js';

export const RESOURCE_POLICY_ANNOTATION = 'helm.sh/resource-policy';
/** Evidence lines listed per prediction at most. */
export const MAX_EVIDENCE = 20;

/** The AWS Load Balancer Controller as read; null on PlanFacts when no LoadBalancer Service is involved. */
export interface LbcState {
  /** Registrations of mservice.elbv2.k8s.aws; null when they could not be read. */
  webhooks: WebhookOperations[] | null;
  /** The controller Deployment: null when none was found, undefined when it could not be read. */
  controller: { namespace: string; name: string; image: string } | null | undefined;
}

/** Whether the cluster serves one apiVersion+kind of the target manifest. */
export interface ApiState {
  apiVersion: string;
  kind: string;
  /** null: discovery could not be read. */
  served: boolean | null;
  builtIn: boolean;
  /** CRDs of the group, when the kind is not served and the group is not built in; null when unread. */
  crds: CrdState[] | null;
}

/** Everything the predictions judge: what gather.ts read, and the diff of the two revisions. */
export interface PlanFacts {
  release: string;
  namespace: string;
  /** The user means to pass --force. */
  force: boolean;
  current: RevisionSide;
  target: RevisionSide;
  diff: RollbackDiff;
  /** `/version` gitVersion; null when it could not be read. */
  serverVersion: string | null;
  /** identity (objects.ts) → the live object, null when it does not exist; no entry: not read. */
  live: ReadonlyMap<string, KubeObject | null>;
  lbc: LbcState | null;
  apis: ApiState[];
}

type Predictor = (f: PlanFacts) => Prediction[];

// ---- small helpers ---------------------------------------------------------------------------

function strAt(obj: unknown, path: string): string | undefined {
  const v = at(obj, path);
  return typeof v === 'string' && v !== '' ? v : undefined;
}

interface Pair {
  target: ManifestObject;
  current: ManifestObject | undefined;
  /** undefined: not read. */
  live: KubeObject | null | undefined;
}

/** Target objects of some kinds with their current-revision counterpart and live state. */
function pairs(f: PlanFacts, ...kinds: string[]): Pair[] {
  const current = new Map(f.current.objects.map((o) => [o.id, o]));
  return f.target.objects
    .filter((o) => kinds.includes(o.key.kind))
    .map((o) => ({ target: o, current: current.get(o.id), live: f.live.has(o.id) ? (f.live.get(o.id) ?? null) : undefined }));
}

function capEvidence(lines: string[]): string[] {
  return lines.length <= MAX_EVIDENCE ? lines : [...lines.slice(0, MAX_EVIDENCE), `… ${lines.length - MAX_EVIDENCE} more`];
}

const fmtFields = (v: FieldValues | undefined): string => {
  if (v === undefined) return '(not read)';
  const e = Object.entries(v);
  return e.length === 0 ? 'none' : e.map(([k, x]) => `${k}=${x}`).join(' ');
};

// ---- immutable-service-ip --------------------------------------------------------------------

/** Fields the API server refuses to unset (1.21) or change (any version); ipFamilyPolicy may change. */
const UNSETTABLE = ['clusterIP', 'clusterIPs', 'ipFamilies'] as const;

export const predictImmutableServiceIp: Predictor = (f) => {
  const out: Prediction[] = [];
  const version = f.serverVersion ? parseVersion(f.serverVersion) : null;
  const before122 = version !== null && compareVersions(version, { major: 1, minor: 22, patch: 0 }) < 0;
  for (const p of pairs(f, 'Service')) {
    if (p.live === null) continue; // created afresh: nothing to unset or change
    const t = serviceFields(p.target.object);
    const c = serviceFields(p.current?.object);
    const l = p.live ? serviceFields(p.live) : undefined;
    const ref = l ?? c;
    const evidence = [
      `revision ${f.current.revision}: ${fmtFields(c)}`,
      `revision ${f.target.revision}: ${fmtFields(t)}`,
      `live: ${fmtFields(l)}`,
      `GET /version: ${f.serverVersion ?? '(not read)'}`,
    ];
    const deleteFirst = kubectlCommand('delete', p.target.key, '', 'changes-cluster',
      'last resort: delete the Service so the rollback creates it afresh', 'downtime until the rollback recreates it, and the Service gets a new clusterIP');
    const changed = UNSETTABLE.filter((k) => t[k] !== undefined && ref[k] !== undefined && t[k] !== ref[k]);
    if (changed.length > 0) {
      out.push({
        kind: 'immutable-service-ip',
        severity: 'will-fail',
        object: p.target.key,
        summary: `${describeKey(p.target.key)}: revision ${f.target.revision} sets ${changed.map((k) => `${k} ${t[k]} (now ${ref[k]})`).join(', ')}: immutable, the API server rejects the change`,
        evidence,
        fixFirst: [
          kubectlCommand('get', p.target.key, ' -o yaml', 'read-only', `template ${changed.join(', ')} as the live values (or leave them out) in the chart revision ${f.target.revision} renders`),
          deleteFirst,
        ],
      });
      continue;
    }
    const unset = UNSETTABLE.filter((k) => c[k] !== undefined && t[k] === undefined);
    if (unset.length === 0) continue;
    const copied = l !== undefined && unset.every((k) => l[k] === c[k]) ? ' (the live values: templated with lookup)' : '';
    const base = `${describeKey(p.target.key)}: revision ${f.current.revision} sets ${unset.join(', ')}${copied}, revision ${f.target.revision} does not: the rollback patches them to null`;
    if (version === null) {
      out.push({
        kind: 'immutable-service-ip', severity: 'needs-care', object: p.target.key,
        summary: `${base}; the server version could not be read (1.21 rejects that, ≥ 1.22 accepts it)`, evidence, fixFirst: [command('kubectl version', 'read-only', 'check the server version: 1.21.x rejects unsetting clusterIP')],
      });
    } else if (before122) {
      out.push({
        kind: 'immutable-service-ip', severity: 'will-fail', object: p.target.key,
        summary: `${base}, which Kubernetes ${f.serverVersion ?? ''} rejects ("primary clusterIP can not be unset"; fixed in 1.22)`,
        evidence,
        fixFirst: [
          command('kubectl version', 'read-only', 'upgrade the cluster to ≥ 1.22 (it accepts the null patch), then roll back'),
          helmGetManifestCommand(f.release, f.namespace, f.current.revision, 'change the chart so it never templates clusterIP/ipFamilies from lookup'),
          deleteFirst,
        ],
      });
    }
  }
  return out;
};

// ---- immutable-load-balancer-class -----------------------------------------------------------

export const predictLoadBalancerClass: Predictor = (f) => {
  const out: Prediction[] = [];
  for (const p of pairs(f, 'Service')) {
    const live = p.live ? strAt(p.live, 'spec.loadBalancerClass') : undefined;
    if (live === undefined) continue; // no live class (or no live Service): nothing set-once to lose
    const target = strAt(p.target.object, 'spec.loadBalancerClass');
    const current = p.current ? strAt(p.current.object, 'spec.loadBalancerClass') : undefined;
    if (target === live) continue; // the target carries the same class: refuted
    const lbc = f.lbc;
    const hooks = lbc?.webhooks;
    const handlesUpdate = hooks?.some((h) => h.operations.includes('UPDATE') || h.operations.includes('*')) ?? false;
    const controller = lbc?.controller;
    const tag = controller ? imageTag(controller.image) : null;
    const controllerVersion = tag ? parseVersion(tag) : null;
    const evidence = [
      `live loadBalancerClass: ${live}`,
      `revision ${f.target.revision}'s manifest: ${target ?? 'none'}; revision ${f.current.revision}'s: ${current ?? 'none'}`,
      hooks === null || hooks === undefined
        ? 'webhook mservice.elbv2.k8s.aws: not read'
        : hooks.length === 0 ? 'no mutating webhook mservice.elbv2.k8s.aws' : hooks.map((h) => `${h.configuration}/${h.webhook}: operations [${h.operations.join(', ')}]`).join('; '),
      controller === undefined ? 'aws-load-balancer-controller: not read'
        : controller === null ? 'no aws-load-balancer-controller Deployment found'
          : `${controller.namespace}/${controller.name}: image ${controller.image}${controllerVersion && compareVersions(controllerVersion, AWS_LBC_FIXED) < 0 ? ` (< v${formatVersion(AWS_LBC_FIXED)}: its webhook handles CREATE only)` : ''}`,
    ];
    const setInChart = kubectlCommand('get', p.target.key, ' -o yaml', 'read-only', `set loadBalancerClass: ${live} in the chart's Service, so every revision carries it`);
    if (target !== undefined) {
      out.push({
        kind: 'immutable-load-balancer-class', severity: 'will-fail', object: p.target.key,
        summary: `${describeKey(p.target.key)}: loadBalancerClass is ${live}, revision ${f.target.revision} sets ${target}: it may not change once set`,
        evidence, fixFirst: [setInChart],
      });
      continue;
    }
    if (handlesUpdate) continue; // the webhook re-injects the class on UPDATE (controller ≥ v2.8.0): refuted
    const m: string[] = [];
    const ctlNs = controller ? arg(controller.namespace, 'namespace', m) : 'kube-system';
    const upgrade = command(`helm upgrade aws-load-balancer-controller eks/aws-load-balancer-controller -n ${ctlNs} --reuse-values`, 'changes-cluster',
      `upgrade the AWS Load Balancer Controller to ≥ v${formatVersion(AWS_LBC_FIXED)} (its webhook then handles UPDATE too)`, 'restarts the controller; pick a chart version that ships v2.8.0 or later', m);
    const mm: string[] = [];
    const withoutForce = command(helmRollback(f.release, f.namespace, f.target.revision, false, mm), 'changes-cluster', 'roll back without --force: a patch leaves the injected class alone', `applies revision ${f.target.revision}'s manifests`, mm);
    if (current !== undefined) {
      // The current manifest set the class itself and the target drops it: even a patch nulls it.
      out.push({
        kind: 'immutable-load-balancer-class', severity: 'will-fail', object: p.target.key,
        summary: `${describeKey(p.target.key)}: revision ${f.current.revision} sets loadBalancerClass ${current}, revision ${f.target.revision} does not: the rollback patches it to null and the API server rejects it (may not change once set)`,
        evidence, fixFirst: [setInChart, upgrade],
      });
      continue;
    }
    out.push({
      kind: 'immutable-load-balancer-class',
      severity: f.force ? 'will-fail' : 'needs-care',
      object: p.target.key,
      onlyWithForce: true,
      summary: `${describeKey(p.target.key)}: helm rollback --force would fail: the replacement lacks loadBalancerClass ${live} (injected on CREATE only), which may not change once set`,
      evidence,
      fixFirst: [upgrade, setInChart, withoutForce],
    });
  }
  return out;
};

// ---- immutable-selector ----------------------------------------------------------------------

// StatefulSet spec fields the API server lets an update change (apps/validation ValidateStatefulSetUpdate).
const STATEFULSET_UPDATABLE = new Set(['replicas', 'ordinals', 'template', 'updateStrategy', 'persistentVolumeClaimRetentionPolicy', 'minReadySeconds']);

export const predictSelector: Predictor = (f) => {
  const out: Prediction[] = [];
  for (const p of pairs(f, 'Deployment', 'StatefulSet', 'DaemonSet')) {
    if (p.live === null) continue;
    const ref = p.current?.object ?? p.live;
    if (!ref) continue;
    const from = at(ref, 'spec.selector');
    const to = at(p.target.object, 'spec.selector');
    const changed: string[] = [];
    if (!jsonEqual(from, to)) changed.push('spec.selector');
    if (p.target.key.kind === 'StatefulSet' && p.current) {
      const spec = (o: unknown): Record<string, unknown> => (isRecord(at(o, 'spec')) ? (at(o, 'spec') as Record<string, unknown>) : {});
      const a = spec(p.current.object);
      const b = spec(p.target.object);
      for (const k of new Set([...Object.keys(a), ...Object.keys(b)])) {
        if (k !== 'selector' && !STATEFULSET_UPDATABLE.has(k) && !jsonEqual(a[k], b[k])) changed.push(`spec.${k}`);
      }
    }
    if (changed.length === 0) continue;
    const side = p.current ? `revision ${f.current.revision}` : 'live';
    out.push({
      kind: 'immutable-selector', severity: 'will-fail', object: p.target.key,
      summary: `${describeKey(p.target.key)}: revision ${f.target.revision} changes ${changed.join(', ')}, which is immutable`,
      evidence: [`${side} spec.selector: ${JSON.stringify(from ?? null)}`, `revision ${f.target.revision} spec.selector: ${JSON.stringify(to ?? null)}`, ...changed.filter((c) => c !== 'spec.selector').map((c) => `${c} differs between revision ${f.current.revision} and ${f.target.revision}`)],
      fixFirst: [kubectlCommand('delete', p.target.key, ' --cascade=orphan', 'changes-cluster',
        `delete the ${p.target.key.kind} but keep its pods, so the rollback creates it with the old selector`, 'the workload is unmanaged until the rollback recreates it; pods of the other selector stay behind and need deleting by hand')],
    });
  }
  return out;
};

// ---- immutable-job-template ------------------------------------------------------------------

export const predictJobTemplate: Predictor = (f) => {
  const out: Prediction[] = [];
  for (const p of pairs(f, 'Job')) {
    // Only an existing Job is patched; the live template carries server defaults, so compare the manifests.
    if (p.live === null || !p.current) continue;
    const changed = ['spec.template', 'spec.selector'].filter((path) => !jsonEqual(at(p.current?.object, path), at(p.target.object, path)));
    if (changed.length === 0) continue;
    out.push({
      kind: 'immutable-job-template', severity: 'will-fail', object: p.target.key,
      summary: `${describeKey(p.target.key)}: revision ${f.target.revision} changes ${changed.join(' and ')} of a Job that exists: field is immutable`,
      evidence: [`${changed.join(', ')} differ between revision ${f.current.revision} and revision ${f.target.revision}`, `live Job: ${p.live ? 'exists' : 'not read'}`],
      fixFirst: [kubectlCommand('delete', p.target.key, '', 'changes-cluster', `delete the Job so the rollback creates it from revision ${f.target.revision}`, 'its pods and their logs go, and the Job runs again')],
    });
  }
  return out;
};

// ---- immutable-pvc-spec ----------------------------------------------------------------------

const QUANTITY = /^(\d+(?:\.\d+)?)(Ki|Mi|Gi|Ti|Pi|Ei|k|M|G|T|P|E|m)?$/;
const UNITS: Record<string, number> = { '': 1, m: 1e-3, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18, Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60 };

/** A Kubernetes quantity in bytes (`10Gi`); null when it is not one. */
export function quantityBytes(q: unknown): number | null {
  const m = typeof q === 'string' ? QUANTITY.exec(q.trim()) : typeof q === 'number' ? [String(q), String(q), ''] : null;
  if (!m) return null;
  return Number(m[1]) * (UNITS[m[2] ?? ''] ?? 1);
}

export const predictPvcSpec: Predictor = (f) => {
  const out: Prediction[] = [];
  for (const p of pairs(f, 'PersistentVolumeClaim')) {
    if (p.live === null || !p.current) continue;
    const withoutStorage = (o: unknown): unknown => {
      const spec = at(o, 'spec');
      if (!isRecord(spec)) return spec;
      const resources = isRecord(spec.resources) ? spec.resources : {};
      const requests = isRecord(resources.requests) ? { ...resources.requests } : {};
      delete requests.storage;
      return { ...spec, resources: { ...resources, requests } };
    };
    const changed = !jsonEqual(withoutStorage(p.current.object), withoutStorage(p.target.object));
    const size = (o: unknown): unknown => at(o, 'spec.resources.requests.storage');
    const now = size(p.live ?? p.current.object) ?? size(p.current.object);
    const then = size(p.target.object);
    const nowB = quantityBytes(now);
    const thenB = quantityBytes(then);
    const shrinks = nowB !== null && thenB !== null && thenB < nowB;
    if (!changed && !shrinks) continue;
    const what = [changed ? 'spec fields other than the storage request' : '', shrinks ? `storage ${String(now)} → ${String(then)} (a claim cannot shrink)` : ''].filter(Boolean).join(' and ');
    out.push({
      kind: 'immutable-pvc-spec', severity: 'will-fail', object: p.target.key,
      summary: `${describeKey(p.target.key)}: revision ${f.target.revision} changes ${what}: only an increase of resources.requests.storage is allowed on a bound claim`,
      evidence: [`revision ${f.current.revision} spec: ${JSON.stringify(at(p.current.object, 'spec') ?? null).slice(0, 200)}`, `revision ${f.target.revision} spec: ${JSON.stringify(at(p.target.object, 'spec') ?? null).slice(0, 200)}`, `live storage request: ${String(now ?? 'unknown')}`],
      fixFirst: [kubectlCommand('get', p.target.key, ' -o yaml', 'read-only', `keep revision ${f.current.revision}'s claim spec in what revision ${f.target.revision} renders (values), or move the data to a new claim first`)],
    });
  }
  return out;
};

// ---- objects-deleted -------------------------------------------------------------------------

export const predictObjectsDeleted: Predictor = (f) => {
  const removed = f.diff.objects.filter((o) => o.change === 'removed');
  if (removed.length === 0) return [];
  const currentById = new Map(f.current.objects.map((o) => [o.id, o]));
  const added = f.diff.objects.filter((o) => o.change === 'added');
  const cleanup = added.length > 0
    ? `with --cleanup-on-fail a failed rollback also deletes what it created: ${added.length} object(s) only revision ${f.target.revision} has (${added.slice(0, 5).map((o) => describeKey(o.object)).join(', ')}${added.length > 5 ? ', …' : ''})`
    : `--cleanup-on-fail would delete nothing extra: revision ${f.target.revision} adds no objects`;
  const out: Prediction[] = [];
  const others: string[] = [];
  const kept: string[] = [];
  for (const r of removed) {
    const id = identity(r.object);
    const live = f.live.has(id) ? f.live.get(id) : undefined;
    if (live === null) continue; // already gone
    const annotations = at(currentById.get(id)?.object, 'metadata.annotations');
    const policy = (isRecord(annotations) ? annotations[RESOURCE_POLICY_ANNOTATION] : undefined) ?? live?.metadata?.annotations?.[RESOURCE_POLICY_ANNOTATION];
    if (policy === 'keep') {
      kept.push(`${describeKey(r.object)}: ${RESOURCE_POLICY_ANNOTATION}=keep, Helm leaves it (outside the release)`);
      continue;
    }
    if (r.object.kind !== 'PersistentVolumeClaim') {
      others.push(`${describeKey(r.object)}${live === undefined ? ' (live state not read)' : ''}`);
      continue;
    }
    out.push({
      kind: 'objects-deleted', severity: 'needs-care', object: r.object,
      summary: `${describeKey(r.object)} is not in revision ${f.target.revision}: the rollback deletes the claim, and its data with it`,
      evidence: [`in revision ${f.current.revision}'s manifest, not in revision ${f.target.revision}'s`, `live: ${live === undefined ? 'not read' : 'exists'}`, cleanup],
      fixFirst: [
        kubectlCommand('annotate', r.object, ` ${RESOURCE_POLICY_ANNOTATION}=keep`, 'changes-cluster', 'keep the claim: Helm skips objects annotated resource-policy=keep', 'the claim stays outside the release; delete it by hand when its data is no longer needed'),
        kubectlCommand('get', r.object, ' -o yaml', 'read-only', 'record the claim (and back up its volume) before rolling back'),
      ],
    });
  }
  if (others.length > 0) {
    const missing: string[] = [];
    out.push({
      kind: 'objects-deleted', severity: 'needs-care',
      summary: `${others.length} object(s) of revision ${f.current.revision} are not in revision ${f.target.revision}: the rollback deletes them (${others.slice(0, 3).join(', ')}${others.length > 3 ? ', …' : ''})`,
      evidence: capEvidence([...others, cleanup, ...kept]),
      fixFirst: [command(helmGetManifest(f.release, f.namespace, f.current.revision, missing), 'read-only', `see what revision ${f.current.revision} holds that revision ${f.target.revision} does not`, undefined, missing)],
    });
  } else if (out.length > 0 && kept.length > 0) {
    for (const p of out) p.evidence.push(...kept);
  }
  return out;
};

// ---- ownership-conflict ----------------------------------------------------------------------

export const predictOwnership: Predictor = (f) => {
  const out: Prediction[] = [];
  const inCurrent = new Set(f.current.objects.map((c) => c.id));
  for (const o of f.target.objects) {
    const live = f.live.get(o.id);
    if (!live) continue; // absent (created afresh) or not read
    const a = live.metadata?.annotations ?? {};
    const owner = a[RELEASE_NAME_ANNOTATION];
    const ownerNs = a[RELEASE_NAMESPACE_ANNOTATION];
    if (owner === f.release && (ownerNs === undefined || ownerNs === f.namespace)) continue;
    const belongs = owner ? `belongs to release ${owner}${ownerNs ? ` in ${ownerNs}` : ''}` : 'carries no Helm ownership annotations (not created by this release)';
    const missing: string[] = [];
    const rel = arg(f.release, 'release', missing);
    const ns = arg(f.namespace, 'namespace', missing);
    out.push({
      kind: 'ownership-conflict', severity: 'will-fail', object: o.key,
      summary: `${describeKey(o.key)} exists and ${belongs}: Helm cannot take it into release ${f.release} on rollback`,
      evidence: [
        `${RELEASE_NAME_ANNOTATION}: ${owner ?? '(missing)'}`,
        `${RELEASE_NAMESPACE_ANNOTATION}: ${ownerNs ?? '(missing)'}`,
        `label ${MANAGED_BY_LABEL}: ${live.metadata?.labels?.[MANAGED_BY_LABEL] ?? '(missing)'}`,
        `in revision ${f.target.revision}'s manifest${inCurrent.has(o.id) ? ` and revision ${f.current.revision}'s` : ` only (not revision ${f.current.revision}'s)`}`,
      ],
      fixFirst: [
        command(kubectl('annotate', o.key, ` ${RELEASE_NAME_ANNOTATION}=${rel} ${RELEASE_NAMESPACE_ANNOTATION}=${ns} --overwrite`, missing), 'changes-cluster',
          `adopt it into ${f.release}`, 'the release takes the object over: the rollback rewrites it, an uninstall deletes it', missing),
        kubectlCommand('label', o.key, ` ${MANAGED_BY_LABEL}=Helm --overwrite`, 'changes-cluster', 'and mark it Helm-managed', 'as above: the object becomes part of the release'),
        kubectlCommand('delete', o.key, '', 'changes-cluster', 'or delete it, when it is left from a failed attempt', 'gone until the rollback creates it again'),
      ],
    });
  }
  return out;
};

// ---- values-pinned ---------------------------------------------------------------------------

export const predictValuesPinned: Predictor = (f) => {
  const changes = f.diff.values.changes.filter((c) => c.from !== undefined);
  if (changes.length === 0) return [];
  const missing: string[] = [];
  const rel = arg(f.release, 'release', missing);
  const ns = arg(f.namespace, 'namespace', missing);
  const show = (c: { from?: string; to?: string }): string => `${c.from ?? '(absent)'} → ${c.to ?? '(absent)'}`;
  return [{
    kind: 'values-pinned',
    severity: 'needs-care',
    summary: `the rollback restores revision ${f.target.revision}'s user-supplied values: ${changes.slice(0, 3).map((c) => `${c.path} (${show(c)})`).join(', ')}${changes.length > 3 ? `, and ${changes.length - 3} more` : ''}`,
    evidence: capEvidence(changes.map((c) => `${c.path}: revision ${f.current.revision} ${c.from ?? '(absent)'}, revision ${f.target.revision} ${c.to ?? '(absent)'}`)),
    fixFirst: [
      command(`helm get values ${rel} -n ${ns} --revision ${f.current.revision}`, 'read-only', `the values revision ${f.current.revision} runs with (keep what must survive the rollback)`, undefined, missing),
      command(`helm get values ${rel} -n ${ns} --revision ${f.target.revision}`, 'read-only', `the values the rollback restores; later upgrades with --reuse-values keep them`, undefined, missing),
    ],
  }];
};

// ---- api-not-served --------------------------------------------------------------------------

export const predictApiNotServed: Predictor = (f) => {
  const out: Prediction[] = [];
  for (const api of f.apis) {
    if (api.served !== false) continue;
    const objects = f.target.objects.filter((o) => o.key.apiVersion === api.apiVersion && o.key.kind === api.kind);
    const { group, version } = splitApiVersion(api.apiVersion);
    const crdLines = api.crds === null ? ['CRDs: not read'] : api.crds.map((c) => `CRD ${c.name}: kind ${c.kind}, served versions [${c.servedVersions.join(', ')}]`);
    const crd = api.crds?.find((c) => c.kind === api.kind);
    const why = api.builtIn
      ? `the cluster does not serve ${api.kind} in ${api.apiVersion} (removed or not enabled in this Kubernetes version)`
      : crd ? `CRD ${crd.name} does not serve ${version} (serves ${crd.servedVersions.join(', ') || 'none'})` : `no CRD defines ${api.kind} in group ${group}`;
    const missing: string[] = [];
    out.push({
      kind: 'api-not-served', severity: 'will-fail', ...(objects[0] ? { object: objects[0].key } : {}),
      summary: `revision ${f.target.revision} needs ${api.kind} in ${api.apiVersion} (${objects.length} object(s)): ${why}`,
      evidence: [`discovery: ${api.apiVersion} ${api.kind} not served`, ...(api.builtIn ? [] : crdLines), ...objects.slice(0, 5).map((o) => describeKey(o.key))],
      fixFirst: [api.builtIn
        ? command(`kubectl api-resources --api-group=${arg(group || 'core', 'group', missing)}`, 'read-only', `pick a target revision whose chart uses APIs this cluster serves (or render ${api.kind} with a served apiVersion)`, undefined, missing)
        : command(`kubectl get crd -o name`, 'read-only', `install the CRDs (the operator) that serve ${api.kind} in ${api.apiVersion} first`)],
    });
  }
  return out;
};

/** One predictor per kind; the record type makes a missing one a compile error. */
export const PREDICTORS: Readonly<Record<PredictionKind, Predictor>> = {
  'immutable-service-ip': predictImmutableServiceIp,
  'immutable-load-balancer-class': predictLoadBalancerClass,
  'immutable-selector': predictSelector,
  'immutable-job-template': predictJobTemplate,
  'immutable-pvc-spec': predictPvcSpec,
  'objects-deleted': predictObjectsDeleted,
  'ownership-conflict': predictOwnership,
  'values-pinned': predictValuesPinned,
  'api-not-served': predictApiNotServed,
};

const SEVERITY_RANK = { 'will-fail': 0, 'needs-care': 1 } as const;

/** Worst first: will-fail before needs-care, then in the order of PREDICTION_KINDS. */
export function byWorstFirst(a: Prediction, b: Prediction): number {
  return SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity] || PREDICTION_KINDS.indexOf(a.kind) - PREDICTION_KINDS.indexOf(b.kind);
}

export function predictAll(f: PlanFacts): Prediction[] {
  return PREDICTION_KINDS.flatMap((k) => PREDICTORS[k](f)).sort(byWorstFirst);
}

