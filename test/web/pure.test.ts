import { describe, expect, it } from 'vitest';
import { escapeHtml, isSafeHref, renderInline, renderMarkdown } from '../../src/render/markdown.js';
import { wantsJson } from '../../src/web/negotiate.js';
import { fillCommand, parseRunbookParams, withContext } from '../../src/web/runbook-params.js';
import { normalizeQuery, searchRunbooks, toSearchable } from '../../src/web/runbook-search.js';
import { bearerMatches } from '../../src/web/security.js';
import { keyValueProbe, runProbes } from '../../src/web/readiness.js';
import { MemoryKeyValueStore } from '../../src/store/memory-kv.js';
import { fixturePlaybooks } from './fixtures.js';

describe('markdown subset', () => {
  it('renders headings, lists, code and emphasis with headings shifted under the page', () => {
    const html = renderMarkdown('# Meaning\nSome **bold** and *soft* text.\n\n- one `a<b`\n- two\n\n1. first\n2. second\n\n```\n<tag> & co\n```');
    expect(html).toContain('<h3>Meaning</h3>');
    expect(html).toContain('<p>Some <strong>bold</strong> and <em>soft</em> text.</p>');
    expect(html).toContain('<ul><li>one <code>a&lt;b</code></li><li>two</li></ul>');
    expect(html).toContain('<ol><li>first</li><li>second</li></ol>');
    expect(html).toContain('<pre class="code"><code>&lt;tag&gt; &amp; co</code></pre>');
  });

  it('escapes raw HTML and refuses unsafe link targets', () => {
    expect(renderMarkdown('<img src=x onerror=alert(1)>')).toBe('<p>&lt;img src=x onerror=alert(1)&gt;</p>');
    expect(renderInline('[ok](https://example.com/a?b=1&c=2)')).toBe('<a href="https://example.com/a?b=1&amp;c=2" rel="noopener noreferrer">ok</a>');
    expect(renderInline('[x](javascript:alert(1)')).not.toContain('href');
    expect(renderInline('[x](data:text/html;base64,PHNjcmlwdD4=)')).toBe('x (data:text/html;base64,PHNjcmlwdD4=)');
    expect(renderInline('[x](//evil.example/)')).not.toContain('href');
    expect(renderInline('[a "quote"](https://e.com/"onmouseover=x)')).not.toMatch(/href="[^"]*"[^>]*onmouseover/);
    expect(renderInline('see https://e.com/**x** here')).toBe('see https://e.com/<strong>x</strong> here');
  });

  it('isSafeHref allows web links and same-site paths only', () => {
    expect(['https://a.b/', 'http://a.b', '/runbooks', '#x', 'mailto:a@b.c'].every(isSafeHref)).toBe(true);
    expect(['javascript:alert(1)', ' JavaScript:alert(1)', 'vbscript:x', 'data:text/html,x', '//evil', 'file:///etc/passwd'].some(isSafeHref)).toBe(false);
    expect(escapeHtml(`<>&"'`)).toBe('&lt;&gt;&amp;&quot;&#39;');
  });
});

describe('runbook parameters', () => {
  it('keeps valid names and explains refused ones', () => {
    const parsed = parseRunbookParams({ release: 'shop', namespace: 'Bad_NS', context: 'arn:aws:eks:eu-west-1:1:cluster/prod', extra: 'x' });
    expect(parsed.values).toEqual({ release: 'shop', context: 'arn:aws:eks:eu-west-1:1:cluster/prod' });
    expect(parsed.ignored).toEqual([expect.stringContaining('Ignored namespace')]);
    expect(parseRunbookParams({ release: ['a', 'b'] }).values).toEqual({});
    expect(parseRunbookParams({ context: '$(id)' }).ignored).toHaveLength(1);
  });

  it('adds the context to every kubectl and helm in a pipeline', () => {
    expect(withContext('kubectl get x | helm status y && kubectl get z', 'prod')).toBe(
      'kubectl --context prod get x | helm --kube-context prod status y && kubectl --context prod get z',
    );
    expect(withContext('echo kubectl-ish helmfile', 'prod')).toBe('echo kubectl-ish helmfile');
  });

  it('fills placeholders and keeps unknown ones visible', () => {
    const cmd = fillCommand({ run: 'helm rollback {{release}} {{revision}} -n {{namespace}}', effect: 'changes-cluster', risk: 'r' }, { release: 'shop' });
    expect(cmd).toEqual({ command: 'helm rollback shop <revision> -n <namespace>', effect: 'changes-cluster', risk: 'r', missing: ['revision', 'namespace'] });
  });
});

describe('runbook search', () => {
  const all = fixturePlaybooks().map(toSearchable);
  it('matches every word across title, summary and example errors, case-insensitively', () => {
    expect(searchRunbooks(all, 'IMAGE tag').map((r) => r.id)).toEqual(['stale-values-override']);
    expect(searchRunbooks(all, 'cannot be changed').map((r) => r.id)).toEqual(['widget-port-immutable']);
    expect(searchRunbooks(all, '').length).toBe(2);
    expect(searchRunbooks(all, 'nothing like this')).toEqual([]);
  });
  it('does not search the negative examples', () => {
    expect(searchRunbooks(all, 'context deadline exceeded')).toEqual([]);
  });
  it('bounds the query', () => {
    expect(normalizeQuery('  a \n b ')).toBe('a b');
    expect(normalizeQuery('x'.repeat(5000)).length).toBe(500);
    expect(normalizeQuery(['a'])).toBe('');
  });
});

describe('content negotiation and bearer tokens', () => {
  it('answers JSON only when JSON is preferred', () => {
    expect(wantsJson('application/json')).toBe(true);
    expect(wantsJson('application/problem+json')).toBe(true);
    expect(wantsJson('text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8')).toBe(false);
    expect(wantsJson('text/html;q=0.5, application/json')).toBe(true);
    expect(wantsJson('application/json;q=0.1, text/html')).toBe(false);
    expect(wantsJson(undefined)).toBe(false);
    expect(wantsJson('*/*')).toBe(false);
  });
  it('compares bearer tokens exactly', () => {
    const token = 'correct-horse-battery-staple';
    expect(bearerMatches(`Bearer ${token}`, token)).toBe(true);
    expect(bearerMatches(`bearer ${token}`, token)).toBe(true);
    expect(bearerMatches(token, token)).toBe(false);
    expect(bearerMatches(`Bearer ${token}x`, token)).toBe(false);
    expect(bearerMatches(`Bearer ${token} extra`, token)).toBe(false);
    expect(bearerMatches(undefined, token)).toBe(false);
    expect(bearerMatches('Bearer ', token)).toBe(false);
  });
});

describe('page cache', () => {
  it('renders once per key and stays bounded', async () => {
    const { PageCache } = await import('../../src/web/page-cache.js');
    const cache = new PageCache(2);
    let renders = 0;
    const render = (): string => `page ${++renders} é`;
    expect(cache.getOrRender('a', render).toString('utf8')).toBe('page 1 é');
    expect(cache.getOrRender('a', render).toString('utf8')).toBe('page 1 é');
    cache.getOrRender('b', render);
    cache.getOrRender('c', render);
    expect(cache.size).toBe(2);
    expect(cache.getOrRender('a', render).toString('utf8')).toBe('page 4 é');
  });
});

describe('readiness probes', () => {
  it('a hung or throwing probe is reported under its own name', async () => {
    const kv = Object.assign(new MemoryKeyValueStore(), { ping: () => new Promise<boolean>(() => undefined) });
    const results = await runProbes([keyValueProbe(kv), () => { throw new Error('boom'); }], 50);
    expect(results[0]).toEqual({ name: 'redis', ok: false, detail: 'no answer within 50 ms' });
    expect(results[1]).toMatchObject({ name: 'probe-2', ok: false, detail: 'boom' });
  });
});
