// One GET through undici (client-node's dispatchers, and proxy-url): loaded only by the paths that need it,
// since importing undici costs about 0.1 s of start-up.
import { request, type Dispatcher } from 'undici';
import { decodeBody, withGzip, type RawResponse } from './transport.js';

/** undici's request API: half the per-request cost of a fetch wrapper over the same undici. */
export async function sendGet(url: string, headers: Record<string, string>, dispatcher: Dispatcher | undefined, signal: AbortSignal): Promise<RawResponse> {
  const response = await request(url, { method: 'GET', headers: withGzip(headers), signal, ...(dispatcher ? { dispatcher } : {}) });
  const encoding = response.headers['content-encoding'];
  const body = Buffer.from(await response.body.arrayBuffer());
  return decodeBody(response.statusCode, encoding, body, signal);
}
