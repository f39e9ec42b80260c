import { describe, expect, it } from 'vitest';
import { keepTail, looksBinary, MAX_INPUT_BYTES, normalize } from '../../src/triage/normalize.js';

describe('normalize', () => {
  const cases: Array<[string, string, string]> = [
    ['strips ANSI colour codes', '\x1b[31mError:\x1b[0m UPGRADE FAILED', 'Error: UPGRADE FAILED'],
    ['turns CRLF and CR into LF', 'a\r\nb\rc', 'a\nb\nc'],
    ['unescapes Slack entities', 'a &lt;b&gt; &amp;&amp; c', 'a <b> && c'],
    ['keeps a Slack link label and its url', 'see <https://helm.sh/docs|the docs>', 'see the docs (https://helm.sh/docs)'],
    ['keeps a bare Slack link', 'see <https://helm.sh/docs>', 'see https://helm.sh/docs'],
    ['unwraps mailto links', 'mail <mailto:ops@example.com|ops@example.com>', 'mail ops@example.com'],
    ['keeps <!channel> as plain text', 'hey <!channel> it broke', 'hey @channel it broke'],
    ['drops code fences', '```\nError: boom\n```', 'Error: boom'],
    ['drops inline fences on a line', '```Error: boom```', 'Error: boom'],
    ['drops quote markers', '> Error: boom\n> second', 'Error: boom\nsecond'],
    ['drops Slack-escaped quote markers', '&gt; Error: boom', 'Error: boom'],
    ['removes zero-width characters', 'Ser\u200bvice "a\u200d" is in\ufeffvalid', 'Service "a" is invalid'],
    ['unescapes JSON strings in logs', '{"error":"Service \\"web\\" is invalid"}', '{"error":"Service "web" is invalid"}'],
    ['splits escaped newlines into lines', '{"msg":"line one\\nline two"}', '{"msg":"line one\nline two"}'],
    ['unescapes twice-escaped quotes', '"msg":"Service \\\\\\"web\\\\\\" is invalid"', '"msg":"Service "web" is invalid"'],
    ['strips Terraform box edges', '│ Error: UPGRADE FAILED\n│ ', 'Error: UPGRADE FAILED'],
    ['joins k9s-wrapped rows', 'spec.loadBalancerClass: Inval ││ id value', 'spec.loadBalancerClass: Invalid value'],
    ['keeps Helm placeholders like <nil>', 'value <nil> is not allowed', 'value <nil> is not allowed'],
  ];
  for (const [name, input, expected] of cases) {
    it(name, () => {
      expect(normalize(input).text).toBe(expected);
    });
  }

  it('detects binary input instead of matching it', () => {
    const n = normalize('PK\u0003\u0004\u0000\u0000binary');
    expect(n.binary).toBe(true);
    expect(n.text).toBe('');
    expect(looksBinary('Error: UPGRADE FAILED: plain text\n')).toBe(false);
  });

  it('keeps the tail of oversized input and says what was cut', () => {
    const head = 'noise line that should be dropped\n'.repeat(200_000); // ~6.8 MB
    const input = `${head}Error: UPGRADE FAILED: the real error\n`;
    const n = normalize(input);
    expect(n.truncated).toBe(true);
    expect(Buffer.byteLength(n.text)).toBeLessThanOrEqual(MAX_INPUT_BYTES);
    expect(n.text.endsWith('Error: UPGRADE FAILED: the real error')).toBe(true);
    expect(n.truncation).toMatch(/kept the last .* cut/);
  });

  it('cuts on a line boundary and never splits a multi-byte character', () => {
    const { text, cut } = keepTail('ééééé\nabc\n', 6);
    expect(cut).toBeGreaterThan(0);
    expect(text).toBe('abc\n');
  });
});
