import { describe, expect, it } from 'vitest';
import { loadPlaybooks } from '../../src/playbooks/load.js';
import { makeHarness } from './harness.js';

// The shipped playbooks/ through the real pages: every runbook renders, links stay safe.

describe('runbook pages for the shipped playbooks', () => {
  it('renders every playbook with filled commands and no raw HTML from the YAML', async () => {
    const playbooks = loadPlaybooks();
    expect(playbooks.playbooks.length).toBeGreaterThan(0);
    const h = makeHarness({}, playbooks);
    try {
      const index = await h.server.app.inject({ url: '/runbooks' });
      for (const p of playbooks.playbooks) {
        expect(index.body).toContain(`href="/runbooks/${p.id}"`);
        const res = await h.server.app.inject({ url: `/runbooks/${p.id}?release=shop&namespace=store` });
        expect(res.statusCode, p.id).toBe(200);
        expect(res.body).not.toMatch(/<script(?![^>]*\bsrc=)/i);
        expect(res.body).not.toMatch(/href="\s*(javascript|data|vbscript):/i);
        for (const c of p.commands) if (c.run.includes('{{release}}')) expect(res.body, `${p.id}: ${c.run}`).not.toContain('{{release}}');
        // A line pasted from the playbook's own example finds it (via its signals), and so does its title.
        const signals = p.signals.filter((sig) => sig.weight > 0).map((sig) => new RegExp(sig.pattern, 'i'));
        const lines = p.examples.filter((ex) => ex.expect === p.id).flatMap((ex) => ex.input.split('\n'));
        const line = lines.find((l) => l.length <= 300 && signals.some((re) => re.test(l)));
        for (const q of [p.title, ...(line ? [line] : [])]) {
          const found = await h.server.app.inject({ url: `/runbooks?q=${encodeURIComponent(q)}`, headers: { accept: 'application/json' } });
          expect(found.json<{ runbooks: Array<{ id: string }> }>().runbooks.map((r) => r.id), `${p.id}: ${q}`).toContain(p.id);
        }
      }
    } finally {
      await h.server.close();
    }
  });
});
