// The frame every server-rendered page shares: one stylesheet and one script from our own origin
// (so a strict CSP holds: no inline code), the header, and the small pieces pages have in common.
// Pure: strings in, an HTML string out; every piece of text goes through escapeHtml.
import { escapeHtml } from '../markdown.js';

export interface PageAssets {
  /** Same-origin URLs of the stylesheet and script. */
  css: string;
  js: string;
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

export function formatTime(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/** A moment as a `<time>` element: machine-readable ISO in the attribute, minutes in UTC as text. */
export function time(ms: number): string {
  return `<time datetime="${new Date(ms).toISOString()}">${formatTime(ms)}</time>`;
}
