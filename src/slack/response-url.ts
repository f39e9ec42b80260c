// POST to a Slack response_url (valid 30 min, 5 uses). Needs no token, so the reporter can use it too.

export interface ResponseUrlMessage {
  text: string;
  blocks?: unknown[];
  response_type?: 'ephemeral' | 'in_channel';
  replace_original?: boolean;
  delete_original?: boolean;
}

export type FetchLike = typeof fetch;

export async function postToResponseUrl(url: string, message: ResponseUrlMessage, fetchFn: FetchLike = fetch): Promise<void> {
  if (!/^https?:\/\//.test(url)) throw new Error('response_url must be an http(s) URL');
  const res = await fetchFn(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(message),
    redirect: 'error',
    signal: AbortSignal.timeout(10_000),
  });
  if (!res.ok) throw new Error(`response_url answered HTTP ${res.status}`);
  await res.body?.cancel();
}
