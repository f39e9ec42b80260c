// Diagnosis → Slack Block Kit. Pure: no I/O. Slack's limits are enforced here, and every piece of text
// that came from a paste is escaped so `<!channel>`, `<!here>` or `<@U…>` can never ping anyone.
import type { types } from '@slack/bolt';
import { formatPercent, summaryAfterBadge } from './shared.js';
import type { CheckResult, Finding, FindingStatus } from '../model/checks.js';
import type { Diagnosis, RenderedCommand } from '../triage/types.js';

export type Block = types.KnownBlock;
type Button = types.Button;

export const SLACK_LIMITS = {
  blocks: 50,
  sectionText: 3000,
  headerText: 150,
  fallbackText: 3000,
  buttonUrl: 3000,
  contextElements: 10,
} as const;

/** Action ids shared with the listeners in src/slack/listeners/actions. */
export const ACTION_IDS = {
  runbook: 'ht_runbook',
  details: 'ht_details',
  rerun: 'ht_rerun',
  helpful: 'ht_helpful',
  wrong: 'ht_wrong',
  rollbackPlan: 'ht_rollback_plan',
  rollbackPage: 'ht_rollback_page',
} as const;

export interface SlackMessage {
  /** Plain-text fallback for notifications and clients without blocks. */
  text: string;
  blocks: Block[];
}

/** Where the cluster checks stand, as shown under the text diagnosis. */
export type ChecksState =
  | { state: 'none' }
  | { state: 'pending'; cluster: string }
  | { state: 'not-allowed'; reason: string }
  | { state: 'unavailable'; reason: string }
  | { state: 'done'; result: CheckResult };

export interface SlackRenderContext {
  triageId?: string;
  publicBaseUrl?: string;
  checks: ChecksState;
  /** Every known playbook id: an abstention lists them. */
  playbookIds?: readonly string[];
  /** Extra lines for the reader (e.g. "answered here because the bot is not in the channel"). */
  notes?: readonly string[];
}

/** Slack's own escaping: the only three characters its parser treats as control characters. */
export function escapeSlack(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Escaped text for inside a `code span`; a backtick would end the span, so it becomes a lookalike. */
export function codeSpan(text: string): string {
  return '`' + escapeSlack(text.replace(/`/g, 'ˋ').replace(/\n/g, ' ')) + '`';
}

/** Escaped text for a ``` block; a triple backtick inside would end it early. */
export function codeBlock(text: string): string {
  return '```' + escapeSlack(text.replace(/```/g, 'ˋˋˋ')) + '```';
}

/** Cut to `max` characters (not in the middle of an entity) and say so. */
export function truncate(text: string, max: number, suffix = '…'): string {
  if (text.length <= max) return text;
  let cut = text.slice(0, Math.max(0, max - suffix.length));
  const amp = cut.lastIndexOf('&');
  if (amp !== -1 && amp > cut.length - 6 && !cut.slice(amp).includes(';')) cut = cut.slice(0, amp);
  return cut + suffix;
}

export function section(mrkdwn: string): Block {
  return { type: 'section', text: { type: 'mrkdwn', text: truncate(mrkdwn, SLACK_LIMITS.sectionText) } };
}

export function context(...lines: string[]): Block {
  return {
    type: 'context',
    elements: lines.slice(0, SLACK_LIMITS.contextElements).map((text) => ({ type: 'mrkdwn' as const, text: truncate(text, SLACK_LIMITS.sectionText) })),
  };
}

const STATUS_ICON: Record<FindingStatus, string> = {
  confirmed: '✅',
  refuted: '❌',
  inconclusive: '❔',
  error: '❔',
};

export function runbookUrl(base: string, playbook: string, facts: Diagnosis['facts']): string {
  const url = new URL(`runbooks/${encodeURIComponent(playbook)}`, base.endsWith('/') ? base : `${base}/`);
  if (facts.release) url.searchParams.set('release', facts.release);
  if (facts.namespace) url.searchParams.set('namespace', facts.namespace);
  return url.toString();
}

export function permalinkUrl(base: string, triageId: string): string {
  return new URL(`t/${encodeURIComponent(triageId)}`, base.endsWith('/') ? base : `${base}/`).toString();
}

function factsLine(diagnosis: Diagnosis, cluster: string | undefined): string {
  const parts = [`*Confidence:* ${formatPercent(diagnosis.confidence)}`];
  if (diagnosis.playbook) parts.push(`playbook ${codeSpan(diagnosis.playbook)}`);
  if (diagnosis.facts.release) parts.push(`release ${codeSpan(diagnosis.facts.release)}`);
  if (diagnosis.facts.namespace) parts.push(`namespace ${codeSpan(diagnosis.facts.namespace)}`);
  if (cluster) parts.push(`cluster ${codeSpan(cluster)}`);
  return parts.join(' · ');
}

function evidenceFromText(diagnosis: Diagnosis, max = 3): string | null {
  const primary = diagnosis.matches.find((m) => m.playbook === diagnosis.playbook) ?? diagnosis.matches[0];
  if (!primary || primary.evidence.length === 0) return null;
  const lines = primary.evidence.slice(0, max).map((e) => `• line ${e.line}: ${codeSpan(truncate(e.text, 300))}`);
  const more = primary.evidence.length > max ? `\n_…and ${primary.evidence.length - max} more on the details page_` : '';
  return `*From your output*\n${lines.join('\n')}${more}`;
}

/** A command's effect in a line of text: its risk when it changes the cluster, else read-only. */
export function commandEffect(cmd: Pick<RenderedCommand, 'effect' | 'risk'>): string {
  return cmd.effect === 'changes-cluster' ? `⚠️ _risk: ${escapeSlack(truncate(cmd.risk ?? 'not stated', 200))}_` : '_read-only_';
}

function findingLine(finding: Finding, maxEvidence: number): string {
  const head = `${STATUS_ICON[finding.status]} ${escapeSlack(truncate(finding.summary, 300))}`;
  const extra = finding.status === 'error' ? ' _(check failed)_' : '';
  const evidence = finding.evidence.slice(0, maxEvidence).map((e) => `    ${codeSpan(truncate(e, 200))}`);
  const permission = finding.missingPermission ? [`    _needs RBAC:_ ${codeSpan(finding.missingPermission)}`] : [];
  const commands = (finding.commands ?? []).slice(0, 2).map((c) => `    ${commandEffect(c)} ${codeSpan(truncate(c.command, 300))}`);
  return [head + extra, ...evidence, ...permission, ...commands].join('\n');
}

function checksBlocks(checks: ChecksState): Block[] {
  switch (checks.state) {
    case 'none':
      return [];
    case 'pending':
      return [context(`⏳ Running read-only checks on cluster ${codeSpan(checks.cluster)}… this message updates when they finish.`)];
    case 'not-allowed':
      return [context(`ℹ️ Text diagnosis only: ${escapeSlack(checks.reason)}`)];
    case 'unavailable':
      return [context(`⚠️ Cluster checks unavailable: ${escapeSlack(checks.reason)}. The text diagnosis above still stands.`)];
    case 'done': {
      const { result } = checks;
      if (result.outcome !== 'ok') {
        const why = result.message ?? `checks ended with "${result.outcome}"`;
        return [context(`⚠️ Cluster checks on ${codeSpan(result.cluster)} did not complete: ${escapeSlack(why)}. The text diagnosis above still stands.`)];
      }
      const blocks: Block[] = [];
      const verdict = result.verdict
        ? `*Verdict:* ${escapeSlack(result.verdict.status)} (${formatPercent(result.verdict.confidence)}) — ${escapeSlack(truncate(summaryAfterBadge(result.verdict.status, result.verdict.summary), 500))}`
        : '*Verdict:* none';
      const guess = result.verdict?.firstGuess && result.verdict.status === 'confirmed' && result.verdict.playbook
        ? `\n_The first reply was a guess (${result.verdict.firstGuess.playbook === null ? 'no confident diagnosis from the text' : `the text pointed to ${codeSpan(result.verdict.firstGuess.playbook)}`}): the cluster confirmed ${codeSpan(result.verdict.playbook)}._`
        : '';
      blocks.push(section(`*Checked on cluster ${codeSpan(result.cluster)}*\n${verdict}${guess}`));
      if (result.findings.length > 0) {
        const lines = result.findings.slice(0, 12).map((f) => findingLine(f, 2));
        const more = result.findings.length > 12 ? `\n_…${result.findings.length - 12} more findings on the details page_` : '';
        blocks.push(section(`*Evidence*\n${lines.join('\n')}${more}`));
      }
      return blocks;
    }
  }
}

function commandText(cmd: RenderedCommand): string {
  const label = cmd.effect === 'changes-cluster'
    ? `⚠️ *Changes the cluster* — risk: ${escapeSlack(cmd.risk ?? 'not stated')}`
    : '_read-only_';
  const description = cmd.description ? `${escapeSlack(cmd.description)} · ` : '';
  const missing = cmd.missing && cmd.missing.length > 0 ? `\n_fill in: ${cmd.missing.map((m) => codeSpan(`<${m}>`)).join(', ')}_` : '';
  return `${description}${label}\n${codeBlock(truncate(cmd.command, 2500))}${missing}`;
}

function buttons(diagnosis: Diagnosis, ctx: SlackRenderContext): Block | null {
  const elements: Button[] = [];
  const base = ctx.publicBaseUrl;
  if (base && diagnosis.playbook) {
    const url = runbookUrl(base, diagnosis.playbook, diagnosis.facts);
    if (url.length <= SLACK_LIMITS.buttonUrl) elements.push({ type: 'button', action_id: ACTION_IDS.runbook, text: { type: 'plain_text', text: 'Runbook' }, url });
  }
  if (base && ctx.triageId) {
    elements.push({ type: 'button', action_id: ACTION_IDS.details, text: { type: 'plain_text', text: 'Details' }, url: permalinkUrl(base, ctx.triageId) });
  }
  if (ctx.triageId) {
    const checksRan = ctx.checks.state === 'done' || ctx.checks.state === 'unavailable';
    if (checksRan && diagnosis.playbook && diagnosis.checks.length > 0) {
      elements.push({ type: 'button', action_id: ACTION_IDS.rerun, text: { type: 'plain_text', text: 'Re-run checks' }, value: ctx.triageId });
    }
    // A diagnosis that names the release can ask its cluster what `helm rollback` would do (src/slack/rollback-flow.ts).
    if (diagnosis.facts.release) {
      elements.push({ type: 'button', action_id: ACTION_IDS.rollbackPlan, text: { type: 'plain_text', text: 'Plan a rollback' }, value: ctx.triageId });
    }
    elements.push({ type: 'button', action_id: ACTION_IDS.helpful, text: { type: 'plain_text', text: '👍 Helpful' }, value: ctx.triageId });
    elements.push({ type: 'button', action_id: ACTION_IDS.wrong, text: { type: 'plain_text', text: '👎 Wrong diagnosis' }, value: ctx.triageId });
  }
  return elements.length > 0 ? { type: 'actions', block_id: 'ht_actions', elements } : null;
}

/** The whole reply: text diagnosis, then the checks' state or evidence, then commands and buttons. */
export function renderSlackMessage(diagnosis: Diagnosis, ctx: SlackRenderContext): SlackMessage {
  const blocks: Block[] = [];
  const cluster = ctx.checks.state === 'pending' ? ctx.checks.cluster : ctx.checks.state === 'done' ? ctx.checks.result.cluster : undefined;
  const abstained = diagnosis.playbook === null;
  const title = abstained ? 'No confident diagnosis' : (diagnosis.title ?? diagnosis.playbook ?? 'Diagnosis');
  // Header text is plain_text: Slack shows it literally, so no escaping, only the length limit.
  blocks.push({ type: 'header', text: { type: 'plain_text', text: truncate(`🔎 ${title}`, SLACK_LIMITS.headerText) } });

  if (abstained) {
    const best = diagnosis.matches[0];
    const guess = best ? ` The closest was ${codeSpan(best.playbook)} at ${formatPercent(best.score)}.` : '';
    const known = ctx.playbookIds && ctx.playbookIds.length > 0
      ? `\n*Known failure classes:* ${ctx.playbookIds.map((id) => codeSpan(id)).join(', ')}`
      : '';
    const checking = ctx.checks.state === 'pending' ? ' I am checking the closest candidates on the cluster: this message updates if it confirms one.' : '';
    blocks.push(section(`I could not match this output to a known failure with enough confidence, so I won't guess.${guess}${checking}${known}`));
  } else {
    blocks.push(section(factsLine(diagnosis, cluster)));
    if (diagnosis.rootCause) blocks.push(section(`*Root cause*\n${escapeSlack(diagnosis.rootCause)}`));
    const evidence = evidenceFromText(diagnosis);
    if (evidence) blocks.push(section(evidence));
  }

  blocks.push(...checksBlocks(ctx.checks));

  if (!abstained && diagnosis.commands.length > 0) {
    blocks.push({ type: 'divider' });
    blocks.push(section('*Suggested commands*'));
    for (const cmd of diagnosis.commands.slice(0, 10)) blocks.push(section(commandText(cmd)));
    if (diagnosis.commands.length > 10) blocks.push(context(`…${diagnosis.commands.length - 10} more commands on the details page`));
  }

  const notes = [...diagnosis.notes, ...(ctx.notes ?? [])].slice(0, 5).map((n) => escapeSlack(truncate(n, 300)));
  if (notes.length > 0) blocks.push(context(...notes));

  const actions = buttons(diagnosis, ctx);
  const limited = blocks.slice(0, SLACK_LIMITS.blocks - (actions ? 1 : 0));
  if (actions) limited.push(actions);
  return { text: fallbackText(diagnosis, title, ctx.checks), blocks: limited };
}

function fallbackText(diagnosis: Diagnosis, title: string, checks: ChecksState): string {
  const head = diagnosis.playbook === null
    ? 'helm-triage: no confident diagnosis'
    : `helm-triage: ${title} (${formatPercent(diagnosis.confidence)})`;
  const tail = checks.state === 'done' && checks.result.verdict ? ` — ${checks.result.verdict.status}` : '';
  return truncate(escapeSlack(head + tail), SLACK_LIMITS.fallbackText);
}

/** Reply to a paste that repeats a failure triaged a moment ago: link instead of repeating. */
export function renderRepeatNotice(input: { title: string | null; permalink?: string; earlierMessageLink?: string }): SlackMessage {
  const what = input.title ? `*${escapeSlack(input.title)}*` : 'this failure';
  const where = input.earlierMessageLink ?? input.permalink;
  const link = where ? ` See <${where}|the earlier triage>.` : '';
  const text = `Same failure as one triaged a moment ago: ${what}.${link}`;
  return { text: truncate(text.replace(/\*/g, ''), SLACK_LIMITS.fallbackText), blocks: [section(text)] };
}

export function renderHelp(command = '/helm-triage'): SlackMessage {
  const lines = [
    `*${command}* — diagnose a failed Helm command`,
    `• \`${command} <paste the failed helm output>\` — diagnose it and check the cluster (read-only)`,
    `• \`${command}\` with no text — opens a form for long output`,
    `• \`--private\` — answer only to you`,
    `• \`--cluster NAME\`, \`--namespace NS\`, \`--release NAME\` — override what I read from the text`,
    `• \`${command} rollback-plan RELEASE [REVISION] -n NAMESPACE [--force] [--cluster NAME]\` — what \`helm rollback\` would do, checked read-only on the cluster (never run)`,
    `• \`${command} help\` — this message`,
    'Or just paste a failed Helm output in a channel I am in: I answer in a thread when I am confident.',
  ];
  return { text: `${command} usage`, blocks: [section(lines.join('\n'))] };
}

export function renderNotice(text: string): SlackMessage {
  return { text: escapeSlack(text), blocks: [section(escapeSlack(text))] };
}
