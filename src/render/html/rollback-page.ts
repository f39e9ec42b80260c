// GET /rollback-plans/:id: one stored rollback plan — verdict, what would happen (worst first), the
// command with its risk, and the whole diff, one collapsible <details> per object with every field
// path from → to (values are redacted by the planner before they get here). Pure: view in, HTML out.
import type { RollbackPlanRecord } from '../../model/rollback-record.js';
import type { FieldChange, ObjectChange, Prediction, RevisionSummary, RollbackDiff, RollbackPlan } from '../../model/rollback.js';
import { escapeHtml as e } from '../markdown.js';
import { objectName, predictionsWorstFirst, verdictDetail, verdictLabel } from '../rollback-slack.js';
import { OUTCOME_WORDS } from '../shared.js';
import { renderCommands } from './commands.js';
import { layout, time, type PageAssets } from './layout.js';

export type RollbackPageView = Omit<RollbackPlanRecord, 'slack'>;

const VERDICT_CLASS: Record<RollbackPlan['verdict']['kind'], string> = {
  safe: 'ok',
  'will-fail': 'bad',
  'needs-care': 'warn',
  'cannot-plan': 'muted',
};

const CHANGE_LABEL: Record<ObjectChange['change'], string> = {
  changed: 'changed',
  added: 'created',
  removed: 'deleted',
};

const CHANGE_CLASS: Record<ObjectChange['change'], string> = { changed: 'warn', added: 'ok', removed: 'bad' };


function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

function targetText(view: RollbackPageView): string {
  const revision = view.plan?.target?.revision ?? view.request.revision;
  return revision === undefined ? 'the last good revision' : `revision ${revision}`;
}

export function renderRollbackPage(view: RollbackPageView, assets: PageAssets): string {
  const title = `Rollback plan: ${view.request.release} → ${targetText(view)}`;
  const where = `<p class="meta">Release <code>${e(view.request.release)}</code> in namespace <code>${e(view.request.namespace)}</code> on cluster <code>${e(view.cluster)}</code>. Read-only: helm-triage never runs the rollback.</p>`;
  const body = view.plan ? renderPlan(view.plan) : renderNoPlan(view);
  return layout(
    title,
    `<p class="crumbs">Rollback plan <code>${e(view.id)}</code></p>
<h1>${e(title)}</h1>
${where}
${body}
<footer class="meta"><p>Asked ${time(view.createdAt)}${view.answer ? ` · answered ${time(view.answer.completedAt)}` : ''} · kept until ${time(view.expiresAt)}</p></footer>`,
    assets,
  );
}

function renderNoPlan(view: RollbackPageView): string {
  if (!view.answer) {
    return `<section class="verdict"><p><span class="badge muted">planning</span></p><p>The agent of cluster <code>${e(view.cluster)}</code> is still planning this rollback. Reload the page in a few seconds.</p></section>`;
  }
  const why = view.answer.message ?? `planning ${OUTCOME_WORDS[view.answer.outcome]}`;
  return `<section class="verdict"><p><span class="badge muted">no plan</span></p><p class="notice">${e(why)}</p><p>Nothing was rolled back. Ask again in Slack, or run <code>helm-triage rollback-plan</code> where you have cluster access.</p></section>`;
}

function renderPlan(plan: RollbackPlan): string {
  const rest = verdictDetail(plan.verdict.kind, plan.verdict.summary);
  const detail = rest.charAt(0).toUpperCase() + rest.slice(1);
  const verdict = `<section class="verdict"><p><span class="badge ${VERDICT_CLASS[plan.verdict.kind]}">${e(verdictLabel(plan.verdict.kind))}</span></p>${detail ? `<p>${e(detail)}</p>` : ''}</section>`;
  return [
    verdict,
    renderRevisions(plan.current, plan.target),
    renderPredictions(plan.predictions),
    plan.command ? `<section><h2>The command</h2><p class="meta">Copy it when the plan says so; helm-triage does not run it.</p>${renderCommands([plan.command], 'rollback')}</section>` : '',
    plan.diff ? renderDiff(plan.diff) : '',
    plan.notes.length ? `<section><h2>Notes</h2><ul>${plan.notes.map((n) => `<li>${e(n)}</li>`).join('')}</ul></section>` : '',
    `<p class="meta">${plural(plan.requests, 'read-only Kubernetes request')} made for this plan.</p>`,
  ].filter(Boolean).join('\n');
}

function revisionCell(r: RevisionSummary | null): string {
  if (!r) return '<td>—</td>';
  const parts = [`<strong>${r.revision}</strong> <span class="badge muted">${e(r.status)}</span>`, `<code>${e(r.chart)}</code>`];
  if (r.appVersion) parts.push(`app <code>${e(r.appVersion)}</code>`);
  if (r.deployedAt) parts.push(e(r.deployedAt.replace('T', ' ').replace(/\.\d+Z$|Z$/, ' UTC')));
  return `<td>${parts.join('<br>')}</td>`;
}

function renderRevisions(current: RevisionSummary | null, target: RevisionSummary | null): string {
  if (!current && !target) return '';
  return `<section><h2>Revisions</h2><table class="facts revisions"><tr><th scope="row">now</th>${revisionCell(current)}</tr><tr><th scope="row">after rollback</th>${revisionCell(target)}</tr></table></section>`;
}

function renderPrediction(p: Prediction, i: number): string {
  const badge = p.severity === 'will-fail' ? '<span class="badge bad">will fail</span>' : '<span class="badge warn">needs care</span>';
  const object = p.object ? ` <code>${e(objectName(p.object))}</code>` : '';
  return `<li class="finding"><p>${badge} ${e(p.summary)}</p>
<p class="meta"><code>${e(p.kind)}</code>${object}</p>${p.evidence.length ? `<pre class="log"><code>${e(p.evidence.join('\n'))}</code></pre>` : ''}${p.fixFirst.length ? `<p class="meta">Before rolling back:</p>${renderCommands(p.fixFirst, `fix-${i + 1}`)}` : ''}</li>`;
}

function renderPredictions(predictions: readonly Prediction[]): string {
  if (predictions.length === 0) return '<section><h2>What would happen</h2><p>Nothing the planner knows to fail or to need care.</p></section>';
  return `<section><h2>What would happen</h2><ul class="findings">${predictionsWorstFirst(predictions).map(renderPrediction).join('')}</ul></section>`;
}

function side(value: string | undefined): string {
  return value === undefined ? '<span class="absent">(absent)</span>' : `<code>${e(value)}</code>`;
}

/** A field path with break opportunities before each segment, so a phone wraps it at `.` and `[`, not mid-word. */
function pathHtml(path: string): string {
  return e(path).replace(/\.(?=[^.])/g, '.<wbr>').replace(/\[/g, '<wbr>[');
}

/** One field: its path, then from → to, each side on its own line so long values wrap on a phone. */
function renderField(f: FieldChange): string {
  return `<li><code class="path">${pathHtml(f.path)}</code><div class="fromto"><span class="from">${side(f.from)}</span> <span class="arrow" aria-label="becomes">→</span> <span class="to">${side(f.to)}</span></div></li>`;
}

function renderFields(fields: readonly FieldChange[]): string {
  return fields.length ? `<ul class="fields">${fields.map(renderField).join('')}</ul>` : '<p class="meta">No field-level detail.</p>';
}

function renderObject(o: ObjectChange): string {
  const api = `<span class="meta">${e(o.object.apiVersion)}</span>`;
  const summary = `<span class="badge ${CHANGE_CLASS[o.change]}">${CHANGE_LABEL[o.change]}</span> <code>${e(objectName(o.object))}</code> ${api} <span class="count">${plural(o.fields.length, 'field')}</span>`;
  return `<details class="object"><summary>${summary}</summary>${renderFields(o.fields)}</details>`;
}

function renderDiff(diff: RollbackDiff): string {
  const by = (kind: ObjectChange['change']) => diff.objects.filter((o) => o.change === kind).length;
  const counts = `<p>${by('changed')} changed · ${by('added')} created · ${by('removed')} deleted · ${diff.unchanged} unchanged ${diff.unchanged === 1 ? 'object' : 'objects'}</p>`;
  const chart = diff.chart.from === diff.chart.to ? `<p>Chart <code>${e(diff.chart.to)}</code> (same on both sides).</p>` : `<p>Chart <code>${e(diff.chart.from)}</code> → <code>${e(diff.chart.to)}</code>.</p>`;
  const app = diff.appVersion.from !== diff.appVersion.to ? `<p>App version ${side(diff.appVersion.from)} → ${side(diff.appVersion.to)}.</p>` : '';
  const values = diff.values.changes.length
    ? `<details class="object" open><summary><span class="badge warn">values</span> user-supplied values <span class="count">${plural(diff.values.changes.length, 'change')}</span></summary>${renderFields(diff.values.changes)}</details>`
    : '<p class="meta">User-supplied values are the same in both revisions.</p>';
  const objects = diff.objects.length ? diff.objects.map(renderObject).join('\n') : '<p class="meta">No object differs between the two manifests.</p>';
  return `<section><h2>Diff: now → after rollback</h2>${counts}${chart}${app}
<h3>Values</h3>${values}
<h3>Objects</h3>${objects}</section>`;
}
