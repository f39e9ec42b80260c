import { describe, expect, it } from 'vitest';
import { normalize } from '../../src/triage/normalize.js';

// Long lines take a different unescaping route (one character at a time); it must give the same text.
describe('normalize: escaped JSON on long lines', () => {
  const piece = ';\\"a\\" \\\\ \\u0041\\t\\u0007b\\rc;';
  const expected = ';"a" \\ A\t bc;';

  it('unescapes a short line', () => {
    expect(normalize(piece).text).toBe(expected);
  });

  it('unescapes a line longer than 4 KiB the same way', () => {
    const n = 400;
    expect(piece.repeat(n).length).toBeGreaterThan(4096);
    expect(normalize(piece.repeat(n)).text).toBe(expected.repeat(n));
  });

  it('unescapes 1 MiB of escaped quotes', () => {
    expect(normalize('\\"'.repeat(512 * 1024)).text).toBe('"'.repeat(512 * 1024));
  });

  it('leaves a lone trailing backslash and unknown escapes alone', () => {
    const line = `${'x\\q\\u12G4 \\" '.repeat(600)}\\`;
    expect(normalize(line).text).toBe(`${'x\\q\\u12G4 " '.repeat(600)}\\`);
  });
});

describe('normalize: escaped newlines that open quoted or boxed lines', () => {
  it('still cleans the lines the unescaping creates', () => {
    expect(normalize('{"msg":"first\\n> quoted\\n│ boxed │\\n"}').text).toBe('{"msg":"first\nquoted\nboxed\n"}');
  });

  it('leaves plain lines from unescaping as they are', () => {
    expect(normalize('{"msg":"a\\n  b \\nc"}').text).toBe('{"msg":"a\n  b \nc"}');
  });
});
