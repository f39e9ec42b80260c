// Server-rendered pages for runbooks and triage permalinks. Pure: view data in, an HTML string out.
// Every piece of user or playbook text goes through escapeHtml (or the safe Markdown subset); the
// pages load one stylesheet and one script from our own origin, so a strict CSP holds (no inline code).
import { formatPercent, shownMatches, summaryAfterBadge } from './shared.js';
import type { CheckOutcome, Finding, Verdict } from '../model/checks.js';
import type { Diagnosis, Facts, RenderedCommand } from '../triage/types.js';
import { escapeHtml, isSafeHref, renderInline, renderMarkdown } from './markdown.js';

export { escapeHtml } from './markdown.js';

export interface PageAssets {
  /** Same-origin URLs of the stylesheet and script. */
  css: string;
  js: string;
}

export interface RunbookListItem {
  id: string;
  title: string;
  summary: string;
  /** Lowercased text the in-page filter searches (title, summary, example errors). */
  searchText: string;
}

export interface RunbookIndexView {
  items: RunbookListItem[];
  total: number;
  query: string;
}

export interface CheckView {
  id: string;
  /** What the check looks at; absent when the checks registry does not know it. */
  description?: string;
}

export interface RunbookPageView {
  id: string;
  title: string;
  summary: string;
  rootCause: string;
  examples: string[];
  checks: CheckView[];
  commands: RenderedCommand[];
  runbookMarkdown: string;
  references: string[];
  params: { release?: string; namespace?: string; context?: string };
  ignored: string[];
}

export interface TriagePageView {
  id: string;
  createdAt: number;
  expiresAt: number;
  source: string;
  diagnosis: Diagnosis;
  cluster?: string;
  findings?: Finding[];
  verdict?: Verdict | null;
  checks?: { outcome: CheckOutcome; message?: string; completedAt: number };
  checkDescriptions: Record<string, string>;
  /** Link to the playbook's runbook, filled with the triage's facts. */
  runbookHref: string | null;
}

export interface MessagePageView {
  status: number;
  title: string;
  message: string;
  /** Optional way forward, rendered as a link. */
  link?: { href: string; label: string };
}

const e = escapeHtml;

export function layout(title: string, body: string, assets: PageAssets): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<meta name="referrer" content="no-referrer">
<title>${e(title)} · helm-triage</title>
<link rel="stylesheet" href="${e(assets.css)}">
</head>
<body>
<header class="top"><a class="brand" href="/runbooks">helm-triage</a><nav><a href="/runbooks">Runbooks</a></nav></header>
<main>
${body}
</main>
<script src="${e(assets.js)}" defer></script>
</body>
</html>
`;
}

export function renderRunbookIndex(view: RunbookIndexView, assets: PageAssets): string {
  const items = view.items
    .map(
      (item) => `<li data-search="${e(item.searchText)}"><a href="/runbooks/${encodeURIComponent(item.id)}"><strong>${e(item.title)}</strong></a>
<p>${e(item.summary)}</p><code class="id">${e(item.id)}</code></li>`,
    )
    .join('\n');
  const count = view.query
    ? `${view.items.length} of ${view.total} runbooks match “${e(view.query)}”`
    : `${view.total} runbooks`;
  const empty = view.query && view.items.length === 0
    ? `<p class="empty">No runbook matches. Try a shorter phrase from the error, such as the field name or the word after “Error:”. <a href="/runbooks">Show all runbooks</a>.</p>`
    : '';
  return layout(
    'Runbooks',
    `<h1>Runbooks</h1>
<p class="lede">One page per failure class helm-triage recognises: what it means, what the bot checks in the cluster, and what to run.</p>
<form class="search" role="search" method="get" action="/runbooks">
<label for="q">Search by title or paste part of the error</label>
<div class="search-row"><input id="q" type="search" name="q" value="${e(view.query)}" maxlength="500" autocomplete="off" spellcheck="false" placeholder="e.g. field is immutable" data-filter="runbooks"><button type="submit">Search</button></div>
</form>
<p class="count" id="count" aria-live="polite" data-total="${view.total}">${count}</p>
<ul class="cards" id="runbooks">
${items}
</ul>
<p class="empty" id="no-match" hidden>No runbook matches here. Press Search to match the error text against every playbook’s patterns.</p>
${empty}`,
    assets,
  );
}

export function renderRunbookPage(view: RunbookPageView, assets: PageAssets): string {
  const filled = [
    view.params.release ? `release <code>${e(view.params.release)}</code>` : '',
    view.params.namespace ? `namespace <code>${e(view.params.namespace)}</code>` : '',
    view.params.context ? `context <code>${e(view.params.context)}</code>` : '',
  ].filter(Boolean);
  const ignored = view.ignored.map((line) => `<p class="notice">${e(line)}</p>`).join('');
  const examples = view.examples.length
    ? `<section><h2>Symptoms</h2><p>${e(view.summary)}</p><p>Errors like these:</p>${view.examples
        .map((text) => `<pre class="log"><code>${e(text)}</code></pre>`)
        .join('\n')}</section>`
    : `<section><h2>Symptoms</h2><p>${e(view.summary)}</p></section>`;
  const checks = view.checks.length
    ? `<section><h2>What helm-triage checks</h2><p>Read-only checks the agent runs in your cluster when this playbook matches:</p><dl class="checks">${view.checks
        .map((c) => `<dt><code>${e(c.id)}</code></dt><dd>${c.description ? e(c.description) : 'No description available.'}</dd>`)
        .join('')}</dl></section>`
    : '';
  const references = view.references.length
    ? `<section><h2>References</h2><ul class="refs">${view.references.map(renderReference).join('')}</ul></section>`
    : '';
  const fillForm = `<form class="fill" method="get" action="/runbooks/${encodeURIComponent(view.id)}">
<p>Fill the commands with your release:</p>
<div class="fill-row">
<label>Release <input name="release" value="${e(view.params.release ?? '')}" maxlength="53" autocomplete="off" spellcheck="false"></label>
<label>Namespace <input name="namespace" value="${e(view.params.namespace ?? '')}" maxlength="63" autocomplete="off" spellcheck="false"></label>
<label>Context <input name="context" value="${e(view.params.context ?? '')}" maxlength="253" autocomplete="off" spellcheck="false"></label>
<button type="submit">Fill</button></div></form>`;
  return layout(
    view.title,
    `<p class="crumbs"><a href="/runbooks">Runbooks</a> / <code>${e(view.id)}</code></p>
<h1>${e(view.title)}</h1>
${ignored}
${examples}
<section><h2>Root cause</h2><p>${renderInline(view.rootCause)}</p></section>
${checks}
<section><h2>Suggested commands</h2>
${filled.length ? `<p class="filled">Filled for ${filled.join(', ')}.</p>` : ''}
${fillForm}
${renderCommands(view.commands, 'cmd')}
</section>
<section class="runbook"><h2>Runbook</h2>
${renderMarkdown(view.runbookMarkdown, { headingOffset: 2 })}
</section>
${references}`,
    assets,
  );
}

function renderReference(url: string): string {
  // A reference that is not a web link is shown as text, never as a clickable href.
  return isSafeHref(url) && /^https?:/i.test(url.trim())
    ? `<li><a href="${e(url.trim())}" rel="noopener noreferrer">${e(url.trim())}</a></li>`
    : `<li><span class="unsafe">${e(url)}</span></li>`;
}

export function renderCommands(commands: readonly RenderedCommand[], idPrefix: string): string {
  if (commands.length === 0) return '<p>No commands for this case.</p>';
  return `<ol class="commands">${commands
    .map((cmd, i) => {
      const id = `${idPrefix}-${i + 1}`;
      const effect = cmd.effect === 'read-only'
        ? '<span class="badge ok">read-only</span>'
        : '<span class="badge warn">changes the cluster</span>';
      const toFill = toReplace(cmd);
      const missing = toFill.length
        ? `<p class="missing">Replace ${toFill.map((m) => `<code>&lt;${e(m)}&gt;</code>`).join(', ')} before running.</p>`
        : '';
      return `<li class="cmd"><div class="cmd-head">${effect}${cmd.description ? `<span class="desc">${e(cmd.description)}</span>` : ''}<button type="button" class="copy" data-copy="${id}" hidden>Copy</button></div>
<pre class="command"><code id="${id}">${e(cmd.command)}</code></pre>${cmd.risk ? `<p class="risk"><strong>Risk:</strong> ${e(cmd.risk)}</p>` : ''}${missing}</li>`;
    })
    .join('\n')}</ol>`;
}

const ANGLE_PLACEHOLDER = /<([A-Za-z][A-Za-z0-9._-]{0,63})>/g;

/** Every `<name>` the reader must replace: facts no paste filled, and the ones playbooks leave to the reader (`<pod>`). */
export function toReplace(cmd: Pick<RenderedCommand, 'command' | 'missing'>): string[] {
  const names = [...(cmd.missing ?? [])];
  for (const m of cmd.command.matchAll(ANGLE_PLACEHOLDER)) if (m[1] && !names.includes(m[1])) names.push(m[1]);
  return names;
}

export function formatTime(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

function time(ms: number): string {
  return `<time datetime="${new Date(ms).toISOString()}">${formatTime(ms)}</time>`;
}

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
    ? `<p class="${view.checks.outcome === 'ok' ? 'info' : 'notice'}">Cluster checks${view.cluster ? ` on <code>${e(view.cluster)}</code>` : ''} ${OUTCOME_TEXT[view.checks.outcome]}${view.checks.message ? ` — ${e(view.checks.message)}` : ''} (${time(view.checks.completedAt)}).</p>`
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

/** How the checks run ended, as the end of "Cluster checks on X …". */
const OUTCOME_TEXT: Record<CheckOutcome, string> = {
  ok: 'finished',
  timeout: 'ran out of time',
  'no-agent': 'got no answer from an agent',
  unavailable: 'could not be queued',
  error: 'failed',
};

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

export function renderMessagePage(view: MessagePageView, assets: PageAssets): string {
  return layout(
    view.title,
    `<h1>${e(view.title)}</h1>
<p class="lede">${e(view.message)}</p>
${view.link ? `<p><a href="${e(view.link.href)}">${e(view.link.label)}</a></p>` : ''}
<p class="meta">HTTP ${view.status}</p>`,
    assets,
  );
}
