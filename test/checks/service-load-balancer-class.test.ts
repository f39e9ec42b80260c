import { describe, expect, it } from 'vitest';
import { serviceLoadBalancerClass, type ServiceClass } from '../../src/checks/service-load-balancer-class.js';

const judge = (services: ServiceClass[], targetRevision: number | null = 3) =>
  serviceLoadBalancerClass.judge({ release: 'web', targetRevision, services }, {}, new Date());

describe('service-load-balancer-class judge', () => {
  it('confirms when the live class is missing from the target manifest', () => {
    const f = judge([{ name: 'web', live: 'service.k8s.aws/nlb', target: null }]);
    expect(f.status).toBe('confirmed');
    expect(f.summary).toBe("Service web has loadBalancerClass service.k8s.aws/nlb, revision 3's manifest has none");
    expect(f.decisive).toBe(true);
  });

  it.each<[string, ServiceClass, string]>([
    ['a different class in the target', { name: 'web', live: 'service.k8s.aws/nlb', target: 'example.com/lb' }, 'confirmed'],
    ['the same class in both', { name: 'web', live: 'service.k8s.aws/nlb', target: 'service.k8s.aws/nlb' }, 'refuted'],
    ['no class live', { name: 'web', live: null, target: null }, 'refuted'],
    ['no live Service', { name: 'web', live: undefined, target: null }, 'refuted'],
    ['Service absent from the target manifest', { name: 'web', live: 'service.k8s.aws/nlb', target: undefined }, 'refuted'],
  ])('%s → %s', (_name, svc, status) => {
    expect(judge([svc]).status).toBe(status);
  });

  it('is inconclusive without a target revision or a Service', () => {
    expect(judge([], null).status).toBe('inconclusive');
    expect(judge([], 3).status).toBe('inconclusive');
  });
});
