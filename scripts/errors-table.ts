// Prints the README "Errors" table from src/errors.ts (ERROR_HELP); `--write` puts it into README.md.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { errorsTable } from '../src/errors.js';

const README = join(import.meta.dirname, '..', 'README.md');
const table = errorsTable();
if (process.argv.includes('--write')) {
  const text = readFileSync(README, 'utf8');
  const start = text.indexOf('| code | meaning and what to do |');
  if (start < 0) throw new Error('README.md has no "| code | meaning and what to do |" table');
  let end = text.indexOf('\n', start);
  while (text.startsWith('|', end + 1)) end = text.indexOf('\n', end + 1);
  writeFileSync(README, text.slice(0, start) + table + text.slice(end));
} else {
  process.stdout.write(`${table}\n`);
}
