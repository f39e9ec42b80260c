// Rollback plans built by hand for the renderers' tests (the planner has its own tests): the founding
// clusterIP case with every part a plan can have, a safe one, and one that could not be planned.
import type { ObjectChange, Prediction, RollbackPlan } from '../../src/model/rollback.js';

export const PING = '<!channel> <@U0BOSS> <https://evil.example|click>';

const service = { apiVersion: 'v1', kind: 'Service', namespace: 'kruise-system', name: 'kruise-webhook-service' };

export function willFailPlan(over: Partial<RollbackPlan> = {}): RollbackPlan {
  const predictions: Prediction[] = [
    {
      kind: 'objects-deleted', severity: 'needs-care',
      object: { apiVersion: 'v1', kind: 'PersistentVolumeClaim', namespace: 'kruise-system', name: 'cache' },
      summary: 'PersistentVolumeClaim kruise-system/cache is not in revision 1: the rollback deletes it and its data',
      evidence: ['revision 2 manifest: PersistentVolumeClaim cache', 'revision 1 manifest: no such object'],
      fixFirst: [{ command: 'kubectl -n kruise-system get pvc cache -o yaml', effect: 'read-only', description: 'keep a copy' }],
    },
    {
      kind: 'immutable-service-ip', severity: 'will-fail', object: service,
      summary: 'Service kruise-system/kruise-webhook-service: spec.clusterIP would be unset (10.96.120.7 → none)',
      evidence: ['live spec.clusterIP: 10.96.120.7', 'revision 1 manifest sets no clusterIP', `annotation note: ${PING}`],
      fixFirst: [{
        command: 'kubectl -n kruise-system delete service kruise-webhook-service', effect: 'changes-cluster',
        risk: 'the webhook is unreachable until the rollback recreates the Service',
      }],
    },
  ];
  const objects: ObjectChange[] = [
    {
      object: service, change: 'changed',
      fields: [
        { path: 'spec.clusterIP', from: '10.96.120.7' },
        { path: 'spec.clusterIPs[0]', from: '10.96.120.7' },
        { path: 'spec.ipFamilies[0]', from: 'IPv4' },
        { path: 'spec.ipFamilyPolicy', from: 'SingleStack' },
        { path: 'metadata.annotations.note', from: PING, to: 'plain' },
      ],
    },
    {
      object: { apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'kruise-system', name: 'kruise-controller-manager' },
      change: 'changed',
      fields: [
        { path: 'spec.template.spec.containers[0].image', from: 'openkruise/kruise-manager:v1.4.0', to: 'openkruise/kruise-manager:v1.1.0' },
        { path: 'spec.template.spec.containers[0].env[3].value', from: '[redacted]', to: '[redacted]' },
        { path: 'spec.template.spec.containers[0].args[7]', to: '--feature-gates=' + 'VeryLongFeatureGateName=true,'.repeat(12) },
        { path: 'spec.template.metadata.annotations.checksum/config-with-a-really-long-annotation-key-name.example.com', from: 'a'.repeat(64), to: 'b'.repeat(64) },
      ],
    },
    { object: { apiVersion: 'v1', kind: 'PersistentVolumeClaim', namespace: 'kruise-system', name: 'cache' }, change: 'removed', fields: [{ path: 'spec.resources.requests.storage', from: '10Gi' }] },
    { object: { apiVersion: 'v1', kind: 'ConfigMap', namespace: 'kruise-system', name: 'kruise-legacy' }, change: 'added', fields: [{ path: 'data.mode', to: 'legacy' }] },
    { object: { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', namespace: '', name: 'kruise-manager-role' }, change: 'changed', fields: [{ path: 'rules[4].verbs[2]', from: 'patch' }] },
    { object: { apiVersion: 'v1', kind: 'ServiceAccount', namespace: 'kruise-system', name: 'kruise-daemon' }, change: 'changed', fields: [{ path: 'metadata.labels.tier', from: 'b', to: 'a' }] },
  ];
  return {
    v: 1,
    request: { release: 'kruise', namespace: 'kruise-system', revision: 1, context: 'prod-eu' },
    current: { revision: 2, status: 'deployed', chart: 'kruise-1.4.0', appVersion: '1.4.0', deployedAt: '2026-01-05T10:02:00Z' },
    target: { revision: 1, status: 'superseded', chart: 'kruise-1.1.0', appVersion: '1.1.0', deployedAt: '2026-01-05T10:01:00Z' },
    verdict: { kind: 'will-fail', summary: 'will fail: Service kruise-system/kruise-webhook-service spec.clusterIP would be unset, and Kubernetes 1.21 rejects that' },
    predictions,
    diff: {
      chart: { from: 'kruise-1.4.0', to: 'kruise-1.1.0' },
      appVersion: { from: '1.4.0', to: '1.1.0' },
      values: { changes: [{ path: 'manager.replicas', from: '3', to: '2' }, { path: 'webhook.token', from: '[redacted]' }] },
      objects,
      unchanged: 7,
    },
    command: { command: 'helm rollback kruise 1 -n kruise-system', effect: 'changes-cluster', risk: 'fails on the Service until it is recreated; deletes PVC cache' },
    requests: 9,
    notes: ['no permission to list persistentvolumeclaims in kube-system: PVC predictions there skipped'],
    createdAt: Date.UTC(2026, 10, 25, 12, 0, 0),
    ...over,
  };
}

export function safePlan(): RollbackPlan {
  return {
    ...willFailPlan(),
    request: { release: 'web', namespace: 'prod', revision: 3 },
    current: { revision: 4, status: 'failed', chart: 'web-2.0.1' },
    target: { revision: 3, status: 'deployed', chart: 'web-2.0.0' },
    verdict: { kind: 'safe', summary: 'safe to roll back' },
    predictions: [],
    diff: { chart: { from: 'web-2.0.1', to: 'web-2.0.0' }, appVersion: {}, values: { changes: [] }, objects: [], unchanged: 4 },
    command: { command: 'helm rollback web 3 -n prod', effect: 'changes-cluster', risk: 'restores revision 3 as it was' },
    notes: [],
  };
}

export function cannotPlan(): RollbackPlan {
  return {
    v: 1, request: { release: 'ghost', namespace: 'prod' }, current: null, target: null,
    verdict: { kind: 'cannot-plan', summary: 'release ghost has no revisions in namespace prod' },
    predictions: [], diff: null, command: null, requests: 1, notes: [], createdAt: Date.UTC(2026, 10, 25, 12, 0, 0),
  };
}
