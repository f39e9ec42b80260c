import { describe, expect, it } from 'vitest';
import { extractFacts, factRuleLiterals, parseHelmCommand } from '../../src/triage/facts.js';
import type { Facts } from '../../src/triage/types.js';

describe('extractFacts', () => {
  const cases: Array<[string, string, Partial<Facts>]> = [
    ['helm upgrade --install command line', '$ helm upgrade --install web ./chart -n prod --atomic --set image.tag=1.2.3',
      { verb: 'upgrade', release: 'web', chart: './chart', namespace: 'prod', flags: ['--install', '--atomic'], setValues: { 'image.tag': '1.2.3' } }],
    ['helm rollback with revision and --force', 'helm rollback web 3 --force --namespace=shop', { verb: 'rollback', release: 'web', revision: 3, namespace: 'shop', flags: ['--force'] }],
    ['release that does not exist', 'Error: UPGRADE FAILED: Release "api" does not exist', { verb: 'upgrade', release: 'api' }],
    ['atomic failure message', 'Error: release api failed, and has been uninstalled due to atomic being set: timed out', { release: 'api', flags: ['--atomic'] }],
    ['installation failed', 'Error: INSTALLATION FAILED: something', { verb: 'install' }],
    ['no deployed releases', 'Error: UPGRADE FAILED: "cache" has no deployed releases', { release: 'cache' }],
    ['Flux message', 'Helm upgrade failed for release data/search with chart search@9.1.0: boom', { verb: 'upgrade', namespace: 'data', release: 'search', chart: 'search' }],
    ['Terraform resource', '│   with helm_release.ingress_nginx,', { release: 'ingress-nginx' }],
    ['failing resource and field', 'Service "web-lb" is invalid: spec.loadBalancerClass: Invalid value: "null": may not change once set',
      { resource: { kind: 'Service', name: 'web-lb' }, field: 'spec.loadBalancerClass' }],
    ['grouped kind', 'Deployment.apps "api" is invalid: spec.selector: Invalid value: x: field is immutable', { resource: { kind: 'Deployment', name: 'api' }, field: 'spec.selector' }],
    ['webhook name and service from URL', 'failed calling webhook "validate.nginx.ingress.kubernetes.io": failed to call webhook: Post "https://ingress-nginx-controller-admission.ingress-nginx.svc:443/networking/v1/ingresses?timeout=10s"',
      { webhook: 'validate.nginx.ingress.kubernetes.io', webhookService: 'ingress-nginx/ingress-nginx-controller-admission' }],
    ['webhook service not found', 'failed calling webhook "w.example.io": service "policy/policy-webhook" not found', { webhook: 'w.example.io', webhookService: 'policy/policy-webhook' }],
    ['kind and apiVersion', 'resource mapping not found for name: "x" namespace: "" from "": no matches for kind "Ingress" in version "extensions/v1beta1"', { kind: 'Ingress', apiVersion: 'extensions/v1beta1' }],
    ['kube version', 'Server Version: v1.21.14-eks-abc', { kubeVersion: '1.21.14' }],
    ['namespace from forbidden', 'services "web" is forbidden: User "ci" cannot get resource "services" in API group "" in the namespace "prod"', { namespace: 'prod', resource: { kind: 'Service', name: 'web' } }],
    ['a command quoted as inline code in chat', 'tried `helm rollback ingress 4 --force -n edge` after the bad deploy', { verb: 'rollback', release: 'ingress', revision: 4, namespace: 'edge', flags: ['--force'] }],
    ['a command followed by prose quoting another one', 'helm uninstall monitoring -n obs returned "release uninstalled" but `kubectl get pods -n obs` still shows them',
      { verb: 'uninstall', release: 'monitoring', namespace: 'obs' }],
    ['Helm 4 status waiter', 'Error: UPGRADE FAILED: resource Deployment/store/web not ready. status: InProgress, message: Available: 0/1',
      { namespace: 'store', resource: { kind: 'Deployment', name: 'web', namespace: 'store' } }],
    ['image', '        image: "registry.example.com/postgres:11"', { image: 'registry.example.com/postgres:11' }],
  ];
  for (const [name, text, expected] of cases) {
    it(`reads ${name}`, () => {
      expect(extractFacts(text)).toMatchObject(expected);
    });
  }

  it('takes no release from prose where the chart would stand, and still does from a command line', () => {
    expect(extractFacts('so our helm upgrade ran for 10 minutes with --atomic and then rolled back')).toMatchObject({ verb: 'upgrade', flags: ['--atomic'] });
    expect(extractFacts('so our helm upgrade ran for 10 minutes with --atomic and then rolled back').release).toBeUndefined();
    expect(extractFacts('$ helm upgrade ran ./chart --atomic')).toMatchObject({ release: 'ran', chart: './chart' });
  });

  it('collects every resource from cleanup lines', () => {
    const text = [
      'client.go:490: [debug] Ignoring delete failure for "a" /v1, Kind=ConfigMap: configmaps "a" not found',
      'client.go:490: [debug] Ignoring delete failure for "b" apps/v1, Kind=Deployment: deployments.apps "b" not found',
      'Service/c: object not found, skipping delete',
    ].join('\n');
    expect(extractFacts(text).resources).toEqual([
      { kind: 'ConfigMap', name: 'a' },
      { kind: 'Deployment', name: 'b' },
      { kind: 'Service', name: 'c' },
    ]);
  });

  it('prefers the failing command over diagnostic ones', () => {
    const text = '$ helm history web -n prod\n$ helm rollback web 4 -n prod --force\nError: boom';
    expect(extractFacts(text)).toMatchObject({ verb: 'rollback', release: 'web', revision: 4, namespace: 'prod' });
  });

  it('does not take prose for a release', () => {
    expect(extractFacts('the image keeps reverting after helm upgrade').release).toBeUndefined();
  });

  it('parses commands behind CI prefixes and ignores non-helm lines', () => {
    expect(parseHelmCommand('Run helm uninstall web -n prod')).toMatchObject({ verb: 'uninstall', positionals: ['web'] });
    expect(parseHelmCommand('kubectl get pods')).toBeUndefined();
  });

  it('gives every message rule a literal prefilter (keeps 1 MiB logs fast)', () => {
    const missing = factRuleLiterals().filter((r) => r.literals === undefined).map((r) => r.source);
    expect(missing).toEqual([]);
  });
});

describe('helm verbs in prose', () => {
  it('takes no release or chart from English words after the verb', () => {
    const f = extractFacts('after helm delete does not remove the pods, and helm upgrade correctly picks up the chart');
    expect(f.release).toBeUndefined();
    expect(f.chart).toBeUndefined();
  });

  it('still reads a real command line', () => {
    const f = extractFacts('$ helm upgrade web ./chart -n prod --atomic');
    expect(f.release).toBe('web');
    expect(f.chart).toBe('./chart');
  });
});
