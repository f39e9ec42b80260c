// Text of a shared file or snippet, for diagnosing pasted logs: files.info, then a size-capped download
// from url_private with the bot token. The token is only ever sent to Slack's own file hosts.
import type { webApi } from '@slack/bolt';
import type { FetchLike } from './response-url.js';

export interface SnippetOptions {
  client: webApi.WebClient;
  token: string;
  maxBytes: number;
  allowedHosts: readonly string[];
  fetchFn?: FetchLike;
}

const TEXT_FILETYPES = new Set(['text', 'shell', 'bash', 'sh', 'log', 'yaml', 'yml', 'json', 'go', 'markdown', 'diff', 'csv', 'post']);

export type SnippetResult = { text: string } | { skipped: 'too-large' | 'not-text' | 'no-url' | 'host-not-allowed' | 'not-found' };

export async function readSnippet(fileId: string, opts: SnippetOptions): Promise<SnippetResult> {
  const info = await opts.client.files.info({ file: fileId });
  const file = info.file;
  if (!file) return { skipped: 'not-found' };
  if (typeof file.size === 'number' && file.size > opts.maxBytes) return { skipped: 'too-large' };
  const textual = (file.mimetype ?? '').startsWith('text/') || TEXT_FILETYPES.has(file.filetype ?? '');
  if (!textual) return { skipped: 'not-text' };
  const url = file.url_private_download ?? file.url_private;
  if (!url) return { skipped: 'no-url' };
  let host: string;
  try {
    host = new URL(url).host;
  } catch {
    return { skipped: 'no-url' };
  }
  if (!opts.allowedHosts.includes(host)) return { skipped: 'host-not-allowed' };
  const text = await download(url, opts);
  return text === null ? { skipped: 'too-large' } : { text };
}

async function download(url: string, opts: SnippetOptions): Promise<string | null> {
  const res = await (opts.fetchFn ?? fetch)(url, {
    headers: { authorization: `Bearer ${opts.token}` },
    redirect: 'error',
    signal: AbortSignal.timeout(10_000),
  });
  if (!res.ok || !res.body) throw new Error(`file download answered HTTP ${res.status}`);
  const chunks: Uint8Array[] = [];
  let total = 0;
  const reader = res.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > opts.maxBytes) {
      await reader.cancel();
      return null;
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}
