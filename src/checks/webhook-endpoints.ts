// "failed calling webhook … no endpoints available": does the webhook's Service have ready backends?
import type { ReadOnlyKube } from '../kube/types.js';
import { defineCheck } from './define.js';
import { describeEndpoints, readServiceEndpoints, type ServiceEndpoints } from './endpoints.js';
import { MissingFactError } from './errors.js';
import { records, str } from './fields.js';

export interface Gathered {
  webhook: string | null;
  /** null when the webhook calls a URL (or was not found): nothing in-cluster to check. */
  endpoints: ServiceEndpoints | null;
  /** The webhook was named but no configuration carries it. */
  webhookMissing: boolean;
}

async function findWebhookService(kube: ReadOnlyKube, webhook: string, signal: AbortSignal): Promise<{ namespace: string; name: string } | null | undefined> {
  for (const kind of ['ValidatingWebhookConfiguration', 'MutatingWebhookConfiguration']) {
    for await (const cfg of kube.list('admissionregistration.k8s.io/v1', kind, { signal })) {
      const hook = records(cfg, 'webhooks').find((h) => str(h, 'name') === webhook);
      if (!hook) continue;
      const namespace = str(hook, 'clientConfig.service.namespace');
      const name = str(hook, 'clientConfig.service.name');
      return namespace && name ? { namespace, name } : null;
    }
  }
  return undefined;
}

export const webhookEndpoints = defineCheck<Gathered>({
  id: 'webhook-endpoints',
  description: "The failing webhook's Service: does it exist and have ready endpoints?",
  permissions: ['list validatingwebhookconfigurations/mutatingwebhookconfigurations.admissionregistration.k8s.io', 'get services, endpoints', 'list endpointslices.discovery.k8s.io (when Endpoints are not mirrored)', 'list pods (selected by the Service when it has no ready endpoints)'],
  async gather({ kube, facts, signal }) {
    let target: { namespace: string; name: string } | null | undefined;
    const [ns, name] = facts.webhookService?.split('/') ?? [];
    if (ns && name) target = { namespace: ns, name };
    else if (facts.webhook) target = await findWebhookService(kube, facts.webhook, signal);
    else throw new MissingFactError('webhook', 'the error text names no webhook or webhook service');
    if (target === undefined) return { webhook: facts.webhook ?? null, endpoints: null, webhookMissing: true };
    if (target === null) return { webhook: facts.webhook ?? null, endpoints: null, webhookMissing: false };
    return { webhook: facts.webhook ?? null, endpoints: await readServiceEndpoints(kube, target.namespace, target.name, signal), webhookMissing: false };
  },
  judge({ webhook, endpoints, webhookMissing }) {
    const label = webhook ? `webhook ${webhook}` : 'the webhook';
    if (webhookMissing) {
      return { status: 'refuted', summary: `${label} is no longer registered: retry the Helm command`, evidence: [] };
    }
    if (!endpoints) return { status: 'inconclusive', summary: `${label} calls a URL outside the cluster; check that endpoint`, evidence: [] };
    const evidence = [describeEndpoints(endpoints)];
    const learned = { webhookService: endpoints.service, readyEndpoints: String(endpoints.ready) };
    if (!endpoints.exists || endpoints.ready === 0) {
      return { status: 'confirmed', summary: `${label}: ${describeEndpoints(endpoints)}`, evidence, learned };
    }
    return { status: 'refuted', summary: `${label}: ${describeEndpoints(endpoints)}; the outage was transient or is elsewhere (network policy, TLS)`, evidence, learned };
  },
});
