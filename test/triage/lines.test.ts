import { describe, expect, it } from 'vitest';
import { indexLines, LiteralScanner } from '../../src/triage/lines.js';
import { MATCH_LINE_CAP } from '../../src/triage/normalize.js';

// Reference: every line holding each literal within its first MATCH_LINE_CAP characters (start of match).
function reference(text: string, literals: readonly string[]): Map<string, number[]> {
  const out = new Map<string, number[]>();
  const lines = text.split('\n');
  for (const lit of literals) {
    const hits: number[] = [];
    lines.forEach((line, i) => {
      const at = line.indexOf(lit);
      if (at >= 0 && at < MATCH_LINE_CAP) hits.push(i);
    });
    out.set(lit, hits);
  }
  return out;
}

describe('LiteralScanner', () => {
  const literals = ['failed', 'failed to', 'upgrade failed', 'is invalid', ' is not ready: ', 'helm', 'elm', 'abc', 'abd', 'bcd'];

  it('finds the same lines as one indexOf per literal, nested and overlapping literals included', () => {
    const scanner = new LiteralScanner(literals);
    let seed = 7;
    const rand = (n: number): number => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) % n);
    const words = ['failed', 'to', 'upgrade', 'helm', 'abcd', 'is', 'invalid', 'not', 'ready:', 'x', '\n', 'ab', 'cd'];
    for (let round = 0; round < 200; round++) {
      let text = '';
      for (let w = 0; w < 40; w++) text += `${words[rand(words.length)] ?? ''}${rand(3) === 0 ? '' : ' '}`;
      const scan = scanner.scan(indexLines(text));
      const want = reference(text, literals);
      for (const lit of literals) expect(scan?.get(lit), `${lit} in ${JSON.stringify(text)}`).toEqual(want.get(lit));
    }
  });

  it('ignores literals past the matched head of a long line and answers undefined for unknown literals', () => {
    const scanner = new LiteralScanner(literals);
    const text = `${'x'.repeat(MATCH_LINE_CAP)}failed\nhelm failed`;
    const scan = scanner.scan(indexLines(text));
    expect(scan?.get('failed')).toEqual([1]);
    expect(scan?.get('helm')).toEqual([1]);
    expect(scan?.get('abc')).toEqual([]);
    expect(scan?.get('not scanned')).toBeUndefined();
  });

  it('credits a literal that starts just inside the cap and ends past it, on each of several long lines', () => {
    const scanner = new LiteralScanner(literals);
    const long = `${'y'.repeat(MATCH_LINE_CAP - 3)}helm${'z'.repeat(MATCH_LINE_CAP * 2)}`;
    const scan = scanner.scan(indexLines(`${long}\n${long}\nabcd`));
    expect(scan?.get('helm')).toEqual([0, 1]);
    expect(scan?.get('abc')).toEqual([2]);
  });

  it('still scans literals shorter than three characters', () => {
    const scan = new LiteralScanner(['ab', 'xyz']).scan(indexLines('zab\nxyz ab'));
    expect(scan?.get('ab')).toEqual([0, 1]);
    expect(scan?.get('xyz')).toEqual([1]);
  });
});
