import { describe, expect, it } from 'vitest';
import type { CheckResult } from '../../src/queue/types.js';
import { ACTION_IDS, escapeSlack, renderSlackMessage, renderRepeatNotice, SLACK_LIMITS, truncate, type Block } from '../../src/render/slack.js';
import type { Diagnosis } from '../../src/triage/types.js';

function diagnosis(over: Partial<Diagnosis> = {}): Diagnosis {
  return {
    playbook: 'selector-change', title: 'Deployment selector cannot change', confidence: 0.91,
    facts: { release: 'web', namespace: 'shop' },
    rootCause: 'The selector of Deployment/web changed.',
    commands: [
      { command: 'helm history web -n shop', effect: 'read-only' },
      { command: 'kubectl delete deploy/web -n shop --cascade=orphan', effect: 'changes-cluster', risk: 'pods are orphaned' },
    ],
    matches: [{ playbook: 'selector-change', title: 't', score: 0.91, evidence: [{ line: 2, text: 'spec.selector: field is immutable', signal: 's', weight: 0.9 }] }],
    checks: ['release-history'], notes: [],
    input: { bytes: 10, lines: 2, truncated: false, redactions: 0, binary: false }, text: 'x',
    ...over,
  };
}

const texts = (blocks: Block[]): string => JSON.stringify(blocks);

function result(over: Partial<CheckResult> = {}): CheckResult {
  return {
    v: 1, jobId: 'j', cluster: 'prod', outcome: 'ok', completedAt: 0,
    findings: [
      { check: 'a', status: 'confirmed', summary: 'yes', evidence: ['e1'] },
      { check: 'b', status: 'refuted', summary: 'no', evidence: [] },
      { check: 'c', status: 'inconclusive', summary: 'maybe', evidence: [], missingPermission: 'list events' },
    ],
    verdict: { playbook: 'selector-change', status: 'confirmed', confidence: 0.98, summary: 'confirmed live', rootCause: null },
    ...over,
  };
}

describe('renderSlackMessage', () => {
  it('shows title, confidence, root cause, evidence from the text, commands and buttons', () => {
    const msg = renderSlackMessage(diagnosis(), { triageId: 'T'.repeat(24), publicBaseUrl: 'https://h.example', checks: { state: 'pending', cluster: 'prod' } });
    const all = texts(msg.blocks);
    expect(msg.text).toBe('helm-triage: Deployment selector cannot change (91%)');
    expect(all).toContain('*Confidence:* 91%');
    expect(all).toContain('*Root cause*');
    expect(all).toContain('line 2: `spec.selector: field is immutable`');
    expect(all).toContain('```helm history web -n shop```');
    expect(all).toContain('⚠️ *Changes the cluster* — risk: pods are orphaned');
    expect(all).toContain('Running read-only checks on cluster `prod`');
    const actions = msg.blocks.at(-1);
    expect(actions?.type).toBe('actions');
    const ids = actions?.type === 'actions' ? actions.elements.map((e) => ('action_id' in e ? e.action_id : '')) : [];
    expect(ids).toEqual([ACTION_IDS.runbook, ACTION_IDS.details, ACTION_IDS.rollbackPlan, ACTION_IDS.helpful, ACTION_IDS.wrong]);
    expect(all).toContain('https://h.example/runbooks/selector-change?release=web&namespace=shop');
    expect(all).toContain(`https://h.example/t/${'T'.repeat(24)}`);
  });

  it('offers "Plan a rollback" only when the diagnosis names the release', () => {
    const idsOf = (d: Diagnosis) => {
      const actions = renderSlackMessage(d, { triageId: 'T'.repeat(24), checks: { state: 'none' } }).blocks.at(-1);
      return actions?.type === 'actions' ? actions.elements.map((e) => ('action_id' in e ? e.action_id : '')) : [];
    };
    expect(idsOf(diagnosis())).toContain(ACTION_IDS.rollbackPlan);
    expect(idsOf(diagnosis({ facts: { namespace: 'shop' } }))).not.toContain(ACTION_IDS.rollbackPlan);
  });

  it('renders the evidence checklist with ✅ ❌ ❔ and offers a re-run once checks are done', () => {
    const msg = renderSlackMessage(diagnosis(), { triageId: 'x'.repeat(24), checks: { state: 'done', result: result() } });
    const all = texts(msg.blocks);
    expect(all).toContain('✅ yes');
    expect(all).toContain('❌ no');
    expect(all).toContain('❔ maybe');
    expect(all).toContain('needs RBAC:_ `list events`');
    expect(all).toContain('*Verdict:* confirmed (98%)');
    expect(all).toContain(ACTION_IDS.rerun);
    expect(msg.text).toContain('— confirmed');
  });

  it("shows a finding's way out: read-only commands as such, changes with their risk", () => {
    const findings = [{
      check: 'stuck-release', status: 'confirmed' as const, summary: 'revision 8 pending', evidence: [],
      commands: [
        { command: 'helm history api -n backend --max 5', effect: 'read-only' as const },
        { command: 'helm rollback api 7 -n backend --wait', effect: 'changes-cluster' as const, risk: 'Replaces revision 8' },
        { command: 'helm status api -n backend', effect: 'read-only' as const },
      ],
    }];
    const all = texts(renderSlackMessage(diagnosis(), { checks: { state: 'done', result: result({ findings }) } }).blocks);
    expect(all).toContain('_read-only_ `helm history api -n backend --max 5`');
    expect(all).toContain('⚠️ _risk: Replaces revision 8_ `helm rollback api 7 -n backend --wait`');
    expect(all).not.toContain('helm status api');
  });

  it('says when the checks did not complete, keeping the text diagnosis', () => {
    const msg = renderSlackMessage(diagnosis(), { checks: { state: 'done', result: result({ outcome: 'no-agent', findings: [], verdict: null, message: 'no agent for cluster prod' }) } });
    expect(texts(msg.blocks)).toContain('did not complete: no agent for cluster prod');
    expect(texts(msg.blocks)).toContain('*Root cause*');
  });

  it('abstains explicitly and lists the known playbooks', () => {
    const msg = renderSlackMessage(diagnosis({ playbook: null, title: null, rootCause: null, confidence: 0.2 }), { checks: { state: 'none' }, playbookIds: ['a-one', 'b-two'] });
    const all = texts(msg.blocks);
    expect(msg.text).toBe('helm-triage: no confident diagnosis');
    expect(all).toContain("won't guess");
    expect(all).toContain('`a-one`, `b-two`');
    expect(all).not.toContain('Suggested commands');
  });

  it('escapes everything that came from the paste so nothing pings', () => {
    const evil = '<!channel> <!here> <@U123> <#C1|x> & <https://evil.example|click>';
    const msg = renderSlackMessage(diagnosis({
      rootCause: evil,
      facts: { release: '<!here>', namespace: 'a&b' },
      matches: [{ playbook: 'selector-change', title: 't', score: 1, evidence: [{ line: 1, text: evil, signal: 's', weight: 1 }] }],
      commands: [{ command: `helm status ${evil}`, effect: 'read-only' }],
      notes: [evil],
    }), { checks: { state: 'done', result: result({ findings: [{ check: 'a', status: 'confirmed', summary: evil, evidence: [evil] }] }) } });
    const all = JSON.stringify(msg);
    for (const raw of ['<!channel>', '<!here>', '<@U123>', '<#C1', '<https://evil']) expect(all).not.toContain(raw);
    expect(all).toContain('&lt;!channel&gt;');
    expect(all).toContain('a&amp;b');
  });

  it('keeps within Slack limits: ≤50 blocks, ≤3000 chars per section, header ≤150', () => {
    const many = Array.from({ length: 80 }, (_, i) => ({ command: `kubectl get pods -n ns${i} ${'x'.repeat(4000)}`, effect: 'read-only' as const }));
    const msg = renderSlackMessage(diagnosis({ title: 'T'.repeat(400), commands: many, rootCause: 'r'.repeat(10_000) }), {
      triageId: 'y'.repeat(24), checks: { state: 'done', result: result({ findings: Array.from({ length: 40 }, (_, i) => ({ check: `c${i}`, status: 'confirmed' as const, summary: 's'.repeat(500), evidence: ['e'.repeat(500)] })) }) },
    });
    expect(msg.blocks.length).toBeLessThanOrEqual(SLACK_LIMITS.blocks);
    expect(msg.blocks.at(-1)?.type).toBe('actions');
    for (const b of msg.blocks) {
      if (b.type === 'section' && b.text) expect(b.text.text.length).toBeLessThanOrEqual(SLACK_LIMITS.sectionText);
      if (b.type === 'header') expect(b.text.text.length).toBeLessThanOrEqual(SLACK_LIMITS.headerText);
    }
    expect(msg.text.length).toBeLessThanOrEqual(SLACK_LIMITS.fallbackText);
  });
});

describe('escapeSlack / truncate', () => {
  it('escapes exactly &, < and >', () => {
    expect(escapeSlack('a & <b> "c"')).toBe('a &amp; &lt;b&gt; "c"');
  });

  it('never cuts an entity in half', () => {
    const cut = truncate('abc&amp;def', 6);
    expect(cut).toBe('abc…');
    expect(truncate('short', 10)).toBe('short');
  });
});

describe('renderRepeatNotice', () => {
  it('links to the earlier message and escapes the title', () => {
    const n = renderRepeatNotice({ title: '<!here> x', earlierMessageLink: 'https://t.slack.com/archives/C/p1' });
    expect(JSON.stringify(n)).toContain('<https://t.slack.com/archives/C/p1|the earlier triage>');
    expect(JSON.stringify(n)).not.toContain('<!here>');
  });
});
