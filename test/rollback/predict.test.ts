// One describe per PredictionKind: the case that predicts it and the twin that refutes it, from pure inputs.
import { describe, expect, it } from 'vitest';
import { PREDICTION_KINDS } from '../../src/model/rollback.js';
import {
  byWorstFirst, PREDICTORS, predictAll, predictApiNotServed, predictImmutableServiceIp, predictJobTemplate, predictLoadBalancerClass,
  predictObjectsDeleted, predictOwnership, predictPvcSpec, predictSelector, predictValuesPinned, quantityBytes,
} from '../../src/rollback/predict.js';
import { OWNED, planFacts } from './support.js';

const svc = (spec: string): string => `apiVersion: v1\nkind: Service\nmetadata: { name: web }\nspec: ${spec}\n`;
const liveSvc = (spec: string, meta = OWNED): string => `- apiVersion: v1\n  kind: Service\n  metadata: { name: web, namespace: shop, ${meta} }\n  spec: ${spec}\n`;

describe('the predictor registry', () => {
  it('has one predictor per PredictionKind, and sorts will-fail before needs-care', () => {
    expect(Object.keys(PREDICTORS).sort()).toEqual([...PREDICTION_KINDS].sort());
    const p = (severity: 'will-fail' | 'needs-care', kind: (typeof PREDICTION_KINDS)[number]) => ({ kind, severity, summary: '', evidence: [], fixFirst: [] });
    expect([p('needs-care', 'immutable-service-ip'), p('will-fail', 'api-not-served'), p('will-fail', 'immutable-service-ip')].sort(byWorstFirst).map((x) => `${x.severity} ${x.kind}`))
      .toEqual(['will-fail immutable-service-ip', 'will-fail api-not-served', 'needs-care immutable-service-ip']);
  });

  it('predicts nothing for a rollback that changes a label only', () => {
    const f = planFacts({ current: svc('{ ports: [{ port: 80 }] }'), target: svc('{ ports: [{ port: 80 }] }'), live: liveSvc('{ clusterIP: 10.0.0.9, ports: [{ port: 80 }] }') });
    expect(predictAll(f)).toEqual([]);
  });
});

describe('immutable-service-ip', () => {
  const current = svc('{ clusterIP: 10.0.0.12, clusterIPs: [10.0.0.12], ipFamilies: [IPv4], ports: [{ port: 80 }] }');
  const target = svc('{ ports: [{ port: 80 }] }');
  const live = liveSvc('{ clusterIP: 10.0.0.12, clusterIPs: [10.0.0.12], ipFamilies: [IPv4], ports: [{ port: 80 }] }');

  it('fails on 1.21 when the target unsets what the current revision set (templated from the live values)', () => {
    const [p, ...rest] = predictImmutableServiceIp(planFacts({ current, target, live, serverVersion: 'v1.21.14-eks-1' }));
    expect(rest).toEqual([]);
    expect(p).toMatchObject({ kind: 'immutable-service-ip', severity: 'will-fail', object: { kind: 'Service', name: 'web', namespace: 'shop' } });
    expect(p?.summary).toContain('revision 5 sets clusterIP, clusterIPs, ipFamilies (the live values: templated with lookup), revision 3 does not');
    expect(p?.evidence).toContain('GET /version: v1.21.14-eks-1');
    expect(p?.fixFirst.map((c) => c.command)).toContain('kubectl delete service web -n shop');
  });

  it('is safe on 1.22, and needs care when the version is unknown', () => {
    expect(predictImmutableServiceIp(planFacts({ current, target, live, serverVersion: 'v1.22.0' }))).toEqual([]);
    expect(predictImmutableServiceIp(planFacts({ current, target, live, serverVersion: null }))[0]?.severity).toBe('needs-care');
  });

  it('fails on any version when the target sets another clusterIP, and not when the Service is created afresh', () => {
    const other = svc('{ clusterIP: 10.0.0.99, ports: [{ port: 80 }] }');
    const [p] = predictImmutableServiceIp(planFacts({ current, target: other, live, serverVersion: 'v1.30.0' }));
    expect(p?.severity).toBe('will-fail');
    expect(p?.summary).toContain('clusterIP 10.0.0.99 (now 10.0.0.12)');
    expect(predictImmutableServiceIp(planFacts({ current, target: other, serverVersion: 'v1.21.5' }))).toEqual([]);
  });
});

describe('immutable-load-balancer-class', () => {
  const lb = svc('{ type: LoadBalancer, ports: [{ port: 443 }] }');
  const live = liveSvc('{ type: LoadBalancer, loadBalancerClass: service.k8s.aws/nlb, ports: [{ port: 443 }] }');
  const createOnly = { webhooks: [{ configuration: 'aws-load-balancer-webhook', webhook: 'mservice.elbv2.k8s.aws', operations: ['CREATE'] }], controller: { namespace: 'kube-system', name: 'aws-load-balancer-controller', image: 'public.ecr.aws/eks/aws-load-balancer-controller:v2.7.1' } };
  const fixed = { webhooks: [{ configuration: 'aws-load-balancer-webhook', webhook: 'mservice.elbv2.k8s.aws', operations: ['CREATE', 'UPDATE'] }], controller: { namespace: 'kube-system', name: 'aws-load-balancer-controller', image: 'public.ecr.aws/eks/aws-load-balancer-controller:v2.8.0' } };

  it('fails with --force when the webhook handles CREATE only and the target lacks the class', () => {
    const [p] = predictLoadBalancerClass(planFacts({ current: lb, target: lb, live, lbc: createOnly, force: true }));
    expect(p).toMatchObject({ severity: 'will-fail', onlyWithForce: true });
    expect(p?.evidence).toContain('aws-load-balancer-webhook/mservice.elbv2.k8s.aws: operations [CREATE]');
    expect(p?.evidence.join('\n')).toContain('v2.7.1 (< v2.8.0: its webhook handles CREATE only)');
    expect(p?.fixFirst.map((c) => c.description ?? '')).toEqual([
      expect.stringContaining('upgrade the AWS Load Balancer Controller to ≥ v2.8.0'),
      expect.stringContaining('set loadBalancerClass: service.k8s.aws/nlb'),
      expect.stringContaining('roll back without --force'),
    ]);
    // Without --force asked, the same is a caution: do not add it.
    expect(predictLoadBalancerClass(planFacts({ current: lb, target: lb, live, lbc: createOnly }))[0]?.severity).toBe('needs-care');
  });

  it('is refuted when the webhook handles UPDATE, or the target sets the same class, or nothing is set live', () => {
    expect(predictLoadBalancerClass(planFacts({ current: lb, target: lb, live, lbc: fixed, force: true }))).toEqual([]);
    const same = svc('{ type: LoadBalancer, loadBalancerClass: service.k8s.aws/nlb, ports: [{ port: 443 }] }');
    expect(predictLoadBalancerClass(planFacts({ current: lb, target: same, live, lbc: createOnly, force: true }))).toEqual([]);
    expect(predictLoadBalancerClass(planFacts({ current: lb, target: lb, live: liveSvc('{ type: LoadBalancer }'), lbc: createOnly, force: true }))).toEqual([]);
  });

  it('fails without --force too when the current revision set the class and the target drops it, or sets another', () => {
    const set = svc('{ type: LoadBalancer, loadBalancerClass: service.k8s.aws/nlb }');
    const dropped = predictLoadBalancerClass(planFacts({ current: set, target: lb, live, lbc: createOnly }))[0];
    expect(dropped).toMatchObject({ severity: 'will-fail' });
    expect(dropped?.onlyWithForce).toBeUndefined();
    const other = svc('{ type: LoadBalancer, loadBalancerClass: example.com/other }');
    expect(predictLoadBalancerClass(planFacts({ current: lb, target: other, live, lbc: fixed }))[0]?.summary).toContain('revision 3 sets example.com/other: it may not change once set');
  });
});

describe('immutable-selector', () => {
  const deploy = (app: string): string => `apiVersion: apps/v1\nkind: Deployment\nmetadata: { name: api }\nspec:\n  selector: { matchLabels: { app: ${app} } }\n  template: { metadata: { labels: { app: ${app} } } }\n`;
  const live = `- apiVersion: apps/v1\n  kind: Deployment\n  metadata: { name: api, namespace: shop, ${OWNED} }\n  spec: { selector: { matchLabels: { app: api-v2 } } }\n`;
  it('fails when the target changes spec.selector of a live workload', () => {
    const [p] = predictSelector(planFacts({ current: deploy('api-v2'), target: deploy('api'), live }));
    expect(p).toMatchObject({ kind: 'immutable-selector', severity: 'will-fail' });
    expect(p?.fixFirst[0]?.command).toBe('kubectl delete deployment.apps api -n shop --cascade=orphan');
  });
  it('is safe when the selector is the same, or the workload is created afresh', () => {
    expect(predictSelector(planFacts({ current: deploy('api'), target: deploy('api'), live }))).toEqual([]);
    expect(predictSelector(planFacts({ current: deploy('api-v2'), target: deploy('api') }))).toEqual([]);
  });
  it('fails when a StatefulSet changes a field outside the updatable set', () => {
    const sts = (claim: string): string => `apiVersion: apps/v1\nkind: StatefulSet\nmetadata: { name: db }\nspec:\n  selector: { matchLabels: { app: db } }\n  serviceName: db\n  replicas: 1\n  volumeClaimTemplates: [{ metadata: { name: ${claim} } }]\n`;
    const liveSts = `- apiVersion: apps/v1\n  kind: StatefulSet\n  metadata: { name: db, namespace: shop, ${OWNED} }\n  spec: { selector: { matchLabels: { app: db } } }\n`;
    expect(predictSelector(planFacts({ current: sts('data'), target: sts('pgdata'), live: liveSts }))[0]?.summary).toContain('spec.volumeClaimTemplates');
    expect(predictSelector(planFacts({ current: sts('data').replace('replicas: 1', 'replicas: 3'), target: sts('data'), live: liveSts }))).toEqual([]);
  });
});

describe('immutable-job-template', () => {
  const job = (image: string): string => `apiVersion: batch/v1\nkind: Job\nmetadata: { name: migrate }\nspec:\n  template:\n    spec: { containers: [{ name: m, image: ${image} }], restartPolicy: Never }\n`;
  const live = `- apiVersion: batch/v1\n  kind: Job\n  metadata: { name: migrate, namespace: shop, ${OWNED} }\n  spec: { template: { spec: { containers: [{ name: m, image: app:2, terminationMessagePath: /dev/termination-log }] } } }\n`;
  it('fails when the target changes the template of a Job that exists', () => {
    const [p] = predictJobTemplate(planFacts({ current: job('app:2'), target: job('app:1'), live }));
    expect(p).toMatchObject({ kind: 'immutable-job-template', severity: 'will-fail' });
    expect(p?.fixFirst[0]?.command).toBe('kubectl delete job.batch migrate -n shop');
  });
  it('is safe when the template is the same (server defaults on the live Job do not count), or the Job is gone', () => {
    expect(predictJobTemplate(planFacts({ current: job('app:1'), target: job('app:1'), live }))).toEqual([]);
    expect(predictJobTemplate(planFacts({ current: job('app:2'), target: job('app:1') }))).toEqual([]);
  });
});

describe('immutable-pvc-spec', () => {
  const pvc = (size: string, cls = 'gp3'): string => `apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata: { name: data }\nspec:\n  accessModes: [ReadWriteOnce]\n  storageClassName: ${cls}\n  resources: { requests: { storage: ${size} } }\n`;
  const live = (size: string): string => `- apiVersion: v1\n  kind: PersistentVolumeClaim\n  metadata: { name: data, namespace: shop, ${OWNED} }\n  spec: { resources: { requests: { storage: ${size} } }, volumeName: pv-1 }\n`;
  it('fails when the target changes another spec field, or shrinks the claim', () => {
    expect(predictPvcSpec(planFacts({ current: pvc('10Gi'), target: pvc('10Gi', 'gp2'), live: live('10Gi') }))[0]?.summary).toContain('spec fields other than the storage request');
    expect(predictPvcSpec(planFacts({ current: pvc('20Gi'), target: pvc('10Gi'), live: live('20Gi') }))[0]?.summary).toContain('storage 20Gi → 10Gi (a claim cannot shrink)');
  });
  it('is safe when only the storage request grows, or the claim is the same', () => {
    expect(predictPvcSpec(planFacts({ current: pvc('10Gi'), target: pvc('20Gi'), live: live('10Gi') }))).toEqual([]);
    expect(predictPvcSpec(planFacts({ current: pvc('10Gi'), target: pvc('10Gi'), live: live('10Gi') }))).toEqual([]);
  });
  it('reads quantities', () => {
    expect(quantityBytes('10Gi')).toBe(10 * 2 ** 30);
    expect(quantityBytes('500M')).toBe(5e8);
    expect(quantityBytes('lots')).toBeNull();
  });
});

describe('objects-deleted', () => {
  const both = 'apiVersion: v1\nkind: ConfigMap\nmetadata: { name: shared }\n';
  const pvc = 'apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata: { name: cache }\nspec: { resources: { requests: { storage: 1Gi } } }\n';
  const cm = 'apiVersion: v1\nkind: ConfigMap\nmetadata: { name: feature-flags }\n';
  const live = `- apiVersion: v1\n  kind: PersistentVolumeClaim\n  metadata: { name: cache, namespace: shop, ${OWNED} }\n- apiVersion: v1\n  kind: ConfigMap\n  metadata: { name: feature-flags, namespace: shop, ${OWNED} }\n`;
  it('warns of each object only the current revision has, a PVC on its own (its data), and what --cleanup-on-fail would touch', () => {
    const ps = predictObjectsDeleted(planFacts({ current: `${both}---\n${pvc}---\n${cm}`, target: `${both}---\napiVersion: v1\nkind: Secret\nmetadata: { name: new-one }\n`, live }));
    expect(ps.map((p) => p.severity)).toEqual(['needs-care', 'needs-care']);
    expect(ps[0]?.summary).toBe('PersistentVolumeClaim shop/cache is not in revision 3: the rollback deletes the claim, and its data with it');
    expect(ps[0]?.fixFirst[0]?.command).toBe('kubectl annotate persistentvolumeclaim cache -n shop helm.sh/resource-policy=keep');
    expect(ps[0]?.evidence.join('\n')).toContain('with --cleanup-on-fail a failed rollback also deletes what it created: 1 object(s) only revision 3 has (Secret shop/new-one)');
    expect(ps[1]?.summary).toContain('1 object(s) of revision 5 are not in revision 3: the rollback deletes them (ConfigMap shop/feature-flags)');
  });
  it('says nothing when the target has every object, the extra ones are gone already, or they are kept by resource-policy', () => {
    expect(predictObjectsDeleted(planFacts({ current: both, target: both }))).toEqual([]);
    expect(predictObjectsDeleted(planFacts({ current: `${both}---\n${pvc}`, target: both }))).toEqual([]);
    const kept = pvc.replace('metadata: { name: cache }', "metadata: { name: cache, annotations: { helm.sh/resource-policy: keep } }");
    expect(predictObjectsDeleted(planFacts({ current: `${both}---\n${kept}`, target: both, live }))).toEqual([]);
  });
});

describe('ownership-conflict', () => {
  const secret = 'apiVersion: v1\nkind: Secret\nmetadata: { name: creds }\n';
  it('fails when a target object exists without this release\'s annotations, or with another release\'s', () => {
    const stray = predictOwnership(planFacts({ current: '', target: secret, live: '- apiVersion: v1\n  kind: Secret\n  metadata: { name: creds, namespace: shop }\n' }));
    expect(stray[0]).toMatchObject({ kind: 'ownership-conflict', severity: 'will-fail' });
    expect(stray[0]?.summary).toContain('carries no Helm ownership annotations');
    expect(stray[0]?.fixFirst[0]?.command).toBe('kubectl annotate secret creds -n shop meta.helm.sh/release-name=web meta.helm.sh/release-namespace=shop --overwrite');
    const other = predictOwnership(planFacts({ current: '', target: secret, live: '- apiVersion: v1\n  kind: Secret\n  metadata: { name: creds, namespace: shop, annotations: { meta.helm.sh/release-name: billing, meta.helm.sh/release-namespace: shop } }\n' }));
    expect(other[0]?.summary).toContain('belongs to release billing in shop');
  });
  it('never puts a name from the record into a command when it could change the command', () => {
    const odd = 'apiVersion: v1\nkind: Secret\nmetadata: { name: "x;rm -rf ~" }\n';
    const [p] = predictOwnership(planFacts({ current: '', target: odd, live: '- apiVersion: v1\n  kind: Secret\n  metadata: { name: "x;rm -rf ~", namespace: shop }\n' }));
    expect(p?.fixFirst[0]).toMatchObject({ command: 'kubectl annotate secret <name> -n shop meta.helm.sh/release-name=web meta.helm.sh/release-namespace=shop --overwrite', missing: ['name'] });
    // Every suggested command names the placeholders it shows, so no renderer offers it to copy as is.
    for (const c of p?.fixFirst ?? []) expect(c.command.includes('<name>') ? c.missing : ['name']).toEqual(['name']);
  });

  it('is safe when the live object is this release\'s, or does not exist', () => {
    expect(predictOwnership(planFacts({ current: '', target: secret, live: `- apiVersion: v1\n  kind: Secret\n  metadata: { name: creds, namespace: shop, ${OWNED} }\n` }))).toEqual([]);
    expect(predictOwnership(planFacts({ current: '', target: secret }))).toEqual([]);
  });
});

describe('values-pinned', () => {
  it('names each path the current revision carries that the target lacks or sets otherwise, with both redacted values', () => {
    const [p] = predictValuesPinned(planFacts({
      current: '', target: '',
      currentConfig: { image: { tag: '15' }, db: { password: '[REDACTED]' }, replicas: 3 },
      targetConfig: { image: { tag: '11' }, db: { password: '[REDACTED]' }, extra: true },
    }));
    expect(p).toMatchObject({ kind: 'values-pinned', severity: 'needs-care' });
    expect(p?.evidence).toEqual(['image.tag: revision 5 15, revision 3 11', 'replicas: revision 5 3, revision 3 (absent)']);
    expect(p?.fixFirst.map((c) => c.command)).toEqual(['helm get values web -n shop --revision 5', 'helm get values web -n shop --revision 3']);
  });
  it('says nothing when the values are the same, or the target only adds some', () => {
    expect(predictValuesPinned(planFacts({ current: '', target: '', currentConfig: { a: 1 }, targetConfig: { a: 1 } }))).toEqual([]);
    expect(predictValuesPinned(planFacts({ current: '', target: '', currentConfig: {}, targetConfig: { a: 1 } }))).toEqual([]);
  });
});

describe('api-not-served', () => {
  const cert = 'apiVersion: cert-manager.io/v1alpha2\nkind: Certificate\nmetadata: { name: tls }\n';
  it('fails when the target needs a kind the cluster does not serve, naming the CRD', () => {
    const [p] = predictApiNotServed(planFacts({ current: '', target: cert, apis: [{ apiVersion: 'cert-manager.io/v1alpha2', kind: 'Certificate', served: false, builtIn: false, crds: [{ name: 'certificates.cert-manager.io', kind: 'Certificate', servedVersions: ['v1'] }] }] }));
    expect(p).toMatchObject({ kind: 'api-not-served', severity: 'will-fail' });
    expect(p?.summary).toContain('CRD certificates.cert-manager.io does not serve v1alpha2 (serves v1)');
    const builtin = predictApiNotServed(planFacts({ current: '', target: 'apiVersion: policy/v1beta1\nkind: PodSecurityPolicy\nmetadata: { name: p }\n', apis: [{ apiVersion: 'policy/v1beta1', kind: 'PodSecurityPolicy', served: false, builtIn: true, crds: [] }] }));
    expect(builtin[0]?.fixFirst[0]?.command).toBe('kubectl api-resources --api-group=policy');
  });
  it('is safe when served, and silent when discovery was not read', () => {
    expect(predictApiNotServed(planFacts({ current: '', target: cert, apis: [{ apiVersion: 'cert-manager.io/v1alpha2', kind: 'Certificate', served: true, builtIn: false, crds: [] }] }))).toEqual([]);
    expect(predictApiNotServed(planFacts({ current: '', target: cert, apis: [{ apiVersion: 'cert-manager.io/v1alpha2', kind: 'Certificate', served: null, builtIn: false, crds: null }] }))).toEqual([]);
  });
});
