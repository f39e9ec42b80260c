// "timed out waiting for the condition": which objects of the failed revision were not ready, and why.
// The failed revision's manifest (and its hook Jobs) is matched to live objects; each one that is not
// ready gets its causes from conditions, container states and Warning events, worst first.
// Requests: the release history (shared with the run's other checks), one get of the failed revision,
// then the bound stated in live-workloads.ts: per namespace ≤ (waitable kinds in the manifest) + 3
// lists (pods, claims only when a pod mounts one the manifest lacks, Warning events only when
// something is not ready), in pages of 500, each list capped.
import { HelmReleases } from '../kube/helm-releases.js';
import { isShellSafe } from '../model/shell.js';
import type { RenderedCommand } from '../triage/types.js';
import { defineCheck } from './define.js';
import { gatherLive, judgeAll, targetsOf, type Cause, type LiveState, type TargetVerdict } from './live-workloads.js';
import { currentRevision, latestFailedRevision, releaseFromFacts, releaseHistory, type RevisionMeta } from './releases.js';

export const MAX_OBJECTS_SHOWN = 6;

export interface Gathered {
  release: string;
  namespace: string;
  /** The failed (or pending) revision whose wait timed out; null when the history holds none. */
  failed: RevisionMeta | null;
  /** What runs now: after --atomic/--rollback-on-failure, the revision rolled back to. */
  current: RevisionMeta | null;
  /** The last revision that was deployed before the failed one (the rollback target). */
  lastGood: RevisionMeta | null;
  live: LiveState | null;
}

/** Hooks Helm runs around install/upgrade/rollback; test and delete hooks play no part in a wait. */
const WAITED_HOOKS = /^(pre|post)-(install|upgrade|rollback)$/;

export const unreadyResources = defineCheck<Gathered>({
  id: 'unready-resources',
  description: "The failed revision's Deployments, StatefulSets, DaemonSets, Jobs (hooks too), PVCs and Pods matched to live objects: which were not ready, and why (image pulls, crash loops, scheduling, claims, probes), worst first.",
  permissions: [
    'list secrets (labels owner=helm,name=<release>) in the release namespace',
    'get secrets (the failed revision) in the release namespace',
    'list deployments.apps, statefulsets.apps, daemonsets.apps, jobs.batch, pods, persistentvolumeclaims, events in the release namespace',
  ],
  async gather({ kube, facts, signal }) {
    const { release, namespace } = releaseFromFacts(facts);
    const history = await releaseHistory(kube, release, namespace, signal);
    const named = facts.revision !== undefined ? history.find((r) => r.version === facts.revision && r.status !== 'deployed' && r.status !== 'superseded') : undefined;
    const failed = named ?? latestFailedRevision(history) ?? null;
    const current = currentRevision(history) ?? null;
    const lastGood = failed ? ([...history].reverse().find((r) => r.version < failed.version && (r.status === 'deployed' || r.status === 'superseded')) ?? null) : null;
    if (!failed) return { release, namespace, failed, current, lastGood, live: null };
    const record = await new HelmReleases(kube).revision(release, namespace, failed.version, signal, failed.driver === 'Secret' ? 'secret' : 'configmap');
    if (!record) return { release, namespace, failed, current, lastGood, live: null };
    const hooks = record.hooks.filter((h) => h.kind === 'Job' && h.events.some((e) => WAITED_HOOKS.test(e)));
    const live = await gatherLive(kube, targetsOf(record.manifest, hooks, namespace), { signal, events: true });
    return { release, namespace, failed, current, lastGood, live };
  },
  judge({ release, namespace, failed, current, lastGood, live }) {
    if (!failed) {
      return {
        status: 'inconclusive',
        summary: `release ${release} has no failed or pending revision among its latest in ${namespace} (a first install with --atomic is uninstalled, records and all)`,
        evidence: [],
      };
    }
    if (!live) return { status: 'inconclusive', summary: `the record of revision ${failed.version} (${failed.object}) is gone`, evidence: [] };
    const verdicts = judgeAll(live);
    const learned: Record<string, string> = { failedRevision: String(failed.version) };
    if (verdicts.length === 0) {
      return { status: 'inconclusive', summary: `revision ${failed.version} of ${release} holds nothing Helm waits for (Deployments, StatefulSets, DaemonSets, Jobs, PVCs, Pods)`, evidence: [], learned };
    }
    const rolledBack = current !== null && current.version > failed.version && current.status === 'deployed';
    const notReady = verdicts.filter((v) => !v.ready);
    const capped = live.capped.map((c) => `not read to the end: ${c}`);
    if (notReady.length === 0) {
      const now = rolledBack ? `; the cluster runs revision ${current.version} since the rollback, so revision ${failed.version}'s own pods may be gone` : '';
      return {
        status: 'refuted',
        summary: `all ${verdicts.length} object(s) of revision ${failed.version} of ${release} are ready now: the wait may have been too short (raise --timeout)${now}`,
        evidence: [`ready: ${verdicts.map((v) => v.label).join(', ')}`.slice(0, 400), ...capped],
        learned,
      };
    }
    const worst = notReady[0]!;
    const cause = worst.causes[0]!;
    learned['notReady'] = String(notReady.length);
    learned['worstObject'] = worst.label;
    learned['cause'] = cause.kind;
    if (cause.image) learned['image'] = cause.image;
    if (cause.pod) learned['pod'] = cause.pod;
    const evidence = notReady.slice(0, MAX_OBJECTS_SHOWN).map(line);
    if (notReady.length > MAX_OBJECTS_SHOWN) evidence.push(`… and ${notReady.length - MAX_OBJECTS_SHOWN} more not ready`);
    const ready = verdicts.filter((v) => v.ready);
    if (ready.length > 0) evidence.push(`ready: ${ready.map((v) => v.label).join(', ')}`.slice(0, 400));
    evidence.push(...capped);
    return {
      status: 'confirmed',
      summary: `${notReady.length} of ${verdicts.length} object(s) of revision ${failed.version} not ready; worst: ${worst.label} — ${cause.text}`,
      evidence,
      learned,
      commands: commandsFor(release, namespace, worst, cause, { failed, lastGood, rolledBack }),
    };
  },
});

function line(v: TargetVerdict): string {
  const causes = v.causes.slice(0, 2).map((c) => (c.pod && !c.text.includes(`pod ${c.pod}`) ? `pod ${c.pod}: ${c.text}` : c.text));
  const more = v.causes.length > 2 ? ` (+${v.causes.length - 2} more)` : '';
  return `${v.label} (${v.progress}): ${causes.join('; ')}${more}`;
}

const safe = (value: string | undefined, placeholder: string): string => (value !== undefined && isShellSafe(value) ? value : `<${placeholder}>`);

/** What to look at for the worst cause, and the way back; filled with the live names. */
export function commandsFor(
  release: string,
  namespace: string,
  worst: TargetVerdict,
  cause: Cause,
  h: { failed: RevisionMeta; lastGood: RevisionMeta | null; rolledBack: boolean },
): RenderedCommand[] {
  const ns = safe(namespace, 'namespace');
  const rel = safe(release, 'release');
  const pod = safe(cause.pod, 'pod');
  const [kind = '', name = ''] = worst.label.split(' ')[0]!.split('/');
  const object = `${kind.toLowerCase()}/${safe(name, 'name')}`;
  const read = (command: string, description: string): RenderedCommand => ({ command, description, effect: 'read-only' });
  const out: RenderedCommand[] = [];
  switch (cause.kind) {
    case 'image-pull':
      out.push(read(`kubectl -n ${ns} describe pod ${pod}`, `Why ${cause.image ?? 'the image'} cannot be pulled (tag, registry, imagePullSecrets).`));
      break;
    case 'crash-loop':
      out.push(read(`kubectl -n ${ns} logs ${pod} -c ${safe(cause.container, 'container')} --previous`, 'The crashed run of the container.'));
      break;
    case 'container-config':
    case 'readiness-probe':
      out.push(read(`kubectl -n ${ns} describe pod ${pod}`, cause.kind === 'readiness-probe' ? 'The probe and its recent failures.' : 'The missing ConfigMap, Secret or key.'));
      break;
    case 'replica-failure':
      out.push(read(`kubectl -n ${ns} describe ${object}`, 'Why the controller cannot create pods (quota, admission, service account).'));
      out.push(read(`kubectl -n ${ns} describe resourcequota`, 'Quotas in the namespace and what is used.'));
      break;
    case 'unschedulable':
      out.push(read(`kubectl -n ${ns} get events --field-selector involvedObject.name=${pod}`, "The scheduler's messages for the pod."));
      break;
    case 'pvc-pending':
      out.push(read(`kubectl -n ${ns} describe pvc ${safe(cause.claim, 'claim')}`, 'Why the claim is not bound.'));
      out.push(read('kubectl get storageclass', 'Storage classes and which one is the default.'));
      break;
    case 'job-failed':
    case 'job-running':
      out.push(read(`kubectl -n ${ns} logs ${object} --all-containers`, 'Output of the Job (a hook or migration) that did not complete.'));
      out.push(read(`kubectl -n ${ns} describe ${object}`, 'Its pods, conditions and deadline.'));
      break;
    case 'missing':
      out.push(read(`helm get manifest ${rel} -n ${ns} --revision ${h.failed.version}`, 'What the revision meant to create.'));
      break;
    case 'progressing':
      out.push(read(`kubectl -n ${ns} describe ${object}`, 'Rollout conditions and replica counts.'));
      break;
  }
  // A pre-* hook that failed stopped Helm before it applied the manifests: the cluster still runs the
  // last deployed revision, so a rollback would change nothing but re-run hooks.
  const beforeApply = /\((pre-[a-z]+(, )?)+ hook\)$/.test(worst.label);
  if (beforeApply) {
    out.push(read(`helm history ${rel} -n ${ns} --max 5`, `Revision ${h.failed.version} stopped at its hook: the cluster still runs the last deployed revision; fix the hook, then upgrade again.`));
  } else if (!h.rolledBack && h.lastGood) {
    out.push({
      command: `helm rollback ${rel} ${h.lastGood.version} -n ${ns} --wait`,
      description: `Return to revision ${h.lastGood.version}, the last one deployed, while revision ${h.failed.version} cannot become ready.`,
      effect: 'changes-cluster',
      risk: `Replaces the workloads with revision ${h.lastGood.version}'s manifests (a new revision); its hooks run again.`,
    });
  }
  return out;
}
