// The dependency rules of the design (DESIGN.md "Dependencies that should never exist"), checked on
// the source: a forbidden import fails here, with the file and the line that adds it.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = join(import.meta.dirname, '..', 'src');

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? files(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : []);
}

interface Import { file: string; target: string; typeOnly: boolean; line: number }

/** Every relative import and re-export, resolved to a folder under src/ (e.g. `slack`, `kube`). */
function imports(folder: string): Import[] {
  const out: Import[] = [];
  for (const file of files(join(SRC, folder))) {
    const text = readFileSync(file, 'utf8');
    // Statements may span lines (`import {\n a,\n b\n} from '…'`): match over the whole file.
    for (const m of text.matchAll(/(?:^|\n)[ \t]*(?:import|export)[ \t]+(type[ \t]+)?[^;'"]*?from[ \t]+'(\.[^']+)'/g)) {
      const spec = m[2];
      if (spec === undefined) continue;
      const resolved = relative(SRC, join(file, '..', spec));
      const line = text.slice(0, (m.index ?? 0) + 1).split('\n').length;
      out.push({ file: relative(SRC, file), target: resolved.split('/')[0] ?? '', typeOnly: m[1] !== undefined, line });
    }
  }
  return out;
}

function violations(folder: string, forbidden: readonly string[], allowTypeOnly: boolean): string[] {
  return imports(folder)
    .filter((imp) => forbidden.includes(imp.target) && !(allowTypeOnly && imp.typeOnly))
    .map((imp) => `${imp.file}:${imp.line} imports ${imp.target}/`);
}

describe('dependency rules', () => {
  it('triage/ and render/ load no I/O module (type-only imports of shared shapes are fine)', () => {
    expect(violations('triage', ['slack', 'queue', 'kube', 'web', 'checks', 'cli', 'store'], true)).toEqual([]);
    expect(violations('render', ['slack', 'queue', 'kube', 'web', 'checks', 'cli', 'store'], true)).toEqual([]);
  });

  it('checks/, kube/ and queue/ never import slack/ (agents hold no Slack token)', () => {
    for (const folder of ['checks', 'kube', 'queue']) expect(violations(folder, ['slack', 'web'], false)).toEqual([]);
  });

  it('slack/ and web/ never import kube/ or the checks (the bot holds no cluster credentials)', () => {
    for (const folder of ['slack', 'web']) expect(violations(folder, ['kube', 'checks', 'cli'], false)).toEqual([]);
  });

  it('sees the imports it judges (guards the parser itself)', () => {
    expect(imports('cli').some((imp) => imp.target === 'slack')).toBe(true);
    expect(imports('render').some((imp) => imp.target === 'queue' && imp.typeOnly)).toBe(true);
  });
});
