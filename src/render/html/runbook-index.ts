// GET /runbooks: the searchable list of runbooks, one card per playbook. Pure: view in, HTML out.
import { escapeHtml as e } from '../markdown.js';
import { layout, type PageAssets } from './layout.js';

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
