import { describe, expect, it } from 'vitest';
import { renderRollbackPage, type RollbackPageView } from '../../../src/render/html/rollback-page.js';
import { cannotPlan, safePlan, willFailPlan } from '../rollback-fixtures.js';

const ASSETS = { css: '/assets/a.css', js: '/assets/a.js' };
const AT = Date.UTC(2026, 10, 25, 12, 0, 0);

function view(over: Partial<RollbackPageView> = {}): RollbackPageView {
  const plan = willFailPlan();
  return {
    id: 'R'.repeat(24), createdAt: AT, expiresAt: AT + 14 * 86_400_000,
    request: plan.request, cluster: 'prod-eu', plan,
    answer: { outcome: 'ok', completedAt: AT + 1500 }, ...over,
  };
}

/** The page's text without tags, whitespace squeezed: what a reader sees in order. */
function visible(html: string): string {
  return html.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');
}

describe('renderRollbackPage', () => {
  it('shows the verdict, the predictions worst first with their fixes, and the command with its risk', () => {
    const html = renderRollbackPage(view(), ASSETS);
    expect(html).toContain('<h1>Rollback plan: kruise → revision 1</h1>');
    expect(html).toContain('<span class="badge bad">Will fail</span>');
    const text = visible(html);
    expect(text.indexOf('will fail Service kruise-system/kruise-webhook-service: spec.clusterIP would be unset'))
      .toBeLessThan(text.indexOf('needs care PersistentVolumeClaim kruise-system/cache is not in revision 1'));
    expect(html).toContain('kubectl -n kruise-system delete service kruise-webhook-service');
    expect(html).toContain('<strong>Risk:</strong> the webhook is unreachable until the rollback recreates the Service');
    expect(html).toContain('<code id="rollback-1">helm rollback kruise 1 -n kruise-system</code>');
    expect(html).toContain('<strong>Risk:</strong> fails on the Service until it is recreated; deletes PVC cache');
    expect(text).toContain('now 2 deployed kruise-1.4.0 app 1.4.0 2026-01-05 10:02:00 UTC');
    expect(text).toContain('after rollback 1 superseded kruise-1.1.0');
    expect(text).toContain('9 read-only Kubernetes requests made for this plan.');
  });

  it('shows the whole diff: one collapsible block per object with every field path, from → to', () => {
    const plan = willFailPlan();
    const marked = renderRollbackPage(view({ plan }), ASSETS);
    // Paths carry break opportunities at each segment (phones wrap there); the text is the path.
    expect(marked).toContain('<code class="path">spec.<wbr>template.<wbr>spec.<wbr>containers<wbr>[0].<wbr>image</code>');
    const html = marked.replaceAll('<wbr>', '');
    const objects = html.match(/<details class="object">/g) ?? [];
    expect(objects).toHaveLength(plan.diff?.objects.length ?? -1);
    for (const o of plan.diff?.objects ?? []) {
      for (const f of o.fields) expect(html).toContain(`<code class="path">${f.path.replace(/&/g, '&amp;')}</code>`);
    }
    expect(visible(html)).toContain('4 changed · 1 created · 1 deleted · 7 unchanged objects');
    expect(html).toContain('<span class="badge warn">changed</span> <code>Service kruise-system/kruise-webhook-service</code> <span class="meta">v1</span> <span class="count">5 fields</span>');
    expect(html).toContain('<span class="badge bad">deleted</span> <code>PersistentVolumeClaim kruise-system/cache</code>');
    expect(html).toContain('<span class="badge ok">created</span> <code>ConfigMap kruise-system/kruise-legacy</code>');
    // A cluster-scoped object has no namespace in its name.
    expect(html).toContain('<code>ClusterRole kruise-manager-role</code>');
    expect(html).toContain('<li><code class="path">spec.clusterIP</code><div class="fromto"><span class="from"><code>10.96.120.7</code></span> <span class="arrow" aria-label="becomes">→</span> <span class="to"><span class="absent">(absent)</span></span></div></li>');
    expect(html).toContain('<span class="from"><code>openkruise/kruise-manager:v1.4.0</code></span>');
    expect(html).toContain('<span class="to"><code>openkruise/kruise-manager:v1.1.0</code></span>');
    // Redacted values stay redacted; the values diff is open, the objects are collapsed.
    expect(html).toContain('<code class="path">webhook.token</code><div class="fromto"><span class="from"><code>[redacted]</code></span>');
    expect(html).toContain('<details class="object" open><summary><span class="badge warn">values</span>');
    expect(visible(html)).toContain('Chart kruise-1.4.0 → kruise-1.1.0 .');
    expect(visible(html)).toContain('App version 1.4.0 → 1.1.0 .');
  });

  it('escapes every value, so markup in a manifest is shown, never run', () => {
    const html = renderRollbackPage(view(), ASSETS);
    expect(html).toContain('&lt;!channel&gt; &lt;@U0BOSS&gt; &lt;https://evil.example|click&gt;');
    expect(html).not.toContain('<!channel>');
    expect(html).not.toContain('<https://evil');
  });

  it('a safe plan says so and that no object differs', () => {
    const plan = safePlan();
    const html = renderRollbackPage(view({ plan, request: plan.request }), ASSETS);
    expect(html).toContain('<span class="badge ok">Safe to roll back</span>');
    expect(html).toContain('Nothing the planner knows to fail or to need care.');
    expect(html).toContain('No object differs between the two manifests.');
    expect(html).toContain('User-supplied values are the same in both revisions.');
  });

  it('says when the agent is still planning, and why there is no plan when it failed', () => {
    const pending = renderRollbackPage(view({ plan: undefined, answer: undefined, request: { release: 'web', namespace: 'prod' } }), ASSETS);
    expect(pending).toContain('<h1>Rollback plan: web → the last good revision</h1>');
    expect(pending).toContain('is still planning this rollback');
    const failed = renderRollbackPage(view({ plan: undefined, answer: { outcome: 'no-agent', message: 'no agent answered for cluster prod-eu within 30 s', completedAt: AT + 30_000 } }), ASSETS);
    expect(failed).toContain('<p class="notice">no agent answered for cluster prod-eu within 30 s</p>');
    const cannot = renderRollbackPage(view({ plan: cannotPlan() }), ASSETS);
    expect(cannot).toContain('<span class="badge muted">Cannot plan</span>');
    expect(cannot).toContain('<p>Release ghost has no revisions in namespace prod</p>');
    expect(cannot).not.toContain('<h2>Diff');
  });
});
