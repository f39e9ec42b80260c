// Before v2.8.0 the AWS Load Balancer Controller's Service webhook ran on CREATE only, so a `--force`
// replacement (an UPDATE) lost the injected loadBalancerClass.
import { defineCheck } from './define.js';
import { records, str, strings } from './fields.js';

export const AWS_LBC_SERVICE_WEBHOOK = 'mservice.elbv2.k8s.aws';

export interface WebhookOperations {
  configuration: string;
  webhook: string;
  operations: string[];
}

export interface Gathered {
  webhooks: WebhookOperations[];
}

export const awsLbcWebhookOperations = defineCheck<Gathered>({
  id: 'aws-lbc-webhook-operations',
  description: `Which operations the mutating webhook ${AWS_LBC_SERVICE_WEBHOOK} is registered for (CREATE only before controller v2.8.0).`,
  permissions: ['list mutatingwebhookconfigurations.admissionregistration.k8s.io'],
  async gather({ kube, signal }) {
    const webhooks: WebhookOperations[] = [];
    for await (const cfg of kube.list('admissionregistration.k8s.io/v1', 'MutatingWebhookConfiguration', { signal })) {
      for (const hook of records(cfg, 'webhooks')) {
        if (str(hook, 'name') !== AWS_LBC_SERVICE_WEBHOOK) continue;
        const operations = [...new Set(records(hook, 'rules').flatMap((r) => strings(r, 'operations')))];
        webhooks.push({ configuration: cfg.metadata?.name ?? '?', webhook: AWS_LBC_SERVICE_WEBHOOK, operations });
      }
    }
    return { webhooks };
  },
  judge({ webhooks }) {
    if (webhooks.length === 0) {
      return {
        status: 'refuted',
        summary: `no mutating webhook ${AWS_LBC_SERVICE_WEBHOOK}: the AWS Load Balancer Controller does not inject loadBalancerClass here`,
        evidence: [],
      };
    }
    const evidence = webhooks.map((w) => `${w.configuration}/${w.webhook}: operations [${w.operations.join(', ')}]`);
    const handlesUpdate = webhooks.some((w) => w.operations.includes('UPDATE') || w.operations.includes('*'));
    if (handlesUpdate) {
      return {
        status: 'refuted',
        summary: `webhook ${AWS_LBC_SERVICE_WEBHOOK} handles UPDATE too: a forced replacement keeps the injected class`,
        evidence,
        learned: { webhookOperations: webhooks[0]?.operations.join(',') ?? '' },
      };
    }
    return {
      status: 'confirmed',
      summary: `webhook ${AWS_LBC_SERVICE_WEBHOOK} handles CREATE only`,
      evidence,
      learned: { webhookOperations: webhooks[0]?.operations.join(',') ?? '' },
    };
  },
});
