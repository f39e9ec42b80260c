import { describe, expect, it } from 'vitest';
import { renderTriagePage, type TriagePageView } from '../../../src/render/html/triage-page.js';
import { shownMatches, summaryAfterBadge } from '../../../src/render/shared.js';
import type { Diagnosis } from '../../../src/triage/types.js';

const ASSETS = { css: '/assets/a.css', js: '/assets/a.js' };

function diagnosis(): Diagnosis {
  return {
    playbook: 'immutable-field',
    title: 'Upgrade changes a field Kubernetes does not allow to change',
    confidence: 0.9,
    facts: { release: 'shop', namespace: 'retail' },
    rootCause: 'The revision changes spec.selector.',
    commands: [],
    matches: [
      { playbook: 'immutable-field', title: 'Upgrade changes an immutable field', score: 0.9, evidence: [] },
      { playbook: 'immutable-cluster-ip', title: 'Service clusterIP cannot be unset or changed', score: 0.3, evidence: [] },
      { playbook: 'wait-timeout', title: 'Helm timed out waiting', score: 0, evidence: [] },
    ],
    checks: ['release-history'],
    notes: [],
    input: { bytes: 10, lines: 1, truncated: false, redactions: 0, binary: false },
    text: 'Error: UPGRADE FAILED: field is immutable',
  };
}

function view(over: Partial<TriagePageView> = {}): TriagePageView {
  return {
    id: 'AAAAAAAAAAAAAAAAAAAAAAAA',
    createdAt: Date.UTC(2026, 0, 2, 3, 4),
    expiresAt: Date.UTC(2026, 0, 16, 3, 4),
    source: 'slack',
    diagnosis: diagnosis(),
    checkDescriptions: {},
    runbookHref: null,
    ...over,
  };
}

describe('triage page wording', () => {
  it("renders a finding's way out with the playbook commands' markup, escaped", () => {
    const html = renderTriagePage(view({
      findings: [{ check: 'unready-resources', status: 'confirmed', summary: 's', evidence: [], commands: [
        { command: 'kubectl -n store describe pod <b>web</b>', effect: 'read-only' },
        { command: 'helm rollback shop 2 -n store --wait', effect: 'changes-cluster', risk: 'Replaces revision 3' },
      ] }],
    }), ASSETS);
    expect(html).toContain('<code id="way-unready-resources-1">kubectl -n store describe pod &lt;b&gt;web&lt;/b&gt;</code>');
    expect(html).toContain('<code id="way-unready-resources-2">helm rollback shop 2 -n store --wait</code></pre><p class="risk"><strong>Risk:</strong> Replaces revision 3</p>');
  });

  it('does not repeat the verdict status the badge already shows', () => {
    expect(summaryAfterBadge('inconclusive', 'inconclusive: release shop has no revisions')).toBe('release shop has no revisions');
    expect(summaryAfterBadge('confirmed', 'release shop is pending')).toBe('release shop is pending');
    const html = renderTriagePage(
      view({ verdict: { playbook: 'immutable-field', status: 'inconclusive', confidence: 0.9, summary: 'inconclusive: release shop has no revisions', rootCause: null } }),
      ASSETS,
    );
    expect(html).toContain('<p>release shop has no revisions</p>');
    expect(html).not.toContain('inconclusive: release shop');
  });

  it('says how the cluster checks ended in words, not as an outcome code', () => {
    const ok = renderTriagePage(view({ cluster: 'prod', checks: { outcome: 'ok', completedAt: Date.UTC(2026, 0, 2, 3, 5) } }), ASSETS);
    expect(ok).toContain('Cluster checks on <code>prod</code> finished (');
    expect(ok).not.toContain('</code>: ok');
    const late = renderTriagePage(
      view({ cluster: 'prod', checks: { outcome: 'no-agent', message: 'no agent answered for cluster prod within 30 s', completedAt: Date.UTC(2026, 0, 2, 3, 5) } }),
      ASSETS,
    );
    expect(late).toContain('Cluster checks on <code>prod</code> got no answer from an agent — no agent answered for cluster prod within 30 s');
  });

  it('lists the matched playbook and alternatives that scored, never a score 0.00 row', () => {
    expect(shownMatches(diagnosis()).map((m) => m.playbook)).toEqual(['immutable-field', 'immutable-cluster-ip']);
    const html = renderTriagePage(view(), ASSETS);
    expect(html).toContain('score 0.30');
    expect(html).not.toContain('score 0.00');
    expect(html).not.toContain('<code>wait-timeout</code>');
  });

  it('keeps a zero-score match when it is the one the diagnosis names', () => {
    const d = { playbook: 'wait-timeout', matches: diagnosis().matches };
    expect(shownMatches(d).map((m) => m.playbook)).toEqual(['immutable-field', 'immutable-cluster-ip', 'wait-timeout']);
  });
});

describe('triage page without a diagnosis', () => {
  it('says no playbook matched instead of "text-only, confidence 0%", with no empty command section', () => {
    const d: Diagnosis = { ...diagnosis(), playbook: null, title: null, confidence: 0, rootCause: null, matches: [], checks: [], notes: ['no playbook matched: this does not look like a known Helm failure'] };
    const html = renderTriagePage(view({ diagnosis: d }), ASSETS);
    expect(html).toContain('<h1>No diagnosis</h1>');
    expect(html).toContain('abstains rather than guess');
    expect(html).toContain('href="/runbooks"');
    expect(html).not.toContain('confidence 0%');
    expect(html).not.toContain('text-only');
    expect(html).not.toContain('Suggested commands');
    expect(html).toContain('1 line, 10 bytes, 0 redactions');
  });

  it('labels a diagnosis that was never checked in words', () => {
    const html = renderTriagePage(view(), ASSETS);
    expect(html).toContain('>not checked on a cluster<');
  });
});
