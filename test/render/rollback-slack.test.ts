import { describe, expect, it } from 'vitest';
import { predictionsWorstFirst, renderRollbackFailure, renderRollbackPending, renderRollbackPlanMessage, rollbackPlanUrl, verdictDetail } from '../../src/render/rollback-slack.js';
import { ACTION_IDS, SLACK_LIMITS, type Block } from '../../src/render/slack.js';
import { cannotPlan, PING, safePlan, willFailPlan } from './rollback-fixtures.js';

const CTX = { cluster: 'prod-eu', planId: 'P'.repeat(24), publicBaseUrl: 'https://h.example' };

function texts(blocks: readonly Block[]): string {
  return JSON.stringify(blocks);
}

/** The mrkdwn and plain text of every block, in order. */
function lines(blocks: readonly Block[]): string[] {
  return blocks.flatMap((b) => {
    if (b.type === 'section' && b.text) return [b.text.text];
    if (b.type === 'header') return [b.text.text];
    if (b.type === 'context') return b.elements.map((el) => ('text' in el ? el.text : ''));
    return [];
  });
}

describe('renderRollbackPlanMessage', () => {
  it('puts the verdict first, then predictions worst first with evidence and the fix, the diff collapsed, and the command with its risk', () => {
    const msg = renderRollbackPlanMessage(willFailPlan(), CTX);
    const shown = lines(msg.blocks);
    expect(shown[0]).toBe('↩️ Rollback plan: kruise → revision 1');
    expect(shown[1]).toBe('⛔ *Will fail*: Service kruise-system/kruise-webhook-service spec.clusterIP would be unset, and Kubernetes 1.21 rejects that');
    expect(shown[2]).toContain('revision 2 (deployed, `kruise-1.4.0`, app `1.4.0`) → 1 (superseded, `kruise-1.1.0`, app `1.1.0`)');
    const whatHappens = shown.findIndex((l) => l.startsWith('*What would happen*'));
    expect(whatHappens).toBe(3);
    // The will-fail prediction comes first although the planner listed it second.
    expect(shown[3]).toContain('⛔ Service kruise-system/kruise-webhook-service: spec.clusterIP would be unset (10.96.120.7 → none)');
    expect(shown[3]).toContain('`live spec.clusterIP: 10.96.120.7`');
    expect(shown[3]).toContain('_first:_ ⚠️ _risk: the webhook is unreachable until the rollback recreates the Service_ `kubectl -n kruise-system delete service kruise-webhook-service`');
    expect(shown[4]).toContain('⚠️ PersistentVolumeClaim kruise-system/cache is not in revision 1');
    expect(shown[4]).toContain('_first:_ keep a copy · _read-only_ `kubectl -n kruise-system get pvc cache -o yaml`');
    const diff = shown.find((l) => l.startsWith('*Diff*')) ?? '';
    expect(diff).toContain('4 changed · 1 added · 1 removed · 7 unchanged objects · values: 2 changed · chart `kruise-1.4.0` → `kruise-1.1.0`');
    expect(diff).toContain('• changed Service kruise-system/kruise-webhook-service: `spec.clusterIP`, `spec.clusterIPs[0]`, `spec.ipFamilies[0]` +2 more');
    expect(diff).toContain('• deleted PersistentVolumeClaim kruise-system/cache: `spec.resources.requests.storage`');
    expect(diff).toContain('• created ConfigMap kruise-system/kruise-legacy');
    expect(diff).toContain('• changed ClusterRole kruise-manager-role: `rules[4].verbs[2]`');
    expect(diff).toContain('_…1 more objects_');
    // Collapsed: values of fields are never listed in the message.
    expect(diff).not.toContain('openkruise/kruise-manager:v1.1.0');
    const command = shown.find((l) => l.startsWith('*The command*')) ?? '';
    expect(command).toContain('```helm rollback kruise 1 -n kruise-system```');
    expect(command).toContain('⚠️ *Changes the cluster* — risk: fails on the Service until it is recreated; deletes PVC cache');
    expect(shown.indexOf(command)).toBeGreaterThan(shown.indexOf(diff));
    expect(shown.at(-1)).toBe('no permission to list persistentvolumeclaims in kube-system: PVC predictions there skipped');
    const actions = msg.blocks.at(-1);
    expect(actions?.type).toBe('actions');
    expect(texts([actions as Block])).toContain(`"url":"https://h.example/rollback-plans/${'P'.repeat(24)}"`);
    expect(texts([actions as Block])).toContain(ACTION_IDS.rollbackPage);
    expect(msg.text).toBe('helm-triage: rollback of kruise to revision 1: will fail — Service kruise-system/kruise-webhook-service spec.clusterIP would be unset, and Kubernetes 1.21 rejects that');
  });

  it('escapes every value from the release or the cluster, so nothing pings', () => {
    const plan = willFailPlan({ notes: ['<!here> note'] });
    const [careful, failing] = plan.predictions;
    plan.predictions = [careful!, { ...failing!, summary: `annotation note would become ${PING}`, evidence: [PING] }];
    plan.verdict.summary = `will fail: ${PING}`;
    const msg = renderRollbackPlanMessage(plan, CTX);
    const all = texts(msg.blocks) + msg.text;
    for (const raw of ['<!channel>', '<!here>', '<@U0BOSS>', '<https://evil']) expect(all).not.toContain(raw);
    expect(all).toContain('&lt;!channel&gt;');
    expect(all).toContain('&lt;!here&gt; note');
  });

  it('says a safe plan plainly, with no predictions section', () => {
    const msg = renderRollbackPlanMessage(safePlan(), CTX);
    const shown = lines(msg.blocks);
    expect(shown[0]).toBe('↩️ Rollback plan: web → revision 3');
    expect(shown[1]).toBe('✅ *Safe to roll back*');
    expect(shown.some((l) => l.startsWith('*What would happen*'))).toBe(false);
    expect(shown.find((l) => l.startsWith('*Diff*'))).toContain('0 changed · 0 added · 0 removed · 4 unchanged objects · values unchanged · chart `web-2.0.1` → `web-2.0.0`');
    expect(msg.text).toBe('helm-triage: rollback of web to revision 3: safe to roll back');
  });

  it('shows why no plan could be made, without diff or command, and no page button without a base URL', () => {
    const msg = renderRollbackPlanMessage(cannotPlan(), { cluster: 'prod-eu' });
    const shown = lines(msg.blocks);
    expect(shown[0]).toBe('↩️ Rollback plan: ghost → last good revision');
    expect(shown[1]).toBe('❔ *Cannot plan*: release ghost has no revisions in namespace prod');
    expect(shown.some((l) => l.startsWith('*Diff*') || l.startsWith('*The command*'))).toBe(false);
    expect(msg.blocks.some((b) => b.type === 'actions')).toBe(false);
  });

  it('keeps within Slack limits however many predictions and objects a plan has', () => {
    const plan = willFailPlan();
    const many = Array.from({ length: 60 }, (_, i) => ({ ...plan.predictions[1]!, summary: `prediction ${i} ${'x'.repeat(400)}`, evidence: ['e'.repeat(5000)] }));
    const objects = Array.from({ length: 300 }, (_, i) => ({ ...plan.diff!.objects[0]!, object: { ...plan.diff!.objects[0]!.object, name: `svc-${i}` } }));
    const msg = renderRollbackPlanMessage({ ...plan, predictions: many, diff: { ...plan.diff!, objects } }, CTX);
    expect(msg.blocks.length).toBeLessThanOrEqual(SLACK_LIMITS.blocks);
    for (const b of msg.blocks) if (b.type === 'section' && b.text) expect(b.text.text.length).toBeLessThanOrEqual(SLACK_LIMITS.sectionText);
    expect(lines(msg.blocks)).toContain('…52 more on the plan page');
    expect(texts(msg.blocks)).toContain('_…295 more objects_');
    expect(msg.blocks.at(-1)?.type).toBe('actions');
  });
});

describe('pending and failed replies', () => {
  it('says at once what is being planned, where, and that nothing is rolled back', () => {
    const msg = renderRollbackPending({ release: 'web', namespace: 'prod', revision: 3 }, CTX);
    expect(msg.text).toBe('helm-triage: planning rollback of web to revision 3 in prod…');
    expect(lines(msg.blocks)[1]).toBe('⏳ Planning rollback of `web` to revision 3 in `prod` on cluster `prod-eu`… read-only, nothing is rolled back. This message updates when the plan is ready.');
    expect(renderRollbackPending({ release: 'web', namespace: 'prod' }, CTX).text).toContain('to the last good revision');
    expect(lines(renderRollbackPending({ release: 'web', namespace: 'prod', revision: 1, force: true }, CTX).blocks)[1]).toContain('in `prod` with `--force` on cluster `prod-eu`');
  });

  it('says why there is no plan', () => {
    const msg = renderRollbackFailure({ release: 'web', namespace: 'prod' }, 'no-agent', 'no agent answered for cluster prod-eu within 30 s', CTX);
    expect(lines(msg.blocks)[1]).toBe('⚠️ No rollback plan for `web` in `prod` on cluster `prod-eu`: no agent answered for cluster prod-eu within 30 s.');
    expect(msg.text).toBe('helm-triage: no rollback plan for web (got no answer from an agent)');
  });
});

describe('helpers', () => {
  it('sorts predictions worst first and keeps the planner order within a severity', () => {
    const [a, b] = willFailPlan().predictions;
    const c = { ...a!, summary: 'second needs-care' };
    expect(predictionsWorstFirst([a!, b!, c]).map((p) => p.summary)).toEqual([b!.summary, a!.summary, 'second needs-care']);
  });

  it('keeps a qualified label readable ("Will fail with --force: …")', () => {
    const plan = willFailPlan({ verdict: { kind: 'will-fail', summary: 'will fail with --force: Service storefront/web loses its class' } });
    const msg = renderRollbackPlanMessage(plan, CTX);
    expect(lines(msg.blocks)[1]).toBe('⛔ *Will fail* with --force: Service storefront/web loses its class');
    expect(msg.text).toBe('helm-triage: rollback of kruise to revision 1: will fail with --force: Service storefront/web loses its class');
    expect(verdictDetail('will-fail', 'will fail with --force: x')).toBe('with --force: x');
  });

  it('strips the label the badge already shows from the verdict sentence', () => {
    expect(verdictDetail('will-fail', 'will fail: x')).toBe('x');
    expect(verdictDetail('needs-care', 'Needs care: y')).toBe('y');
    expect(verdictDetail('safe', 'safe to roll back')).toBe('');
    expect(verdictDetail('cannot-plan', 'no release web')).toBe('no release web');
  });

  it('builds the permalink under the base URL, with or without a trailing slash', () => {
    expect(rollbackPlanUrl('https://h.example', 'abc')).toBe('https://h.example/rollback-plans/abc');
    expect(rollbackPlanUrl('https://h.example/triage/', 'abc')).toBe('https://h.example/triage/rollback-plans/abc');
  });
});
