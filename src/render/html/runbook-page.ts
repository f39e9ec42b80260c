// GET /runbooks/:id: one playbook as a runbook, its commands filled from the query. Pure: view in, HTML out.
import type { RenderedCommand } from '../../triage/types.js';
import { escapeHtml as e, isSafeHref, renderInline, renderMarkdown } from '../markdown.js';
import { renderCommands } from './commands.js';
import { layout, type PageAssets } from './layout.js';

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
