// A safe subset of Markdown for runbooks: headings, paragraphs, lists, fenced code, inline code,
// emphasis and links. Everything is escaped first; raw HTML is never passed through, and links keep
// only http(s), mailto and same-site targets. Pure: playbook text in, HTML fragment out.

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c] ?? c);
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** True for URLs a page may link to: absolute http(s)/mailto, or a path on this site. */
export function isSafeHref(url: string): boolean {
  const trimmed = url.trim();
  if (/^\/(?!\/)/.test(trimmed) || trimmed.startsWith('#')) return true;
  try {
    const parsed = new URL(trimmed);
    return parsed.protocol === 'https:' || parsed.protocol === 'http:' || parsed.protocol === 'mailto:';
  } catch {
    return false;
  }
}

export interface MarkdownOptions {
  /** Shift heading levels so a runbook's `#` fits under the page's own headings (1 → h3 with 2). */
  headingOffset?: number;
}

export function renderMarkdown(source: string, options: MarkdownOptions = {}): string {
  const offset = options.headingOffset ?? 2;
  const lines = source.replace(/\r\n?/g, '\n').split('\n');
  const out: string[] = [];
  let paragraph: string[] = [];
  let list: { ordered: boolean; items: string[] } | null = null;

  const flushParagraph = (): void => {
    if (paragraph.length > 0) out.push(`<p>${renderInline(paragraph.join(' '))}</p>`);
    paragraph = [];
  };
  const flushList = (): void => {
    if (list) {
      const tag = list.ordered ? 'ol' : 'ul';
      out.push(`<${tag}>${list.items.map((item) => `<li>${renderInline(item)}</li>`).join('')}</${tag}>`);
    }
    list = null;
  };

  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    const fence = /^\s*(```|~~~)/.exec(line);
    if (fence) {
      flushParagraph();
      flushList();
      const code: string[] = [];
      i++;
      while (i < lines.length && !(lines[i] ?? '').trim().startsWith(fence[1] ?? '```')) code.push(lines[i++] ?? '');
      out.push(`<pre class="code"><code>${escapeHtml(code.join('\n'))}</code></pre>`);
      continue;
    }
    const heading = /^(#{1,6})\s+(.*?)\s*#*\s*$/.exec(line);
    if (heading) {
      flushParagraph();
      flushList();
      const level = Math.min(6, (heading[1]?.length ?? 1) + offset);
      out.push(`<h${level}>${renderInline(heading[2] ?? '')}</h${level}>`);
      continue;
    }
    const bullet = /^\s*[-*+]\s+(.*)$/.exec(line);
    const numbered = /^\s*\d{1,9}[.)]\s+(.*)$/.exec(line);
    const item = bullet ?? numbered;
    if (item) {
      flushParagraph();
      const ordered = numbered !== null && bullet === null;
      if (list && list.ordered !== ordered) flushList();
      list ??= { ordered, items: [] };
      list.items.push(item[1] ?? '');
      continue;
    }
    if (line.trim() === '') {
      flushParagraph();
      flushList();
      continue;
    }
    // An indented line right after a list item continues it.
    if (list && /^\s{2,}\S/.test(line)) {
      const items: string[] = list.items;
      items[items.length - 1] = `${items[items.length - 1] ?? ''} ${line.trim()}`;
      continue;
    }
    flushList();
    paragraph.push(line.trim());
  }
  flushParagraph();
  flushList();
  return out.join('\n');
}

/** Inline spans: code first (its content is literal), then links and emphasis over escaped text. */
export function renderInline(text: string): string {
  const parts = text.split(/(`[^`]+`)/);
  return parts
    .map((part) => {
      if (part.length > 2 && part.startsWith('`') && part.endsWith('`')) return `<code>${escapeHtml(part.slice(1, -1))}</code>`;
      return renderLinks(part);
    })
    .join('');
}

function renderLinks(raw: string): string {
  const out: string[] = [];
  const link = /\[([^\]\n]{1,300})\]\(([^()\s]{1,2000})\)/g;
  let last = 0;
  for (const m of raw.matchAll(link)) {
    out.push(renderEmphasis(escapeHtml(raw.slice(last, m.index))));
    const label = renderEmphasis(escapeHtml(m[1] ?? ''));
    const href = m[2] ?? '';
    out.push(isSafeHref(href) ? `<a href="${escapeHtml(href)}" rel="noopener noreferrer">${label}</a>` : `${label} (${escapeHtml(href)})`);
    last = m.index + m[0].length;
  }
  out.push(renderEmphasis(escapeHtml(raw.slice(last))));
  return out.join('');
}

// Runs on escaped text, so the markers cannot introduce tags; only whole-word emphasis.
function renderEmphasis(escaped: string): string {
  return escaped
    .replace(/\*\*(?=\S)([^*]+?)\*\*/g, '<strong>$1</strong>')
    .replace(/(^|[\s(])\*(?=\S)([^*]+?)\*(?=$|[\s).,;:!?])/g, '$1<em>$2</em>')
    .replace(/(^|[\s(])_(?=\S)([^_]+?)_(?=$|[\s).,;:!?])/g, '$1<em>$2</em>');
}
