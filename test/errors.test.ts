// Error codes and their documentation move together (fastify's habit): a new code without a README row fails here.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ERROR_HELP, ErrorCode, errorsTable } from '../src/errors.js';

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

  it('each say what to do, and the README table is the one generated from them (npx tsx scripts/errors-table.ts --write)', () => {
    for (const code of Object.values(ErrorCode)) expect(ERROR_HELP[code]?.length ?? 0, code).toBeGreaterThan(20);
    expect(Object.keys(ERROR_HELP).sort()).toEqual(Object.values(ErrorCode).sort());
    expect(errorsSection).toContain(`${errorsTable()}\n`);
  });

  it('are the only hierarchy: no Error subclass in src/ outside HelmTriageError', () => {
    const src = join(import.meta.dirname, '..', 'src');
    const files = (dir: string): string[] => readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
      e.isDirectory() ? files(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : []);
    const outside = files(src).flatMap((file) =>
      [...readFileSync(file, 'utf8').matchAll(/class (\w+) extends (?:Error|TypeError|RangeError)\b/g)].map((m) => `${relative(src, file)}: ${m[1] ?? ''}`));
    expect(outside).toEqual(['errors.ts: HelmTriageError']);
  });

  it('are unique', () => {
    const codes = Object.values(ErrorCode);
    expect(new Set(codes).size).toBe(codes.length);
  });
});
