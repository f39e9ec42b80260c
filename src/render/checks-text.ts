// Pure: the cluster verdict and the findings checklist as terminal text (appended to `diagnose --check`,
// in process or through the queue). Plain data from src/model only: no check, queue or CLI types.
import type { CheckResult, Finding, QueueSource, TriageSource, Verdict } from '../model/checks.js';
import { formatPercent } from './shared.js';

export const EVIDENCE_LINES_SHOWN = 4;

const MARK: Record<Finding['status'], string> = { confirmed: '[✓]', refuted: '[✗]', inconclusive: '[?]', error: '[!]' };

export function renderChecksText(verdict: Verdict, findings: readonly Finding[], source: TriageSource | QueueSource, options: { color?: boolean } = {}): string {
  const color = options.color === true;
  const paint = (code: number, s: string): string => (color ? `\x1b[${code}m${s}\x1b[0m` : s);
  const bold = (s: string): string => paint(1, s);
  const dim = (s: string): string => paint(2, s);
  // Green for confirmed, red for refuted, yellow for anything unsettled: verdict and findings alike.
  const tone = (status: string): number => (status === 'confirmed' ? 32 : status === 'refuted' ? 31 : 33);
  const out: string[] = [''];
  if (source.kind === 'release-record') out.push(dim(`(${source.note})`));
  if (source.kind === 'queue') {
    out.push(dim(`(checks for cluster ${source.cluster} through the queue${source.agent ? `, answered by agent ${source.agent}` : ''})`));
    // A non-ok outcome (no agent, timeout, error, queue unreachable) must not read like an answer.
    if (source.outcome !== 'ok') out.push(paint(33, source.message ?? `cluster checks: ${source.outcome}`));
  }
  const label = verdict.playbook ? ` [${verdict.playbook}]` : '';
  out.push(`${bold('Cluster verdict:')} ${paint(tone(verdict.status), verdict.status.toUpperCase())} ${dim(formatPercent(verdict.confidence))}${label}`);
  out.push(`  ${verdict.summary}`);
  if (findings.length > 0) {
    out.push('', bold('Findings'));
    for (const f of findings) {
      out.push(`  ${paint(tone(f.status), MARK[f.status])} ${bold(f.check)}: ${f.summary}`);
      if (f.missingPermission) out.push(`      ${dim(`grant: ${f.missingPermission}`)}`);
      for (const e of f.evidence.slice(0, EVIDENCE_LINES_SHOWN)) out.push(`      ${dim(e)}`);
      if (f.evidence.length > EVIDENCE_LINES_SHOWN) out.push(`      ${dim(`… ${f.evidence.length - EVIDENCE_LINES_SHOWN} more (see --json)`)}`);
      for (const c of f.commands ?? []) {
        const note = c.effect === 'changes-cluster' ? paint(33, `changes the cluster — risk: ${c.risk ?? 'not stated'}`) : dim('read-only');
        out.push(`      ${c.description ? `${c.description} ` : ''}(${note})`, `        $ ${c.command}`);
      }
    }
  }
  return `${out.join('\n')}\n`;
}

/** Who answered a queued request, or why nobody did: the result without its findings and verdict. */
export function queueSource(result: Pick<CheckResult, 'cluster' | 'outcome' | 'agent' | 'message'>): QueueSource {
  return {
    kind: 'queue',
    cluster: result.cluster,
    outcome: result.outcome,
    ...(result.agent !== undefined ? { agent: result.agent } : {}),
    ...(result.message !== undefined ? { message: result.message } : {}),
  };
}

/** A queued request's result as text, judged by `verdict` (the agent's, or the text's when nobody answered). */
export function renderQueueResultText(verdict: Verdict, result: CheckResult, options: { color?: boolean } = {}): string {
  return renderChecksText(verdict, result.findings, queueSource(result), options);
}
