import { describe, expect, it } from 'vitest';
import { helmFuncs, parse, render, TemplateError, TemplateFail, type RenderContext } from './support/gotemplate.js';

// The chart tests trust this interpreter, so its Go/Helm semantics are pinned here.

function run(src: string, dot: unknown = {}): string {
  const parsed = parse(src, 't');
  const ctx: RenderContext = { defines: parsed.defines, funcs: {} };
  ctx.funcs = helmFuncs((name, data) => {
    const body = parsed.defines.get(name);
    if (!body) throw new TemplateError(`no template ${name}`);
    return render(body, data, ctx);
  });
  return render(parsed.root, dot, ctx);
}

describe('Go template interpreter used by the chart tests', () => {
  it('trims whitespace like Go: {{- eats spaces and newlines before, -}} after', () => {
    expect(run('a  \n {{- "x" -}} \n  b')).toBe('axb');
    expect(run('a {{ "x" }} b')).toBe('a x b');
    expect(run('{{ -3 }}')).toBe('-3');
  });

  it('walks fields, prints nil as empty, and fails on a field of nil (as helm does)', () => {
    expect(run('{{ .a.b }}', { a: { b: 'v' } })).toBe('v');
    expect(run('[{{ .a.missing }}]', { a: {} })).toBe('[]');
    expect(() => run('{{ .a.missing.deeper }}', { a: {} })).toThrow(/nil pointer/);
  });

  it('uses Go truth in if/with/range, with else if chains and range over sorted map keys', () => {
    const tpl = '{{ if .n }}n{{ else if .s }}s{{ else }}none{{ end }}';
    expect(run(tpl, { n: 0, s: '' })).toBe('none');
    expect(run(tpl, { n: 0, s: 'x' })).toBe('s');
    expect(run('{{ with .m }}{{ .k }}{{ else }}empty{{ end }}', { m: {} })).toBe('empty');
    expect(run('{{ range $k, $v := .m }}{{ $k }}={{ $v }};{{ end }}', { m: { b: 2, a: 1 } })).toBe('a=1;b=2;');
    expect(run('{{ range .l }}{{ . }}{{ else }}none{{ end }}', { l: [] })).toBe('none');
  });

  it('keeps $ as the root inside range and with, and assigns outer variables with =', () => {
    expect(run('{{ range .l }}{{ $.name }}{{ . }} {{ end }}', { name: 'n', l: [1, 2] })).toBe('n1 n2 ');
    expect(run('{{ $x := list }}{{ range .l }}{{ $x = append $x . }}{{ end }}{{ join "," $x }}', { l: ['a', 'b'] })).toBe('a,b');
  });

  it('pipes the previous value as the last argument, and reads fields of a parenthesised pipeline', () => {
    expect(run('{{ "abc" | trunc 2 | quote }}')).toBe('"ab"');
    expect(run('{{ (dict "a" (dict "b" "deep")).a.b }}')).toBe('deep');
    expect(run('{{ ("rules: [1, 2]" | fromYaml).rules | toJson }}')).toBe('[1,2]');
  });

  it('renders defines through include with nindent, and stops at fail with its message', () => {
    expect(run('{{ define "x" }}k: {{ . }}{{ end }}top:{{ include "x" "v" | nindent 2 }}')).toBe('top:\n  k: v');
    expect(() => run('{{ fail "set agent.clusterName" }}')).toThrow(TemplateFail);
    expect(() => run('{{ nosuchfunc 1 }}')).toThrow(/not defined/);
  });

  it('compares like Go: eq across types is an error, and/or return an operand', () => {
    expect(run('{{ eq .a "x" }}', { a: 'x' })).toBe('true');
    expect(() => run('{{ eq .a "1" }}', { a: 1 })).toThrow(/incompatible/);
    expect(run('{{ or .a "fallback" }}', { a: '' })).toBe('fallback');
    expect(run('{{ and .a .b }}', { a: 'x', b: 'y' })).toBe('y');
  });
});
