import { describe, expect, it } from 'vitest';
import { failingWebhooks, type WebhookState } from '../../src/checks/failing-webhooks.js';
import { webhookEndpoints } from '../../src/checks/webhook-endpoints.js';
import { describeEndpoints, describePod, podState } from '../../src/checks/endpoints.js';

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

describe('why a webhook Service has no ready endpoints: its pods', () => {
  it.each<[string, Record<string, unknown>, string]>([
    ['crash-looping', { status: { phase: 'Running', containerStatuses: [{ ready: false, restartCount: 7, state: { waiting: { reason: 'CrashLoopBackOff' } }, lastState: { terminated: { reason: 'Error', exitCode: 2 } } }] } }, 'hook-1 0/1 ready, CrashLoopBackOff, 7 restarts, last terminated: Error, exit code 2'],
    ['image not pullable', { spec: { containers: [{ name: 'a' }] }, status: { phase: 'Pending', containerStatuses: [{ ready: false, restartCount: 0, state: { waiting: { reason: 'ImagePullBackOff' } } }] } }, 'hook-1 0/1 ready, ImagePullBackOff'],
    ['running but not ready', { spec: { containers: [{ name: 'a' }, { name: 'b' }] }, status: { phase: 'Running', containerStatuses: [{ ready: true, restartCount: 0 }, { ready: false, restartCount: 1, lastState: { terminated: { reason: 'OOMKilled', exitCode: 137 } } }] } }, 'hook-1 1/2 ready, Running, 1 restart, last terminated: OOMKilled, exit code 137'],
    ['not scheduled', { spec: { containers: [{ name: 'a' }] }, status: { phase: 'Pending' } }, 'hook-1 0/1 ready, Pending'],
  ])('%s', (_n, pod, line) => {
    expect(describePod(podState({ metadata: { name: 'hook-1' }, ...pod }))).toBe(line);
  });

  it('names the pods in the finding, or says the selector matches none', () => {
    const crashing = podState({ metadata: { name: 'hook-1' }, status: { phase: 'Running', containerStatuses: [{ ready: false, restartCount: 3, state: { waiting: { reason: 'CrashLoopBackOff' } } }] } });
    const f = failingWebhooks.judge({ webhooks: [wh({ endpoints: { ...ep(0), pods: [crashing] } })] }, {}, new Date());
    expect(f.summary).toContain('service sys/hook: 0 ready, 0 not ready endpoint(s); backing pod: hook-1 0/1 ready, CrashLoopBackOff, 3 restarts');
    const none = webhookEndpoints.judge({ webhook: 'v.example.com', endpoints: { ...ep(0), pods: [] }, webhookMissing: false }, {}, new Date());
    expect(none.summary).toContain('its selector matches no pods');
    expect(describeEndpoints({ ...ep(2), pods: [crashing] })).toBe('service sys/hook: 2 ready, 0 not ready endpoint(s)');
  });
});
