import { describe, expect, it } from 'vitest';
import { awsLbcVersion } from '../../src/checks/aws-lbc-version.js';
import { awsLbcWebhookOperations } from '../../src/checks/aws-lbc-webhook-operations.js';

const now = new Date('2026-01-01T00:00:00Z');

describe('aws-lbc-version judge', () => {
  it.each([
    ['public.ecr.aws/eks/aws-load-balancer-controller:v2.7.1', 'confirmed'],
    ['602401143452.dkr.ecr.us-west-2.amazonaws.com/amazon/aws-load-balancer-controller:v2.4.7', 'confirmed'],
    ['public.ecr.aws/eks/aws-load-balancer-controller:v2.8.0', 'refuted'],
    ['public.ecr.aws/eks/aws-load-balancer-controller:v2.11.3', 'refuted'],
    ['public.ecr.aws/eks/aws-load-balancer-controller:latest', 'inconclusive'],
    ['registry.local:5000/aws-load-balancer-controller', 'inconclusive'],
  ])('%s → %s', (image, status) => {
    const f = awsLbcVersion.judge({ deployments: [{ namespace: 'kube-system', name: 'aws-load-balancer-controller', image }] }, {}, now);
    expect(f.status).toBe(status);
    expect(f.check).toBe('aws-lbc-version');
  });

  it('quotes the tag and the fixed version when confirming', () => {
    const f = awsLbcVersion.judge({ deployments: [{ namespace: 'kube-system', name: 'x', image: 'r/aws-load-balancer-controller:v2.7.1' }] }, {}, now);
    expect(f.summary).toBe('aws-load-balancer-controller image v2.7.1 (< v2.8.0)');
    expect(f.learned?.['awsLbcVersion']).toBe('v2.7.1');
  });

  it('refutes when no controller is installed', () => {
    expect(awsLbcVersion.judge({ deployments: [] }, {}, now).status).toBe('refuted');
  });
});

describe('aws-lbc-webhook-operations judge', () => {
  const hook = (operations: string[]) => ({ webhooks: [{ configuration: 'aws-load-balancer-webhook', webhook: 'mservice.elbv2.k8s.aws', operations }] });
  it.each([
    [['CREATE'], 'confirmed'],
    [['CREATE', 'UPDATE'], 'refuted'],
    [['*'], 'refuted'],
  ])('operations %j → %s', (ops, status) => {
    expect(awsLbcWebhookOperations.judge(hook(ops), {}, now).status).toBe(status);
  });

  it('refutes when the webhook is not registered at all', () => {
    const f = awsLbcWebhookOperations.judge({ webhooks: [] }, {}, now);
    expect(f.status).toBe('refuted');
    expect(f.summary).toContain('no mutating webhook');
  });

  it('says CREATE only in the summary', () => {
    expect(awsLbcWebhookOperations.judge(hook(['CREATE']), {}, now).summary).toBe('webhook mservice.elbv2.k8s.aws handles CREATE only');
  });
});
