// Every CLI start evaluates the static import graph of src/cli/main.ts. Heavy packages are loaded by the
// commands that use them (dynamic import()), so `diagnose FILE` starts without them: this walks that graph,
// in the sources and in the bundle bin/helm-triage.js runs (scripts/bundle-cli.ts).
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleCli, type BundleImports } from '../../scripts/bundle-cli.js';

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

/** `builtins`: the node: modules imported; `.ts` sources are followed from their `.js` specifiers unless `compiled`. */
function graph(entry: string, compiled = false): { files: Set<string>; packages: Set<string>; builtins: Set<string> } {
  const files = new Set<string>();
  const packages = new Set<string>();
  const builtins = new Set<string>();
  const visit = (file: string): void => {
    if (files.has(file)) return;
    files.add(file);
    for (const spec of staticImports(readFileSync(file, 'utf8'))) {
      if (spec.startsWith('.')) visit(join(dirname(file), compiled ? spec : spec.replace(/\.js$/, '.ts')));
      else if (spec.startsWith('node:')) builtins.add(spec);
      else packages.add(spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0] ?? spec);
    }
  };
  visit(entry);
  return { files, packages, builtins };
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

  it('node:http and node:fs/promises (and the streams they pull in) are not loaded by every start', () => {
    const { builtins } = graph(join(root, 'src', 'cli', 'main.ts'));
    expect([...builtins].filter((b) => b === 'node:http' || b === 'node:fs/promises')).toEqual([]);
  });

  it('the walk sees through type-only imports but not value imports', () => {
    expect(staticImports("import type { A } from './a.js';\nimport { type B } from './b.js';\nimport { c } from './c.js';\nimport d, { type E } from 'd';\nexport { f } from './f.js';\nexport type { G } from './g.js';\nimport 'side';"))
      .toEqual(['./c.js', 'd', './f.js', 'side']);
  });
});

describe('the bundled CLI (what bin/helm-triage.js runs)', () => {
  let dir = '';
  let imports: BundleImports = {};
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'helm-triage-bundle-'));
    imports = await bundleCli(join(dir, 'cli-bundle'));
  }, 60_000);
  afterAll(() => { rmSync(dir, { recursive: true, force: true }); });

  /** What a start loads: the entry and every chunk it imports statically (esbuild's own account of the bundle). */
  function started(): { files: Set<string>; external: Set<string>; lazy: string[] } {
    const entry = Object.keys(imports).find((f) => f.endsWith(join('cli-bundle', 'main.js')));
    expect(entry).toBeDefined();
    const files = new Set<string>();
    const external = new Set<string>();
    const lazy: string[] = [];
    const visit = (file: string): void => {
      if (files.has(file)) return;
      files.add(file);
      for (const i of imports[file] ?? []) {
        if (i.kind === 'dynamic-import') lazy.push(i.path);
        else if (i.external) external.add(i.path);
        else visit(i.path);
      }
    };
    visit(entry ?? '');
    return { files, external, lazy };
  }

  it('starts from a handful of files importing only node: built-ins: commander is inside, the rest stays lazy', () => {
    const { files, external } = started();
    // Built-ins only, commander's require() of its own included: no node:http, no node:fs/promises.
    expect([...external].sort()).toEqual(['node:child_process', 'node:events', 'node:fs', 'node:module', 'node:path', 'node:process', 'node:url']);
    expect(files.size).toBeLessThanOrEqual(12);
    const code = [...files].map((f) => readFileSync(resolve(root, f), 'utf8')).join('\n');
    // The YAML loader, the schema and the checks are in chunks only import() reaches.
    expect(code).not.toContain('function loadPlaybooks(');
    expect(code).not.toContain('function parsePlaybook(');
    // Sanity: the text pipeline is there, and so is commander.
    expect(code).toContain('function diagnoseUnsafe(');
    expect(code).toContain('function setFromSnapshot(');
    expect(code).toContain('node_modules/commander/lib/command.js');
  });

  it('keeps every import() a separate chunk, never one a start has loaded already', () => {
    const { files, lazy } = started();
    expect(lazy.length).toBeGreaterThan(0);
    for (const path of lazy) expect(files.has(path), path).toBe(false);
    // Packages are imported only by lazy chunks.
    const lazyExternal = Object.entries(imports).filter(([f]) => !files.has(f)).flatMap(([, list]) => list.filter((i) => i.external).map((i) => i.path));
    expect(lazyExternal).toEqual(expect.arrayContaining(['yaml', 'zod']));
  });
});
