import type { IncomingMessage, ServerResponse } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { makeHarness, type Harness } from './harness.js';

// Needs a loopback port: inject() bypasses the serverFactory that routes Slack requests.

let h: Harness | undefined;
afterEach(async () => {
  await h?.server.close();
  h = undefined;
});

describe('web server hosts the Slack receiver (uses a loopback port)', () => {
  it('sends POSTs on the Slack paths to the injected listener with the raw body, everything else to the web routes', async () => {
    const seen: Array<{ url: string; body: string }> = [];
    const slackListener = (req: IncomingMessage, res: ServerResponse): void => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        seen.push({ url: req.url ?? '', body: Buffer.concat(chunks).toString('utf8') });
        res.writeHead(200, { 'content-type': 'text/plain' }).end('from-slack');
      });
    };
    h = makeHarness({ slackListener, slackPaths: ['/slack/events', '/slack/commands'] });
    const { url } = await h.server.listen({ port: 0 });

    const raw = 'token=x&command=%2Fhelm-triage&text=Error%3A+boom';
    const events = await fetch(`${url}/slack/events`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: raw });
    expect(await events.text()).toBe('from-slack');
    const commands = await fetch(`${url}/slack/commands?retry=1`, { method: 'POST', body: '{}' });
    expect(await commands.text()).toBe('from-slack');
    expect(seen).toEqual([{ url: '/slack/events', body: raw }, { url: '/slack/commands?retry=1', body: '{}' }]);

    const get = await fetch(`${url}/slack/events`);
    expect(get.status).toBe(404);
    const runbooks = await fetch(`${url}/runbooks`);
    expect(runbooks.status).toBe(200);
    expect(runbooks.headers.get('content-security-policy')).toContain("default-src 'none'");
    const api = await fetch(`${url}/api/diagnose`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ text: 'Error: x' }) });
    expect(api.status).toBe(200);
    expect(seen).toHaveLength(2);
  });

  it('without a Slack listener, the Slack path is an ordinary 404', async () => {
    h = makeHarness();
    const { url } = await h.server.listen({ port: 0 });
    const res = await fetch(`${url}/slack/events`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(res.status).toBe(404);
  });
});
