// A suite that runs on a bare machine (issue 14): every test file that starts a redis-server, launches
// Chromium or runs openssl says so with needs(…) (test/support/needs.ts), so a machine without the tool
// skips those tests with the line that says what to install instead of failing with a stack trace.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const TEST = import.meta.dirname;
const USES = [/\bstartTestRedis\(/, /\blaunchBrowser\(/, /\bchromiumPath\(/, /\blocate\('openssl'\)/];

function testFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? testFiles(join(dir, e.name)) : e.name.endsWith('.test.ts') ? [join(dir, e.name)] : []);
}

describe('prerequisite guards', () => {
  it('every test file that needs redis-server, Chromium or openssl declares needs(…)', () => {
    const unguarded = testFiles(TEST)
      .filter((f) => f !== join(TEST, 'prereq-guards.test.ts'))
      .filter((f) => {
        const text = readFileSync(f, 'utf8');
        return USES.some((re) => re.test(text)) && !/\bneeds\(/.test(text);
      })
      .map((f) => relative(TEST, f));
    expect(unguarded).toEqual([]);
  });
});
