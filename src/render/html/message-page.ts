// A page that only says something (not found, expired, ready): title, message, an optional way forward.
import { escapeHtml as e } from '../markdown.js';
import { layout, type PageAssets } from './layout.js';

export interface MessagePageView {
  status: number;
  title: string;
  message: string;
  /** Optional way forward, rendered as a link. */
  link?: { href: string; label: string };
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
