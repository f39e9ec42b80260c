// Webhooks that can block the garbage collector: failurePolicy Fail with no ready backend, long
// timeouts, and CRD conversion webhooks whose service is down.
import type { ReadOnlyKube } from '../kube/types.js';
import { defineCheck, type Judgement } from './define.js';
import { describeEndpoints, readServiceEndpoints, type ServiceEndpoints } from './endpoints.js';
import { num, records, str } from './fields.js';

export const LONG_WEBHOOK_TIMEOUT_SECONDS = 10;

export interface WebhookState {
  /** `validating/<config>/<webhook>`, `mutating/…` or `conversion/<crd>`. */
  ref: string;
  failurePolicy: string;
  timeoutSeconds: number;
  /** null for URL webhooks (outside the cluster: not checkable). */
  endpoints: ServiceEndpoints | null;
}

export interface Gathered {
  webhooks: WebhookState[];
}

interface Pending {
  ref: string;
  failurePolicy: string;
  timeoutSeconds: number;
  service: { namespace: string; name: string } | null;
}

async function collect(kube: ReadOnlyKube, signal: AbortSignal): Promise<Pending[]> {
  const out: Pending[] = [];
  for (const [kind, label] of [['ValidatingWebhookConfiguration', 'validating'], ['MutatingWebhookConfiguration', 'mutating']] as const) {
    for await (const cfg of kube.list('admissionregistration.k8s.io/v1', kind, { signal })) {
      for (const hook of records(cfg, 'webhooks')) {
        const ns = str(hook, 'clientConfig.service.namespace');
        const name = str(hook, 'clientConfig.service.name');
        out.push({
          ref: `${label}/${cfg.metadata?.name ?? '?'}/${str(hook, 'name') ?? '?'}`,
          // admissionregistration/v1 defaults: failurePolicy Fail, timeoutSeconds 10.
          failurePolicy: str(hook, 'failurePolicy') ?? 'Fail',
          timeoutSeconds: num(hook, 'timeoutSeconds') ?? 10,
          service: ns && name ? { namespace: ns, name } : null,
        });
      }
    }
  }
  for await (const crd of kube.list('apiextensions.k8s.io/v1', 'CustomResourceDefinition', { signal })) {
    if (str(crd, 'spec.conversion.strategy') !== 'Webhook') continue;
    const base = 'spec.conversion.webhook.clientConfig.service';
    const ns = str(crd, `${base}.namespace`);
    const name = str(crd, `${base}.name`);
    out.push({
      ref: `conversion/${crd.metadata?.name ?? '?'}`,
      failurePolicy: 'Fail',
      timeoutSeconds: 30,
      service: ns && name ? { namespace: ns, name } : null,
    });
  }
  return out;
}

export const failingWebhooks = defineCheck<Gathered>({
  id: 'failing-webhooks',
  description: 'Admission webhooks (failurePolicy Fail) and CRD conversion webhooks whose service has no ready endpoints, or that wait more than 10 s.',
  permissions: [
    'list validatingwebhookconfigurations.admissionregistration.k8s.io',
    'list mutatingwebhookconfigurations.admissionregistration.k8s.io',
    'list customresourcedefinitions.apiextensions.k8s.io',
    'get services, endpoints (webhook service namespaces)',
    'list endpointslices.discovery.k8s.io (when Endpoints are not mirrored)',
    'list pods (selected by a webhook Service without ready endpoints)',
  ],
  async gather({ kube, signal }) {
    const pending = await collect(kube, signal);
    const cache = new Map<string, Promise<ServiceEndpoints>>();
    const webhooks = await Promise.all(pending.map(async (p): Promise<WebhookState> => {
      if (!p.service) return { ref: p.ref, failurePolicy: p.failurePolicy, timeoutSeconds: p.timeoutSeconds, endpoints: null };
      const key = `${p.service.namespace}/${p.service.name}`;
      let ep = cache.get(key);
      if (!ep) {
        ep = readServiceEndpoints(kube, p.service.namespace, p.service.name, signal);
        cache.set(key, ep);
      }
      return { ref: p.ref, failurePolicy: p.failurePolicy, timeoutSeconds: p.timeoutSeconds, endpoints: await ep };
    }));
    return { webhooks };
  },
  judge({ webhooks }): Judgement {
    const broken = webhooks.filter((w) => w.failurePolicy === 'Fail' && w.endpoints !== null && w.endpoints.ready === 0);
    const slow = webhooks.filter((w) => w.ref.startsWith('conversion/') === false && w.timeoutSeconds > LONG_WEBHOOK_TIMEOUT_SECONDS);
    const evidence = [
      ...broken.map((w) => `${w.ref} (failurePolicy ${w.failurePolicy}): ${describeEndpoints(w.endpoints as ServiceEndpoints)}`),
      ...slow.map((w) => `${w.ref}: timeoutSeconds ${w.timeoutSeconds} (> ${LONG_WEBHOOK_TIMEOUT_SECONDS})`),
    ];
    if (broken.length > 0) {
      const first = broken[0] as WebhookState;
      return {
        status: 'confirmed',
        summary: `${broken.length} webhook(s) with failurePolicy Fail have no ready endpoints (e.g. ${first.ref}: ${describeEndpoints(first.endpoints as ServiceEndpoints)})`,
        evidence,
        learned: { brokenWebhook: first.ref },
      };
    }
    if (slow.length > 0) {
      return {
        status: 'confirmed',
        summary: `${slow.length} webhook(s) wait longer than ${LONG_WEBHOOK_TIMEOUT_SECONDS} s (e.g. ${slow[0]?.ref}: ${slow[0]?.timeoutSeconds} s)`,
        evidence,
        learned: { slowWebhook: slow[0]?.ref ?? '' },
      };
    }
    return {
      status: 'refuted',
      summary: `all ${webhooks.length} webhook(s) have ready endpoints (or fail open) and answer within ${LONG_WEBHOOK_TIMEOUT_SECONDS} s`,
      evidence: [],
    };
  },
});
