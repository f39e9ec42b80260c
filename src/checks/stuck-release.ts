// The stuck-release doctor: a release whose latest revision is pending-install/upgrade/rollback.
// Names the revision, when it started and what wrote it (Helm 3 or 4, the verb, --labels, server-side
// apply), whether anything still runs for it (hook Jobs of that revision, its workloads rolling out),
// and the least risky way out as copy-only commands: wait, roll back to the last deployed revision, or
// (a first install that never deployed) uninstall. It never suggests editing the release Secret.
// Requests: the release history (shared), one get of the pending revision, then the bound stated in
// live-workloads.ts without events: per namespace ≤ (waitable kinds) + 2 lists, in pages of 500.
import { HelmReleases } from '../kube/helm-releases.js';
import { isShellSafe } from '../model/shell.js';
import type { RenderedCommand } from '../triage/types.js';
import { defineCheck } from './define.js';
import { gatherLive, judgeAll, targetsOf, type LiveState, type TargetVerdict } from './live-workloads.js';
import { formatAge } from './release-pending-status.js';
import { isPending, releaseFromFacts, releaseHistory, type RevisionMeta } from './releases.js';

/** Helm's default --timeout: a pending record younger than this may belong to a helm that still runs. */
export const HELM_DEFAULT_TIMEOUT_SECONDS = 300;

export interface PendingRecord {
  description: string;
  chart: string;
  firstDeployed?: string;
  lastDeployed?: string;
  applyMethod?: string;
  /** Labels from `--labels` (Helm's own are not in here). */
  labels: Record<string, string>;
  hooks: Array<{ name: string; kind: string; events: string[]; phase?: string }>;
}

export interface Gathered {
  release: string;
  namespace: string;
  latest: RevisionMeta | null;
  /** The last revision whose status is deployed (else superseded) before the latest. */
  lastGood: RevisionMeta | null;
  /** The decoded pending revision; null when the latest is not pending or its record is gone. */
  record: PendingRecord | null;
  live: LiveState | null;
}

export type WayOut = 'wait' | 'rollback' | 'uninstall';

/** What the release record says about the command and the Helm that wrote it. */
export function writerOf(status: string, record: PendingRecord): { verb: string; note?: string; helm: 'Helm 3' | 'Helm 4'; flags: string[] } {
  const d = record.description;
  const [verb, note] = /^Rollback to \d+/.test(d) ? ['helm rollback', `"${d}": a rollback, or --atomic / --rollback-on-failure after a failed upgrade`]
    : /^Preparing upgrade/.test(d) ? ['helm upgrade', undefined]
      : /^Initial install underway/.test(d) ? ['helm install', 'or helm upgrade --install']
        : [status === 'pending-install' ? 'helm install' : status === 'pending-rollback' ? 'helm rollback' : 'helm upgrade', `description "${d}" is not one Helm writes while pending`];
  const flags: string[] = [];
  const helm = record.applyMethod ? 'Helm 4' : 'Helm 3';
  if (record.applyMethod === 'ssa') flags.push('--server-side (apply_method ssa)');
  else if (record.applyMethod) flags.push(`client-side apply (apply_method ${record.applyMethod})`);
  const labels = Object.entries(record.labels).map(([k, v]) => `${k}=${v}`);
  if (labels.length > 0) flags.push(`--labels ${labels.join(',')}`);
  return { verb, ...(note ? { note } : {}), helm, flags };
}

function secondsSince(iso: string | undefined, now: Date): number | undefined {
  const t = iso ? Date.parse(iso) : NaN;
  return Number.isFinite(t) ? now.getTime() / 1000 - t / 1000 : undefined;
}

export const stuckRelease = defineCheck<Gathered>({
  id: 'stuck-release',
  description: 'The pending revision of a locked release: when it started, what wrote it, whether its hook Jobs or workloads still run, and the least risky way out (wait, roll back, or uninstall a first install).',
  permissions: [
    'list secrets (labels owner=helm,name=<release>) in the release namespace',
    'get secrets (the pending revision) in the release namespace',
    'list deployments.apps, statefulsets.apps, daemonsets.apps, jobs.batch, pods, persistentvolumeclaims in the release namespace',
  ],
  async gather({ kube, facts, signal }) {
    const { release, namespace } = releaseFromFacts(facts);
    const history = await releaseHistory(kube, release, namespace, signal);
    const latest = history.at(-1) ?? null;
    const none = { release, namespace, latest, lastGood: null, record: null, live: null };
    if (!latest || !isPending(latest.status)) return none;
    const before = history.filter((r) => r.version < latest.version).reverse();
    const lastGood = before.find((r) => r.status === 'deployed') ?? before.find((r) => r.status === 'superseded') ?? null;
    const rel = await new HelmReleases(kube).revision(release, namespace, latest.version, signal, latest.driver === 'Secret' ? 'secret' : 'configmap');
    if (!rel) return { ...none, lastGood };
    const record: PendingRecord = {
      description: rel.info.description,
      chart: `${rel.chart.name}-${rel.chart.version}`,
      ...(rel.info.firstDeployed ? { firstDeployed: rel.info.firstDeployed } : {}),
      ...(rel.info.lastDeployed ? { lastDeployed: rel.info.lastDeployed } : {}),
      ...(rel.applyMethod ? { applyMethod: rel.applyMethod } : {}),
      labels: rel.labels,
      hooks: rel.hooks.map((h) => ({ name: h.name, kind: h.kind, events: h.events, ...(h.phase ? { phase: h.phase } : {}) })),
    };
    const hookJobs = rel.hooks.filter((h) => h.kind === 'Job' && h.events.some((e) => /^(pre|post)-(install|upgrade|rollback)$/.test(e)));
    const live = await gatherLive(kube, targetsOf(rel.manifest, hookJobs, namespace), { signal, events: false });
    return { release, namespace, latest, lastGood, record, live };
  },
  judge({ release, namespace, latest, lastGood, record, live }, _facts, now) {
    if (!latest) return { status: 'refuted', summary: `release ${release} has no revisions in ${namespace}`, evidence: [] };
    if (!isPending(latest.status)) {
      return {
        status: 'refuted',
        summary: `release ${release} revision ${latest.version} is ${latest.status}, not pending: retry the command`,
        evidence: [`${latest.object}: status ${latest.status}`],
        learned: { latestRevision: String(latest.version), latestStatus: latest.status },
      };
    }
    const started = record?.lastDeployed;
    const labelTime = latest.modifiedAt ?? latest.createdAt;
    const age = secondsSince(started, now) ?? (labelTime !== undefined ? now.getTime() / 1000 - labelTime : undefined);
    const ageText = age !== undefined ? formatAge(age) : null;
    const evidence: string[] = [];
    const learned: Record<string, string> = { pendingRevision: String(latest.version), pendingStatus: latest.status };
    if (ageText) learned['pendingFor'] = ageText;
    if (lastGood) learned['lastDeployedRevision'] = String(lastGood.version);

    evidence.push(`${latest.object}: ${latest.status}${started ? ` since ${started}` : ''}${ageText ? ` (${ageText} ago)` : ''}${record ? `, chart ${record.chart}, description "${record.description}"` : ''}`);
    const verdicts = live ? judgeAll(live) : [];
    const running = verdicts.filter((v) => v.active);
    const failing = verdicts.filter((v) => !v.ready && !v.active);
    for (const v of [...running, ...failing].slice(0, 3)) evidence.push(`${v.label} (${v.progress}): ${v.active ? 'still running' : 'not ready, will not finish by waiting'}${v.causes[0] ? ` — ${v.causes[0].text}` : ''}`);
    if (live && running.length === 0 && failing.length === 0 && verdicts.length > 0) evidence.push(`all ${verdicts.length} object(s) of revision ${latest.version} are ready; no hook Job is running`);
    const recent = age !== undefined && age < HELM_DEFAULT_TIMEOUT_SECONDS;
    if (recent) evidence.push(`started ${ageText} ago, within Helm's default --timeout of 5 min: the helm that wrote it may still be running`);
    let who = '';
    if (record) {
      const w = writerOf(latest.status, record);
      who = `${w.verb}, ${w.helm}`;
      const how = w.helm === 'Helm 4' ? 'Helm 4' : 'Helm 3 (no apply_method in the record; Helm 4 writes one)';
      evidence.push(`written by ${w.verb}${w.note ? ` (${w.note})` : ''} with ${how}${w.flags.length > 0 ? `; flags: ${w.flags.join(', ')}` : ''}`);
    } else {
      evidence.push(`the record ${latest.object} could not be read: what wrote it is unknown`);
    }
    evidence.push(lastGood ? `last deployed revision: ${lastGood.version} (${lastGood.status})` : 'no earlier revision was ever deployed');
    if (record?.firstDeployed && latest.status !== 'pending-install') evidence.push(`first installed ${record.firstDeployed}`);

    const firstInstall = latest.status === 'pending-install' || !lastGood;
    const way: WayOut = running.length > 0 || recent ? 'wait' : firstInstall ? 'uninstall' : 'rollback';
    learned['wayOut'] = way;
    const stuck = ageText ? `has been ${latest.status} for ${ageText}` : `is ${latest.status}`;
    const because = running.length > 0 ? `${running.map((v) => v.label).slice(0, 2).join(', ')} still running` : recent ? 'it started moments ago' : 'nothing is running for it';
    const advice = way === 'wait' ? 'wait for it before acting'
      : way === 'uninstall' ? (latest.status === 'pending-install' ? 'the first install never completed: uninstall it, then install again' : 'no revision was ever deployed: uninstall it, then install again')
        : `roll back to revision ${lastGood!.version}`;
    return {
      status: 'confirmed',
      summary: `release ${release} revision ${latest.version} ${stuck}${who ? ` (${who})` : ''}; ${because}: ${advice}`,
      evidence,
      learned,
      commands: wayOutCommands(release, namespace, way, latest, lastGood, running),
    };
  },
});

const safe = (value: string, placeholder: string): string => (isShellSafe(value) ? value : `<${placeholder}>`);

/** Copy-only commands for the chosen way out, each change with its risk. Never edits the release Secret. */
export function wayOutCommands(release: string, namespace: string, way: WayOut, pending: RevisionMeta, lastGood: RevisionMeta | null, running: readonly TargetVerdict[]): RenderedCommand[] {
  const rel = safe(release, 'release');
  const ns = safe(namespace, 'namespace');
  const out: RenderedCommand[] = [{ command: `helm history ${rel} -n ${ns} --max 5`, description: `Revision ${pending.version} is the pending one.`, effect: 'read-only' }];
  const rollback = (when: string): RenderedCommand => ({
    command: `helm rollback ${rel} ${lastGood!.version} -n ${ns} --wait --timeout 10m`,
    description: `${when}: clears the lock with a new revision built from revision ${lastGood!.version}, the last deployed.`,
    effect: 'changes-cluster',
    risk: `Replaces what revision ${pending.version} changed with revision ${lastGood!.version}'s manifests and runs its rollback hooks; pods of ${pending.version} are replaced.`,
  });
  const uninstall = (when: string): RenderedCommand => ({
    command: `helm uninstall ${rel} -n ${ns} --wait`,
    description: `${when}: removes the never-deployed release so the next install starts clean.`,
    effect: 'changes-cluster',
    risk: `Deletes every object revision ${pending.version} created (and their data, except PVCs made from StatefulSet templates) and the release's records.`,
  });
  if (way === 'wait') {
    for (const v of running.filter((r) => r.label.startsWith('Job/')).slice(0, 2)) {
      const job = v.label.split(' ')[0]!.slice('Job/'.length);
      out.push({ command: `kubectl -n ${ns} logs job/${safe(job, 'job')} --follow`, description: 'Follow the hook Job that is still running.', effect: 'read-only' });
    }
    out.push({ command: `helm status ${rel} -n ${ns}`, description: 'Run again in a few minutes: the status leaves pending-* when the running helm finishes.', effect: 'read-only' });
    if (lastGood && pending.status !== 'pending-install') out.push(rollback('Only if nothing finishes and no helm or pipeline still runs for it'));
    else out.push(uninstall('Only if nothing finishes and no helm or pipeline still runs for it'));
    return out;
  }
  out.push(way === 'rollback' ? rollback('Make sure no pipeline or controller still deploys it, then') : uninstall('Make sure no pipeline or controller still deploys it, then'));
  return out;
}
