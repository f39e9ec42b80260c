// Error codes and their documentation move together (fastify's habit): a new code without a README row fails here.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ErrorCode } from '../src/errors.js';

const readme = readFileSync(join(import.meta.dirname, '..', 'README.md'), 'utf8');
const errorsSection = readme.slice(readme.indexOf('### Errors'));

describe('error codes', () => {
  it('are each documented in the README "Errors" table', () => {
    const undocumented = Object.values(ErrorCode).filter((code) => !errorsSection.includes(`\`${code}\``));
    expect(undocumented).toEqual([]);
  });

  it('has no README row for a code that no longer exists', () => {
    const documented = [...errorsSection.matchAll(/`(HT_[A-Z_]+)`/g)].map((m) => m[1]);
    const known = new Set<string>(Object.values(ErrorCode));
    expect(documented.filter((code) => code !== undefined && !known.has(code))).toEqual([]);
  });

  it('are unique', () => {
    const codes = Object.values(ErrorCode);
    expect(new Set(codes).size).toBe(codes.length);
  });
});
