// Table tests for the pure halves: readiness and causes of a revision's objects (live-workloads), the
// wait-timeout explainer's judge (unready-resources) and the stuck-release doctor's judge. Each cause
// has a twin: the same object with the cause present, and absent.
import { describe, expect, it } from 'vitest';
import {
  commonSelector, judgeAll, judgeTarget, podCauses, podOwner, targetsOf,
  type LiveState, type LiveTarget, type Target,
} from '../../src/checks/live-workloads.js';
import type { RevisionMeta } from '../../src/checks/releases.js';
import { stuckRelease, writerOf, type Gathered as Stuck, type PendingRecord } from '../../src/checks/stuck-release.js';
import { unreadyResources, type Gathered as Unready } from '../../src/checks/unready-resources.js';
import type { KubeObject } from '../../src/kube/types.js';

const NS = 'shop';
const now = new Date('2026-01-05T12:00:00Z');

function target(kind: string, name: string, over: Partial<Target> = {}): Target {
  const apiVersion = kind === 'Job' ? 'batch/v1' : kind === 'Pod' || kind === 'PersistentVolumeClaim' ? 'v1' : 'apps/v1';
  return { kind, apiVersion, name, namespace: NS, labels: { app: name }, podLabels: { app: name }, ...over };
}

function pod(name: string, status: Record<string, unknown>, spec: Record<string, unknown> = {}): KubeObject {
  return {
    apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: NS, ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web-5d9c7', uid: 'u', controller: true }] },
    spec: { containers: [{ name: 'web', image: 'registry.example/web:2.0.0' }], ...spec }, status,
  };
}

const notReady = { phase: 'Pending', conditions: [{ type: 'PodScheduled', status: 'True' }, { type: 'Ready', status: 'False' }] };
const ready = { phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }], containerStatuses: [{ name: 'web', ready: true, state: { running: { startedAt: 'x' } } }] };
const waiting = (reason: string, message = ''): Record<string, unknown> => ({ ...notReady, containerStatuses: [{ name: 'web', ready: false, state: { waiting: { reason, message } } }] });
const empty = (): Pick<LiveState, 'events' | 'claims'> => ({ events: {}, claims: {} });

describe('podCauses: each cause present, and its twin absent', () => {
  it.each([
    ['image-pull', waiting('ImagePullBackOff', 'Back-off pulling image'), 'image registry.example/web:2.0.0 cannot be pulled (ImagePullBackOff: Back-off pulling image)'],
    ['container-config', waiting('CreateContainerConfigError', 'secret "web-env" not found'), 'container web cannot be created (CreateContainerConfigError: secret "web-env" not found)'],
    ['crash-loop', { ...notReady, containerStatuses: [{ name: 'web', ready: false, restartCount: 5, state: { waiting: { reason: 'CrashLoopBackOff' } }, lastState: { terminated: { reason: 'OOMKilled', exitCode: 137 } } }] }, 'container web crash-looping (5 restarts), last exit: OOMKilled (exit code 137)'],
    ['unschedulable', { phase: 'Pending', conditions: [{ type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message: '0/3 nodes are available: 3 Insufficient memory.' }] }, 'pod web-1 cannot be scheduled: 0/3 nodes are available: 3 Insufficient memory.'],
  ])('%s', (kind, status, text) => {
    const causes = podCauses(pod('web-1', status), empty());
    expect(causes.map((c) => [c.kind, c.text])).toEqual([[kind, text]]);
    expect(podCauses(pod('web-1', ready), empty())).toEqual([]);
  });

  it('a job pod that exited non-zero names its exit reason', () => {
    const exited = { phase: 'Failed', conditions: [{ type: 'Ready', status: 'False' }], containerStatuses: [{ name: 'migrate', state: { terminated: { reason: 'Error', exitCode: 2 } } }] };
    expect(podCauses(pod('m-1', exited), empty())[0]?.text).toBe('container migrate exited: Error (exit code 2)');
    const done = { phase: 'Succeeded', containerStatuses: [{ name: 'migrate', state: { terminated: { reason: 'Completed', exitCode: 0 } } }] };
    expect(podCauses(pod('m-1', done), empty())).toEqual([]);
  });

  it('readiness probe: the Unhealthy event names it; without the event the pod is only not ready yet', () => {
    const running = { ...notReady, phase: 'Running', containerStatuses: [{ name: 'web', ready: false, state: { running: { startedAt: 'x' } } }] };
    const events = { [`${NS}/Pod/web-1`]: [{ reason: 'Unhealthy', message: 'Readiness probe failed: HTTP probe failed with statuscode: 503', count: 12, at: 'x' }] };
    expect(podCauses(pod('web-1', running), { events, claims: {} })[0]).toMatchObject({ kind: 'readiness-probe', text: 'container web fails its readiness probe (Readiness probe failed: HTTP probe failed with statuscode: 503, 12×)' });
    expect(podCauses(pod('web-1', running), empty())).toEqual([]);
  });

  it('a pending claim is the cause of an unschedulable pod; a bound one is not', () => {
    const status = { phase: 'Pending', conditions: [{ type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message: 'pod has unbound immediate PersistentVolumeClaims' }] };
    const p = pod('db-0', status, { volumes: [{ name: 'data', persistentVolumeClaim: { claimName: 'data-db-0' } }] });
    const claim = (phase: string): KubeObject => ({ apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name: 'data-db-0', namespace: NS }, spec: { storageClassName: 'fast-ssd' }, status: { phase } });
    expect(podCauses(p, { events: {}, claims: { [`${NS}/data-db-0`]: claim('Pending') } })[0]).toMatchObject({ kind: 'pvc-pending', claim: 'data-db-0', text: 'PersistentVolumeClaim data-db-0 is Pending (storage class fast-ssd)' });
    expect(podCauses(p, { events: {}, claims: { [`${NS}/data-db-0`]: claim('Bound') } })[0]?.kind).toBe('unschedulable');
  });
});

describe('judgeTarget: workloads, jobs, claims', () => {
  const deploy = (status: Record<string, unknown>, conditions: unknown[] = []): KubeObject => ({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: NS }, spec: { replicas: 2 }, status: { ...status, conditions } });
  const lt = (t: Target, live: KubeObject | null, pods: KubeObject[] = []): LiveTarget => ({ target: t, live, pods });

  it('a Deployment that cannot create pods (quota) vs one that only has not caught up', () => {
    const failure = { type: 'ReplicaFailure', status: 'True', reason: 'FailedCreate', message: 'pods "web-5d9c7-x" is forbidden: exceeded quota: compute, requested: cpu=2' };
    const v = judgeTarget(lt(target('Deployment', 'web'), deploy({ availableReplicas: 0, updatedReplicas: 0 }, [failure])), empty());
    expect(v).toMatchObject({ ready: false, active: false, progress: '0/2 ready' });
    expect(v.causes[0]).toMatchObject({ kind: 'replica-failure' });
    const twin = judgeTarget(lt(target('Deployment', 'web'), deploy({ availableReplicas: 0, updatedReplicas: 0 })), empty());
    expect(twin.causes.map((c) => c.kind)).toEqual(['progressing']);
    expect(twin.active).toBe(true);
    expect(judgeTarget(lt(target('Deployment', 'web'), deploy({ availableReplicas: 2, updatedReplicas: 2 })), empty()).ready).toBe(true);
  });

  it('a hook Job that failed, one still running, one complete', () => {
    const job = (status: Record<string, unknown>): KubeObject => ({ apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'migrate', namespace: NS }, status });
    const hook = target('Job', 'migrate', { hook: ['pre-upgrade'] });
    const failed = judgeTarget(lt(hook, job({ failed: 1, conditions: [{ type: 'Failed', status: 'True', reason: 'BackoffLimitExceeded', message: 'Job has reached the specified backoff limit' }] })), empty());
    expect(failed).toMatchObject({ label: 'Job/migrate (pre-upgrade hook)', ready: false, active: false });
    expect(failed.causes[0]?.text).toBe('Job migrate failed: BackoffLimitExceeded (Job has reached the specified backoff limit)');
    const running = judgeTarget(lt(hook, job({ active: 1 })), empty());
    expect(running).toMatchObject({ ready: false, active: true });
    expect(running.causes[0]?.kind).toBe('job-running');
    expect(judgeTarget(lt(hook, job({ succeeded: 1, conditions: [{ type: 'Complete', status: 'True' }] })), empty())).toMatchObject({ ready: true, active: false });
  });

  it('an object missing from the cluster vs present', () => {
    expect(judgeTarget(lt(target('PersistentVolumeClaim', 'data'), null), empty()).causes[0]?.kind).toBe('missing');
    const bound: KubeObject = { apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name: 'data', namespace: NS }, status: { phase: 'Bound' } };
    expect(judgeTarget(lt(target('PersistentVolumeClaim', 'data'), bound), empty()).ready).toBe(true);
  });

  it('judgeAll puts the worst cause first and ready objects last', () => {
    const state: LiveState = {
      events: { [`${NS}/Pod/api-1`]: [{ reason: 'Unhealthy', message: 'Readiness probe failed: 503', count: 1, at: 'x' }] },
      claims: {}, capped: [],
      targets: [
        lt(target('Deployment', 'ok'), deploy({ availableReplicas: 2, updatedReplicas: 2 })),
        lt(target('Deployment', 'api'), deploy({ availableReplicas: 1, updatedReplicas: 1 }), [pod('api-1', { ...notReady, phase: 'Running', containerStatuses: [{ name: 'web', ready: false, state: { running: { startedAt: 'x' } } }] })]),
        lt(target('Deployment', 'web'), deploy({ availableReplicas: 0, updatedReplicas: 0 }), [pod('web-1', waiting('ErrImagePull'))]),
      ],
    };
    expect(judgeAll(state).map((v) => `${v.label}:${v.causes[0]?.kind ?? 'ready'}`)).toEqual(['Deployment/web:image-pull', 'Deployment/api:readiness-probe', 'Deployment/ok:ready']);
  });
});

describe('targets, selectors and owners', () => {
  it('takes waitable objects from the manifest and Job hooks, nothing else', () => {
    const manifest = 'apiVersion: v1\nkind: Service\nmetadata: { name: web }\n---\napiVersion: apps/v1\nkind: Deployment\nmetadata: { name: web, labels: { a: b } }\nspec: { template: { metadata: { labels: { a: b, c: d } } } }\n';
    const hook = { name: 'm', kind: 'Job', events: ['pre-upgrade'], manifest: 'apiVersion: batch/v1\nkind: Job\nmetadata: { name: migrate, namespace: other }\n' };
    expect(targetsOf(manifest, [hook], NS).map((t) => `${t.kind}/${t.name}@${t.namespace}:${JSON.stringify(t.podLabels)}:${t.hook?.join() ?? ''}`)).toEqual([
      'Deployment/web@shop:{"a":"b","c":"d"}:', 'Job/migrate@other:{}:pre-upgrade',
    ]);
  });
  it('selects by the labels all objects share, never by unsafe text', () => {
    expect(commonSelector([{ 'app.kubernetes.io/instance': 'web', x: '1' }, { 'app.kubernetes.io/instance': 'web', x: '2' }])).toBe('app.kubernetes.io/instance=web');
    expect(commonSelector([{ a: 'b' }, { c: 'd' }])).toBe('');
    expect(commonSelector([{ 'a,b': 'c', d: 'e f' }])).toBe('');
  });
  it('finds the Deployment behind a ReplicaSet-owned pod', () => {
    expect(podOwner(pod('web-5d9c7-x', ready))).toEqual({ kind: 'Deployment', name: 'web' });
    expect(podOwner({ metadata: { ownerReferences: [{ apiVersion: 'batch/v1', kind: 'Job', name: 'migrate', uid: 'u', controller: true }] } })).toEqual({ kind: 'Job', name: 'migrate' });
  });
});

const rev = (version: number, status: string): RevisionMeta => ({ version, status, driver: 'Secret', object: `sh.helm.release.v1.web.v${version}` });

describe('unready-resources judge', () => {
  const state = (targets: LiveTarget[]): LiveState => ({ targets, events: {}, claims: {}, capped: [] });
  const broken: LiveTarget = { target: target('Deployment', 'web'), live: { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web' }, spec: { replicas: 1 }, status: {} }, pods: [pod('web-5d9c7-x', waiting('ErrImagePull'))] };
  const g = (over: Partial<Unready>): Unready => ({ release: 'web', namespace: NS, failed: rev(5, 'failed'), current: rev(4, 'deployed'), lastGood: rev(4, 'deployed'), live: state([broken]), ...over });

  it('confirms with the worst object, and a rollback filled with the last deployed revision', () => {
    const f = unreadyResources.judge(g({}), {}, now);
    expect(f.status).toBe('confirmed');
    expect(f.learned).toMatchObject({ cause: 'image-pull', image: 'registry.example/web:2.0.0', failedRevision: '5', pod: 'web-5d9c7-x' });
    expect(f.commands?.map((c) => c.command)).toEqual(['kubectl -n shop describe pod web-5d9c7-x', 'helm rollback web 4 -n shop --wait']);
  });
  it('a failed pre-upgrade hook stopped Helm before the manifests: no rollback offered; a post-upgrade one: offered', () => {
    const hookJob = (events: string[]): LiveTarget => ({ target: target('Job', 'migrate', { hook: events }), live: { apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'migrate' }, status: { conditions: [{ type: 'Failed', status: 'True', reason: 'DeadlineExceeded' }] } }, pods: [] });
    const pre = unreadyResources.judge(g({ live: state([hookJob(['pre-upgrade'])]) }), {}, now);
    expect(pre.commands?.map((c) => c.command)).toEqual(['kubectl -n shop logs job/migrate --all-containers', 'kubectl -n shop describe job/migrate', 'helm history web -n shop --max 5']);
    const post = unreadyResources.judge(g({ live: state([hookJob(['post-upgrade'])]) }), {}, now);
    expect(post.commands?.at(-1)?.command).toBe('helm rollback web 4 -n shop --wait');
  });
  it('after an --atomic rollback it offers no second rollback', () => {
    const f = unreadyResources.judge(g({ current: rev(6, 'deployed') }), {}, now);
    expect(f.commands?.some((c) => c.command.startsWith('helm rollback'))).toBe(false);
  });
  it('refutes when everything is ready, and is inconclusive without a failed revision or objects', () => {
    expect(unreadyResources.judge(g({ live: state([]) }), {}, now).status).toBe('inconclusive');
    expect(unreadyResources.judge(g({ failed: null, live: null }), {}, now).status).toBe('inconclusive');
    const fine = { ...broken, live: { ...broken.live!, status: { availableReplicas: 1, updatedReplicas: 1 } }, pods: [] };
    expect(unreadyResources.judge(g({ live: state([fine]) }), {}, now).status).toBe('refuted');
  });
});

describe('stuck-release judge', () => {
  const record = (over: Partial<PendingRecord> = {}): PendingRecord => ({
    description: 'Preparing upgrade', chart: 'web-1.2.0', lastDeployed: '2026-01-05T10:00:00Z', labels: {}, hooks: [], ...over,
  });
  const live = (targets: LiveTarget[] = []): LiveState => ({ targets, events: {}, claims: {}, capped: [] });
  const g = (over: Partial<Stuck> = {}): Stuck => ({ release: 'web', namespace: NS, latest: rev(5, 'pending-upgrade'), lastGood: rev(4, 'deployed'), record: record(), live: live(), ...over });
  const commands = (s: Stuck): string[] => stuckRelease.judge(s, {}, now).commands?.map((c) => c.command) ?? [];
  const activeJob: LiveTarget = { target: target('Job', 'migrate', { hook: ['pre-upgrade'] }), live: { apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'migrate' }, status: { active: 1 } }, pods: [] };
  const doneJob: LiveTarget = { ...activeJob, live: { ...activeJob.live!, status: { succeeded: 1, conditions: [{ type: 'Complete', status: 'True' }] } } };

  it('not pending: refuted', () => {
    expect(stuckRelease.judge(g({ latest: rev(5, 'deployed') }), {}, now).status).toBe('refuted');
  });
  it('pending-upgrade, nothing running: roll back to the last deployed revision', () => {
    const f = stuckRelease.judge(g(), {}, now);
    expect(f.status).toBe('confirmed');
    expect(f.summary).toBe('release web revision 5 has been pending-upgrade for 2 h (helm upgrade, Helm 3); nothing is running for it: roll back to revision 4');
    expect(f.learned).toMatchObject({ wayOut: 'rollback', pendingRevision: '5', lastDeployedRevision: '4', pendingFor: '2 h' });
    expect(commands(g())).toEqual(['helm history web -n shop --max 5', 'helm rollback web 4 -n shop --wait --timeout 10m']);
  });
  it('first install (pending-install) or never deployed: uninstall; an upgrade with a deployed revision: not', () => {
    expect(commands(g({ latest: rev(1, 'pending-install'), lastGood: null, record: record({ description: 'Initial install underway' }) }))).toContain('helm uninstall web -n shop --wait');
    expect(commands(g({ lastGood: null }))).toContain('helm uninstall web -n shop --wait');
    expect(commands(g()).some((c) => c.startsWith('helm uninstall'))).toBe(false);
  });
  it('a hook Job still active: wait; the same Job complete: roll back', () => {
    const waiting = stuckRelease.judge(g({ live: live([activeJob]) }), {}, now);
    expect(waiting.learned?.['wayOut']).toBe('wait');
    expect(waiting.commands?.map((c) => c.command)).toContain('kubectl -n shop logs job/migrate --follow');
    expect(stuckRelease.judge(g({ live: live([doneJob]) }), {}, now).learned?.['wayOut']).toBe('rollback');
  });
  it('started less than 5 minutes ago: wait; hours ago: act', () => {
    expect(stuckRelease.judge(g({ record: record({ lastDeployed: '2026-01-05T11:58:00Z' }) }), {}, now).learned?.['wayOut']).toBe('wait');
    expect(stuckRelease.judge(g({ record: record({ lastDeployed: '2026-01-05T09:00:00Z' }) }), {}, now).learned?.['wayOut']).toBe('rollback');
  });
  it('pods failing (image pull) are not "still running": roll back; pods only starting: wait', () => {
    const deploy: KubeObject = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web' }, spec: { replicas: 1 }, status: {} };
    const failing: LiveTarget = { target: target('Deployment', 'web'), live: deploy, pods: [pod('web-5d9c7-x', waiting('ImagePullBackOff'))] };
    const starting: LiveTarget = { ...failing, pods: [pod('web-5d9c7-x', waiting('ContainerCreating'))] };
    expect(stuckRelease.judge(g({ live: live([failing]) }), {}, now).learned?.['wayOut']).toBe('rollback');
    expect(stuckRelease.judge(g({ live: live([starting]) }), {}, now).learned?.['wayOut']).toBe('wait');
  });
  it('never suggests editing or deleting the release Secret', () => {
    for (const s of [g(), g({ lastGood: null }), g({ live: live([activeJob]) })]) {
      expect(commands(s).join('\n')).not.toMatch(/secret/i);
    }
  });
});

describe('writerOf: what the record says wrote it', () => {
  const r = (over: Partial<PendingRecord>): PendingRecord => ({ description: 'Preparing upgrade', chart: 'web-1', labels: {}, hooks: [], ...over });
  it('Helm 4 with server-side apply vs Helm 3', () => {
    expect(writerOf('pending-upgrade', r({ applyMethod: 'ssa' }))).toEqual({ verb: 'helm upgrade', helm: 'Helm 4', flags: ['--server-side (apply_method ssa)'] });
    expect(writerOf('pending-upgrade', r({ applyMethod: 'csa' })).flags).toEqual(['client-side apply (apply_method csa)']);
    expect(writerOf('pending-upgrade', r({}))).toEqual({ verb: 'helm upgrade', helm: 'Helm 3', flags: [] });
  });
  it('--labels when the record carries user labels, none otherwise', () => {
    expect(writerOf('pending-upgrade', r({ labels: { team: 'payments', tier: 'web' } })).flags).toEqual(['--labels team=payments,tier=web']);
    expect(writerOf('pending-upgrade', r({ labels: {} })).flags).toEqual([]);
  });
  it('the verb from the description Helm writes while pending', () => {
    expect(writerOf('pending-rollback', r({ description: 'Rollback to 3' })).verb).toBe('helm rollback');
    expect(writerOf('pending-install', r({ description: 'Initial install underway' }))).toMatchObject({ verb: 'helm install', note: 'or helm upgrade --install' });
    expect(writerOf('pending-upgrade', r({ description: 'deploy by ci' })).note).toBe('description "deploy by ci" is not one Helm writes while pending');
  });
});
