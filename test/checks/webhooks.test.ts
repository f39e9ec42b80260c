import { describe, expect, it } from 'vitest';
import { failingWebhooks, type WebhookState } from '../../src/checks/failing-webhooks.js';
import { webhookEndpoints } from '../../src/checks/webhook-endpoints.js';

const ep = (ready: number, exists = true) => ({ service: 'sys/hook', exists, ready, notReady: 0 });
const wh = (over: Partial<WebhookState>): WebhookState => ({ ref: 'validating/cfg/hook.example.com', failurePolicy: 'Fail', timeoutSeconds: 5, endpoints: ep(1), ...over });

describe('failing-webhooks judge', () => {
  it.each<[string, WebhookState[], string]>([
    ['Fail with no ready endpoints', [wh({ endpoints: ep(0) })], 'confirmed'],
    ['Fail with a missing service', [wh({ endpoints: ep(0, false) })], 'confirmed'],
    ['Ignore with no endpoints', [wh({ failurePolicy: 'Ignore', endpoints: ep(0) })], 'refuted'],
    ['a 30 s timeout', [wh({ timeoutSeconds: 30 })], 'confirmed'],
    ['conversion webhook down', [wh({ ref: 'conversion/widgets.example.com', timeoutSeconds: 30, endpoints: ep(0) })], 'confirmed'],
    ['healthy', [wh({}), wh({ endpoints: null })], 'refuted'],
    ['none at all', [], 'refuted'],
  ])('%s → %s', (_n, webhooks, status) => {
    expect(failingWebhooks.judge({ webhooks }, {}, new Date()).status).toBe(status);
  });
});

describe('webhook-endpoints judge', () => {
  it.each([
    [{ webhook: 'v.example.com', endpoints: ep(0), webhookMissing: false }, 'confirmed'],
    [{ webhook: 'v.example.com', endpoints: ep(0, false), webhookMissing: false }, 'confirmed'],
    [{ webhook: 'v.example.com', endpoints: ep(2), webhookMissing: false }, 'refuted'],
    [{ webhook: 'v.example.com', endpoints: null, webhookMissing: true }, 'refuted'],
    [{ webhook: 'v.example.com', endpoints: null, webhookMissing: false }, 'inconclusive'],
  ])('%j → %s', (g, status) => {
    expect(webhookEndpoints.judge(g, {}, new Date()).status).toBe(status);
  });
});
