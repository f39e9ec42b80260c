// Every route answers JSON when the client asks for it (Accept: application/json) and HTML otherwise.

export function wantsJson(accept: string | undefined): boolean {
  // Fast path for browsers and curl: no JSON type named at all.
  if (!accept || !accept.includes('json')) return false;
  const types = accept
    .split(',')
    .map((part) => {
      const [type = '', ...params] = part.trim().toLowerCase().split(';');
      const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
      return { type: type.trim(), q: q ? Number(q.slice(2)) : 1 };
    })
    .filter((t) => !Number.isNaN(t.q) && t.q > 0);
  const json = types.find((t) => t.type === 'application/json' || t.type.endsWith('+json'));
  if (!json) return false;
  const html = types.find((t) => t.type === 'text/html');
  return !html || json.q >= html.q;
}
