// GET /t/:id: one stored triage — verdict, findings, commands, facts, matches, the redacted input.
// The view is the store's record (src/model/triage-record.ts) plus what the web adds to it, so the
// two cannot drift. Pure: view in, HTML out.
import type { Finding } from '../../model/checks.js';
import type { TriageRecord } from '../../model/triage-record.js';
import type { Diagnosis, Facts } from '../../triage/types.js';
import { escapeHtml as e, renderInline } from '../markdown.js';
import { formatPercent, OUTCOME_WORDS, shownMatches, summaryAfterBadge } from '../shared.js';
import { renderCommands } from './commands.js';
import { layout, time, type PageAssets } from './layout.js';

export type TriagePageView = Omit<TriageRecord, 'slack'> & {
  checkDescriptions: Record<string, string>;
  /** Link to the playbook's runbook, filled with the triage's facts. */
  runbookHref: string | null;
};

/** Badge wording where the status code alone means little to a reader. */
const STATUS_LABEL: Record<string, string> = {
  'text-only': 'not checked on a cluster',
};

const STATUS_CLASS: Record<string, string> = {
  confirmed: 'warn',
  refuted: 'ok',
  inconclusive: 'muted',
  error: 'bad',
  'text-only': 'muted',
};

export function renderTriagePage(view: TriagePageView, assets: PageAssets): string {
  const d = view.diagnosis;
  const title = d.title ?? 'No playbook matched';
  const verdictStatus = view.verdict?.status ?? 'text-only';
  if (d.playbook === null) return renderAbstainedPage(view, assets);
  const verdict = `<section class="verdict"><p><span class="badge ${STATUS_CLASS[verdictStatus] ?? 'muted'}">${e(STATUS_LABEL[verdictStatus] ?? verdictStatus)}</span>
<span class="conf">confidence ${formatPercent(view.verdict?.confidence ?? d.confidence)}</span></p>
${view.verdict?.summary ? `<p>${e(summaryAfterBadge(verdictStatus, view.verdict.summary))}</p>` : ''}
${(view.verdict?.rootCause ?? d.rootCause) ? `<h2>Root cause</h2><p>${renderInline(view.verdict?.rootCause ?? d.rootCause ?? '')}</p>` : ''}
${view.runbookHref ? `<p><a href="${e(view.runbookHref)}">Open the runbook</a></p>` : ''}</section>`;
  const checkState = view.checks
    ? `<p class="${view.checks.outcome === 'ok' ? 'info' : 'notice'}">Cluster checks${view.cluster ? ` on <code>${e(view.cluster)}</code>` : ''} ${OUTCOME_WORDS[view.checks.outcome]}${view.checks.message ? ` — ${e(view.checks.message)}` : ''} (${time(view.checks.completedAt)}).</p>`
    : '';
  const findings = view.findings?.length
    ? `<section><h2>Findings</h2><ul class="findings">${view.findings.map((f) => renderFinding(f, view.checkDescriptions)).join('')}</ul>${checkState}</section>`
    : checkState
      ? `<section><h2>Findings</h2>${checkState}</section>`
      : '';
  const shown = shownMatches(d);
  const matches = shown.length
    ? `<section><h2>Matches</h2><ol class="matches">${shown
        .map(
          (m) => `<li><strong>${e(m.title)}</strong> <code>${e(m.playbook)}</code> <span class="conf">score ${m.score.toFixed(2)}</span>${m.noise ? ' <span class="badge muted">noise</span>' : ''}
${m.evidence.length ? `<ul class="evidence">${m.evidence.map((ev) => `<li><span class="line">line ${ev.line}</span> <code>${e(ev.text)}</code></li>`).join('')}</ul>` : ''}</li>`,
        )
        .join('')}</ol></section>`
    : '';
  const notes = d.notes.length ? `<section><h2>Notes</h2><ul>${d.notes.map((n) => `<li>${e(n)}</li>`).join('')}</ul></section>` : '';
  return layout(
    title,
    `<p class="crumbs">Triage <code>${e(view.id)}</code></p>
<h1>${e(title)}</h1>
${verdict}
${findings}
<section><h2>Suggested commands</h2>${renderCommands(d.commands, 'cmd')}</section>
${renderFacts(d.facts)}
${matches}
${notes}
${renderInput(d)}
${renderFooter(view)}`,
    assets,
  );
}

/** Shown instead of a verdict when no playbook matched: say so plainly and point somewhere useful. */
function renderAbstainedPage(view: TriagePageView, assets: PageAssets): string {
  const d = view.diagnosis;
  const candidates = shownMatches(d);
  const notes = d.notes.length ? `<ul>${d.notes.map((n) => `<li>${e(n)}</li>`).join('')}</ul>` : '';
  return layout(
    'No diagnosis',
    `<p class="crumbs">Triage <code>${e(view.id)}</code></p>
<h1>No diagnosis</h1>
<section class="verdict"><p><span class="badge muted">no playbook matched</span></p>
<p>helm-triage did not recognise this output as a known Helm failure, and it abstains rather than guess.
Paste the failed helm command together with the lines it printed (the <code>Error:</code> line matters most), or look through the runbooks.</p>
${notes}
<p><a href="/runbooks">Browse the runbooks</a></p></section>
${candidates.length ? `<section><h2>Closest candidates</h2><ol class="matches">${candidates.map((m) => `<li><a href="/runbooks/${encodeURIComponent(m.playbook)}">${e(m.title)}</a> <span class="conf">score ${m.score.toFixed(2)}</span></li>`).join('')}</ol></section>` : ''}
${renderInput(d)}
${renderFooter(view)}`,
    assets,
  );
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

function renderInput(d: Diagnosis): string {
  return `<section><h2>Input (redacted)</h2><p class="meta">${plural(d.input.lines, 'line')}, ${plural(d.input.bytes, 'byte')}, ${plural(d.input.redactions, 'redaction')}${d.input.truncated ? ` — ${e(d.input.truncation ?? 'truncated')}` : ''}</p>
<pre class="log input"><code>${e(d.text)}</code></pre></section>`;
}

function renderFooter(view: TriagePageView): string {
  return `<footer class="meta"><p>Created ${time(view.createdAt)} via ${e(view.source)} · kept until ${time(view.expiresAt)}</p></footer>`;
}


function renderFinding(f: Finding, descriptions: Record<string, string>): string {
  const description = descriptions[f.check];
  return `<li class="finding"><p><span class="badge ${STATUS_CLASS[f.status] ?? 'muted'}">${e(f.status)}</span> <code>${e(f.check)}</code> ${e(f.summary)}</p>
${description ? `<p class="meta">${e(description)}</p>` : ''}${f.missingPermission ? `<p class="notice">Needs RBAC: <code>${e(f.missingPermission)}</code></p>` : ''}${f.evidence.length ? `<pre class="log"><code>${e(f.evidence.join('\n'))}</code></pre>` : ''}${renderFindingCommands(f)}</li>`;
}

/** A check's way out for this case: copy-only commands with their risks, in the same markup as the playbook's. */
function renderFindingCommands(f: Finding): string {
  if (!f.commands?.length) return '';
  return `<p class="meta">Way out for this case:</p>${renderCommands(f.commands, `way-${f.check}`)}`;
}

function renderFacts(facts: Facts): string {
  const rows = Object.entries(facts)
    .filter(([, v]) => v !== undefined && v !== null && !(Array.isArray(v) && v.length === 0))
    .map(([k, v]) => `<tr><th scope="row">${e(k)}</th><td><code>${e(formatFact(v))}</code></td></tr>`);
  return rows.length ? `<section><h2>Facts</h2><table class="facts">${rows.join('')}</table></section>` : '';
}

function formatFact(value: unknown): string {
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return value.map(formatFact).join(', ');
  if (value && typeof value === 'object') {
    const obj = value as Record<string, unknown>;
    if (typeof obj.kind === 'string' && typeof obj.name === 'string') {
      return `${obj.kind}/${obj.name}${typeof obj.namespace === 'string' ? ` (ns ${obj.namespace})` : ''}`;
    }
    return Object.entries(obj).map(([k, v]) => `${k}=${formatFact(v)}`).join(', ');
  }
  return '';
}
