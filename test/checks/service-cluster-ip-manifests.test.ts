import { describe, expect, it } from 'vitest';
import { serviceClusterIpManifests, serviceFields, type ServiceFields } from '../../src/checks/service-cluster-ip-manifests.js';

const judge = (services: ServiceFields[]) =>
  serviceClusterIpManifests.judge({ release: 'kruise', currentRevision: 2, targetRevision: 1, services }, {}, new Date());

describe('service-cluster-ip-manifests judge', () => {
  it('confirms when the current revision templates live values the target lacks', () => {
    const f = judge([{ name: 'webhook', current: { clusterIP: '10.96.4.7', ipFamilies: 'IPv4' }, target: {}, live: { clusterIP: '10.96.4.7', ipFamilies: 'IPv4' } }]);
    expect(f.status).toBe('confirmed');
    expect(f.summary).toContain('clusterIP, ipFamilies');
    expect(f.summary).toContain('lookup');
    expect(f.learned?.['clusterIP']).toBe('10.96.4.7');
  });

  it('refutes when both revisions carry the same fields', () => {
    expect(judge([{ name: 'webhook', current: { clusterIP: '10.96.4.7' }, target: { clusterIP: '10.96.4.7' }, live: { clusterIP: '10.96.4.7' } }]).status).toBe('refuted');
  });

  it('refutes when neither revision templates them', () => {
    expect(judge([{ name: 'webhook', current: {}, target: {}, live: { clusterIP: '10.96.4.7' } }]).status).toBe('refuted');
  });

  it('is inconclusive without revisions', () => {
    expect(serviceClusterIpManifests.judge({ release: 'x', currentRevision: null, targetRevision: null, services: [] }, {}, new Date()).status).toBe('inconclusive');
  });

  it('reads list and string fields, skipping empty ones', () => {
    expect(serviceFields({ spec: { clusterIP: '10.0.0.1', clusterIPs: ['10.0.0.1', 'fd00::1'], ipFamilies: [], ipFamilyPolicy: '' } })).toEqual({ clusterIP: '10.0.0.1', clusterIPs: '10.0.0.1,fd00::1' });
  });
});
