// Rollback plan → Slack Block Kit. Pure: no I/O. Verdict first, then what would go wrong (worst
// first, with evidence and what to do before), the diff collapsed to counts and a few paths (the whole
// diff is on the plan page), and the command with its risk. Every value from a release record or the
// cluster goes through the same escaping as the diagnosis reply, so no name can ping a channel.
import type { CheckOutcome } from '../model/checks.js';
import type { ObjectChange, ObjectKey, Prediction, RevisionSummary, RollbackDiff, RollbackPlan, RollbackRequest, RollbackVerdictKind } from '../model/rollback.js';
import type { RenderedCommand } from '../triage/types.js';
import { OUTCOME_WORDS } from './shared.js';
import { ACTION_IDS, SLACK_LIMITS, codeBlock, commandEffect, codeSpan, context, escapeSlack, section, truncate, type Block, type SlackMessage } from './slack.js';

export interface RollbackRenderContext {
  /** The cluster whose agent planned (or plans) it. */
  cluster: string;
  /** Permalink id of the stored plan (src/store/rollback-plans.ts). */
  planId?: string;
  publicBaseUrl?: string;
}

/** How many predictions, changed objects and paths per object the message lists before "…more". */
export const ROLLBACK_SLACK_LIMITS = { predictions: 8, evidence: 2, fixes: 3, objects: 5, pathsPerObject: 3 } as const;

const VERDICT: Record<RollbackVerdictKind, { icon: string; label: string }> = {
  safe: { icon: '✅', label: 'Safe to roll back' },
  'will-fail': { icon: '⛔', label: 'Will fail' },
  'needs-care': { icon: '⚠️', label: 'Needs care' },
  'cannot-plan': { icon: '❔', label: 'Cannot plan' },
};

const SEVERITY_ICON: Record<Prediction['severity'], string> = { 'will-fail': '⛔', 'needs-care': '⚠️' };
const SEVERITY_RANK: Record<Prediction['severity'], number> = { 'will-fail': 0, 'needs-care': 1 };

export function rollbackPlanUrl(base: string, planId: string): string {
  return new URL(`rollback-plans/${encodeURIComponent(planId)}`, base.endsWith('/') ? base : `${base}/`).toString();
}

/** Worst first (will-fail before needs-care), the planner's order kept within a severity. */
export function predictionsWorstFirst(predictions: readonly Prediction[]): Prediction[] {
  return predictions.map((p, i) => ({ p, i })).sort((a, b) => SEVERITY_RANK[a.p.severity] - SEVERITY_RANK[b.p.severity] || a.i - b.i).map(({ p }) => p);
}

/** `Kind namespace/name` (cluster-scoped: `Kind name`), as the page and the message name objects. */
export function objectName(o: ObjectKey): string {
  return `${o.kind} ${o.namespace ? `${o.namespace}/` : ''}${o.name}`;
}

/**
 * What follows the verdict's label, with its separator: ": Service … would fail" when the summary
 * begins with the label ("will fail: …"), " with --force: …" when the label is qualified, "" when the
 * summary is the label itself ("safe to roll back"), else ": " and the whole summary.
 */
function verdictTail(kind: RollbackVerdictKind, summary: string): string {
  const lower = summary.toLowerCase();
  for (const label of [VERDICT[kind].label.toLowerCase(), kind.replace('-', ' ')]) {
    if (lower === label) return '';
    if (lower.startsWith(`${label}:`)) return `: ${summary.slice(label.length + 1).trim()}`;
    if (lower.startsWith(`${label} `) && summary.includes(':')) return ` ${summary.slice(label.length + 1)}`;
  }
  return summary === '' ? '' : `: ${summary}`;
}

/** The verdict's sentence without the label a badge beside it already shows. */
export function verdictDetail(kind: RollbackVerdictKind, summary: string): string {
  return verdictTail(kind, summary).replace(/^: /, '').trim();
}

export function verdictLabel(kind: RollbackVerdictKind): string {
  return VERDICT[kind].label;
}

function target(request: RollbackRequest): string {
  return request.revision === undefined ? 'the last good revision' : `revision ${request.revision}`;
}

function revisionText(r: RevisionSummary): string {
  return `${r.revision} (${escapeSlack(r.status)}, ${codeSpan(r.chart)}${r.appVersion ? `, app ${codeSpan(r.appVersion)}` : ''})`;
}

function header(request: RollbackRequest, plan?: RollbackPlan): Block {
  const revision = plan?.target?.revision ?? request.revision;
  const text = `↩️ Rollback plan: ${request.release} → ${revision === undefined ? 'last good revision' : `revision ${revision}`}`;
  return { type: 'header', text: { type: 'plain_text', text: truncate(text, SLACK_LIMITS.headerText) } };
}

function whereLine(request: RollbackRequest, cluster: string): string {
  return `release ${codeSpan(request.release)} · namespace ${codeSpan(request.namespace)} · cluster ${codeSpan(cluster)}`;
}

function pageButton(ctx: RollbackRenderContext, text: string): Block | null {
  if (!ctx.publicBaseUrl || !ctx.planId) return null;
  const url = rollbackPlanUrl(ctx.publicBaseUrl, ctx.planId);
  if (url.length > SLACK_LIMITS.buttonUrl) return null;
  return { type: 'actions', block_id: 'ht_rollback_actions', elements: [{ type: 'button', action_id: ACTION_IDS.rollbackPage, text: { type: 'plain_text', text }, url }] };
}

/** The reply while the agent plans: posted at once, replaced by the plan. */
export function renderRollbackPending(request: RollbackRequest, ctx: RollbackRenderContext): SlackMessage {
  const force = request.force ? ` with ${codeSpan('--force')}` : '';
  const line = `⏳ Planning rollback of ${codeSpan(request.release)} to ${target(request)} in ${codeSpan(request.namespace)}${force} on cluster ${codeSpan(ctx.cluster)}… read-only, nothing is rolled back. This message updates when the plan is ready.`;
  return {
    text: truncate(escapeSlack(`helm-triage: planning rollback of ${request.release} to ${target(request)} in ${request.namespace}…`), SLACK_LIMITS.fallbackText),
    blocks: [header(request), section(line)],
  };
}


/** No plan came back: say why (no agent, deadline, error, queue down) and that nothing was changed. */
export function renderRollbackFailure(request: RollbackRequest, outcome: CheckOutcome, message: string | undefined, ctx: RollbackRenderContext): SlackMessage {
  const why = message ?? `planning ${OUTCOME_WORDS[outcome]}`;
  const blocks: Block[] = [
    header(request),
    section(`⚠️ No rollback plan for ${codeSpan(request.release)} in ${codeSpan(request.namespace)} on cluster ${codeSpan(ctx.cluster)}: ${escapeSlack(truncate(why, 500))}.`),
    context('Nothing was rolled back. Ask again in a minute, or run the plan from a machine with cluster access: `helm-triage rollback-plan`.'),
  ];
  return { text: truncate(escapeSlack(`helm-triage: no rollback plan for ${request.release} (${OUTCOME_WORDS[outcome]})`), SLACK_LIMITS.fallbackText), blocks };
}

function commandLine(cmd: RenderedCommand): string {
  // What the fix is for comes first: a bare command (e.g. a controller upgrade) does not say why.
  const what = cmd.description ? `${escapeSlack(truncate(cmd.description, 200))} · ` : '';
  return `${what}${commandEffect(cmd)} ${codeSpan(truncate(cmd.command, 300))}`;
}

function predictionText(p: Prediction): string {
  const head = `${SEVERITY_ICON[p.severity]} ${escapeSlack(truncate(p.summary, 300))}`;
  const evidence = p.evidence.slice(0, ROLLBACK_SLACK_LIMITS.evidence).map((e) => `    ${codeSpan(truncate(e, 200))}`);
  const fixes = p.fixFirst.slice(0, ROLLBACK_SLACK_LIMITS.fixes).map((c) => `    _first:_ ${commandLine(c)}`);
  return [head, ...evidence, ...fixes].join('\n');
}

function predictionsBlocks(predictions: readonly Prediction[]): Block[] {
  if (predictions.length === 0) return [];
  const sorted = predictionsWorstFirst(predictions);
  const shown = sorted.slice(0, ROLLBACK_SLACK_LIMITS.predictions);
  const more = sorted.length - shown.length;
  // One section per prediction keeps each under Slack's 3000 characters however long its evidence.
  return [
    section(`*What would happen* (worst first)\n${predictionText(shown[0] as Prediction)}`),
    ...shown.slice(1).map((p) => section(predictionText(p))),
    ...(more > 0 ? [context(`…${more} more on the plan page`)] : []),
  ];
}

function count(n: number, what: string): string {
  return `${n} ${what}`;
}

/** The diff in a few lines: counts, chart and app version, and the first changed paths of a few objects. */
function diffSummaryLines(diff: RollbackDiff): { counts: string; objects: string[]; moreObjects: number } {
  const by = (kind: ObjectChange['change']) => diff.objects.filter((o) => o.change === kind).length;
  const parts = [count(by('changed'), 'changed'), count(by('added'), 'added'), count(by('removed'), 'removed'), count(diff.unchanged, 'unchanged')];
  const values = diff.values.changes.length > 0 ? ` · values: ${diff.values.changes.length} changed` : ' · values unchanged';
  const chart = diff.chart.from === diff.chart.to ? ` · chart ${codeSpan(diff.chart.to)}` : ` · chart ${codeSpan(diff.chart.from)} → ${codeSpan(diff.chart.to)}`;
  const shown = diff.objects.slice(0, ROLLBACK_SLACK_LIMITS.objects).map((o) => {
    const paths = o.fields.slice(0, ROLLBACK_SLACK_LIMITS.pathsPerObject).map((f) => codeSpan(truncate(f.path, 120)));
    const more = o.fields.length - paths.length;
    const what = o.change === 'added' ? 'created' : o.change === 'removed' ? 'deleted' : 'changed';
    return `• ${what} ${escapeSlack(objectName(o.object))}${paths.length ? `: ${paths.join(', ')}` : ''}${more > 0 ? ` +${more} more` : ''}`;
  });
  return { counts: `${parts.join(' · ')} objects${values}${chart}`, objects: shown, moreObjects: diff.objects.length - shown.length };
}

function diffBlocks(diff: RollbackDiff | null, ctx: RollbackRenderContext): Block[] {
  if (!diff) return [];
  const { counts, objects, moreObjects } = diffSummaryLines(diff);
  const more = moreObjects > 0 ? `\n_…${moreObjects} more objects_` : '';
  const page = ctx.publicBaseUrl && ctx.planId ? '\n_Every field, from → to, on the plan page._' : '';
  return [section(`*Diff* (current → target): ${counts}${objects.length ? `\n${objects.join('\n')}` : ''}${more}${page}`)];
}

function commandBlocks(cmd: RollbackPlan['command']): Block[] {
  if (!cmd) return [];
  const risk = cmd.effect === 'changes-cluster' ? `⚠️ *Changes the cluster* — risk: ${escapeSlack(truncate(cmd.risk ?? 'not stated', 500))}` : '_read-only_';
  return [section(`*The command* (helm-triage never runs it)\n${codeBlock(truncate(cmd.command, 2500))}\n${risk}`)];
}

/** The plan, as the reply is updated with it. */
export function renderRollbackPlanMessage(plan: RollbackPlan, ctx: RollbackRenderContext): SlackMessage {
  const { icon, label } = VERDICT[plan.verdict.kind];
  const tail = verdictTail(plan.verdict.kind, plan.verdict.summary);
  const detail = verdictDetail(plan.verdict.kind, plan.verdict.summary);
  const blocks: Block[] = [header(plan.request, plan)];
  blocks.push(section(`${icon} *${label}*${escapeSlack(truncate(tail, 1500))}`));
  const revisions = plan.current && plan.target ? ` · revision ${revisionText(plan.current)} → ${revisionText(plan.target)}` : '';
  blocks.push(context(`${whereLine(plan.request, ctx.cluster)}${revisions}`));
  blocks.push(...predictionsBlocks(plan.predictions));
  blocks.push(...diffBlocks(plan.diff, ctx));
  blocks.push(...commandBlocks(plan.command));
  const notes = plan.notes.slice(0, 5).map((n) => escapeSlack(truncate(n, 300)));
  if (notes.length > 0) blocks.push(context(...notes));
  const button = pageButton(ctx, 'Full plan and diff');
  const limited = blocks.slice(0, SLACK_LIMITS.blocks - (button ? 1 : 0));
  if (button) limited.push(button);
  const fallback = `helm-triage: rollback of ${plan.request.release} to ${target(plan.request)}: ${label.toLowerCase()}${tail.startsWith(':') ? ` — ${detail}` : tail}`;
  return { text: truncate(escapeSlack(fallback), SLACK_LIMITS.fallbackText), blocks: limited };
}
