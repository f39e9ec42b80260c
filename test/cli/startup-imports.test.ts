// Every CLI start evaluates the static import graph of src/cli/main.ts. Heavy packages are loaded by the
// commands that use them (dynamic import()), so `diagnose FILE` starts without them: this walks that graph.
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Static, non-type imports and re-exports of one module (`import type`, `export type` and import() excluded). */
function staticImports(source: string): string[] {
  const out: string[] = [];
  const re = /^\s*(import|export)\s+(type\s+)?(?:[^'";]*?\s+from\s+)?['"]([^'"]+)['"]/gm;
  let m: RegExpExecArray | null;
  while ((m = re.exec(source)) !== null) {
    if (m[2] !== undefined) continue;
    // `import { type A, type B } from` is erased entirely too.
    const clause = /\{([^}]*)\}/.exec(m[0])?.[1];
    if (clause !== undefined && !/^[^,{]*\*/.test(m[0]) && clause.split(',').every((p) => p.trim() === '' || p.trim().startsWith('type '))) {
      const head = m[0].slice(0, m[0].indexOf('{'));
      if (!/import\s+\w+\s*,/.test(head)) continue;
    }
    if (m[3] !== undefined) out.push(m[3]);
  }
  return out;
}

function graph(entry: string): { files: Set<string>; packages: Set<string> } {
  const files = new Set<string>();
  const packages = new Set<string>();
  const visit = (file: string): void => {
    if (files.has(file)) return;
    files.add(file);
    for (const spec of staticImports(readFileSync(file, 'utf8'))) {
      if (spec.startsWith('.')) visit(join(dirname(file), spec.replace(/\.js$/, '.ts')));
      else if (!spec.startsWith('node:')) packages.add(spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0] ?? spec);
    }
  };
  visit(entry);
  return { files, packages };
}

describe('CLI start-up imports', () => {
  it('the statically imported graph of the CLI holds commander only', () => {
    const { packages, files } = graph(join(root, 'src', 'cli', 'main.ts'));
    expect([...packages].sort()).toEqual(['commander']);
    // Sanity: the walk really follows the diagnose path.
    expect([...files].some((f) => f.endsWith(join('triage', 'diagnose.ts')))).toBe(true);
    expect([...files].some((f) => f.endsWith(join('playbooks', 'snapshot.ts')))).toBe(true);
    // The YAML loader and the checks come in by import() only.
    expect([...files].some((f) => f.endsWith(join('playbooks', 'load.ts')))).toBe(false);
    expect([...files].some((f) => f.includes(`${join('src', 'checks')}/`))).toBe(false);
  });

  it('the walk sees through type-only imports but not value imports', () => {
    expect(staticImports("import type { A } from './a.js';\nimport { type B } from './b.js';\nimport { c } from './c.js';\nimport d, { type E } from 'd';\nexport { f } from './f.js';\nexport type { G } from './g.js';\nimport 'side';"))
      .toEqual(['./c.js', 'd', './f.js', 'side']);
  });
});
