// The dependency rules of the design (DESIGN.md "Dependencies that should never exist"), checked on
// the source. Strict: type-only imports count (a type from kube/ ties the pure core to the cluster
// layer on paper and in the next refactor), dynamic import() counts, and chains are followed through
// every other file and folder (triage → x → kube is as forbidden as triage → kube). A violation
// names the whole chain, file by file.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = join(import.meta.dirname, '..', 'src');

/** The parts of the design (folders under src/); model/ and the top-level files sit below them all. */
const PARTS = ['triage', 'playbooks', 'render', 'checks', 'rollback', 'kube', 'queue', 'store', 'slack', 'web', 'cli'] as const;
type Part = (typeof PARTS)[number];

/** Part → the parts it must never reach, by any chain of imports. */
const RULES: ReadonlyArray<{ from: Part[]; never: Part[]; why: string }> = [
  { from: ['triage', 'render'], never: ['slack', 'queue', 'kube', 'web', 'checks', 'rollback', 'cli', 'store'], why: 'the pure core and rendering do no I/O' },
  { from: ['playbooks'], never: ['slack', 'queue', 'kube', 'web', 'checks', 'rollback', 'cli', 'store'], why: 'playbooks are data and pure templates' },
  { from: ['checks', 'rollback', 'kube', 'queue'], never: ['slack', 'web', 'cli'], why: 'agents hold no Slack token; the queue hands results to a reporter interface' },
  { from: ['slack', 'web'], never: ['kube', 'checks', 'rollback', 'cli'], why: 'the bot holds no cluster credentials (embedded mode is wired in cli/)' },
  { from: ['store'], never: ['slack', 'web', 'queue', 'kube', 'checks', 'rollback', 'cli'], why: 'the store is below its users' },
];

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? files(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : []);
}

interface Edge { from: string; to: string; line: number; typeOnly: boolean }

/**
 * Every relative import of a source text, type-only or not: `import … from`, `export … from`, bare
 * `import '…'`, and `import('…')`. Statements may span lines. Comments are dropped first.
 */
function importsOf(text: string): Array<{ spec: string; line: number; typeOnly: boolean }> {
  const code = text.replace(/\/\*[\s\S]*?\*\//g, (c) => c.replace(/[^\n]/g, ' ')).replace(/(^|[^:'"`\\])\/\/[^\n]*/g, '$1');
  const out: Array<{ spec: string; line: number; typeOnly: boolean }> = [];
  const lineAt = (i: number): number => code.slice(0, i).split('\n').length;
  for (const m of code.matchAll(/(?:^|\n|;)[ \t]*(?:import|export)[ \t]+(type[ \t]+)?[^;'"]*?from[ \t]*['"](\.[^'"]+)['"]/g)) {
    if (m[2] !== undefined) out.push({ spec: m[2], line: lineAt((m.index ?? 0) + 1), typeOnly: m[1] !== undefined });
  }
  for (const m of code.matchAll(/(?:^|\n|;)[ \t]*import[ \t]*['"](\.[^'"]+)['"]/g)) {
    if (m[1] !== undefined) out.push({ spec: m[1], line: lineAt((m.index ?? 0) + 1), typeOnly: false });
  }
  for (const m of code.matchAll(/\bimport\(\s*['"`](\.[^'"`]+)['"`]\s*\)/g)) {
    if (m[1] !== undefined) out.push({ spec: m[1], line: lineAt(m.index ?? 0), typeOnly: false });
  }
  return out;
}

/** `./x.js` from src/a/b.ts → `a/x.ts` (relative to src/), or undefined when it leaves src/. */
function resolveSpec(file: string, spec: string): string | undefined {
  const abs = join(dirname(file), spec.replace(/\.js$/, '.ts'));
  const candidates = [abs, abs.endsWith('.ts') ? abs : `${abs}.ts`, join(abs, 'index.ts')];
  const found = candidates.find((c) => existsSync(c));
  const rel = relative(SRC, found ?? abs);
  return rel.startsWith('..') ? undefined : rel;
}

function graph(sources: ReadonlyMap<string, string>): Map<string, Edge[]> {
  const out = new Map<string, Edge[]>();
  for (const [file, text] of sources) {
    const edges: Edge[] = [];
    for (const imp of importsOf(text)) {
      const to = resolveSpec(join(SRC, file), imp.spec);
      if (to !== undefined) edges.push({ from: file, to, line: imp.line, typeOnly: imp.typeOnly });
    }
    out.set(file, edges);
  }
  return out;
}

function partOf(file: string): string {
  return file.includes('/') ? (file.split('/')[0] ?? '') : '';
}

/** For each forbidden part reached from `part`, the shortest chain that reaches it (breadth first). */
function violations(g: ReadonlyMap<string, Edge[]>, part: string, never: readonly string[]): string[] {
  const starts = [...g.keys()].filter((f) => partOf(f) === part);
  const via = new Map<string, Edge | null>(starts.map((s) => [s, null]));
  const queue = [...starts];
  const found: string[] = [];
  const reported = new Set<string>();
  while (queue.length > 0) {
    const file = queue.shift() ?? '';
    for (const edge of g.get(file) ?? []) {
      if (via.has(edge.to)) continue;
      via.set(edge.to, edge);
      const target = partOf(edge.to);
      if (never.includes(target)) {
        if (!reported.has(target)) {
          reported.add(target);
          const chain: Edge[] = [];
          for (let e: Edge | null | undefined = edge; e; e = via.get(e.from)) chain.unshift(e);
          found.push(`${part}/ reaches ${target}/: ${chain.map((e) => `${e.from}:${e.line}${e.typeOnly ? ' (type)' : ''} → ${e.to}`).join(', ')}`);
        }
        continue;
      }
      queue.push(edge.to);
    }
  }
  return found;
}

function sourcesOf(): Map<string, string> {
  return new Map(files(SRC).map((f) => [relative(SRC, f), readFileSync(f, 'utf8')]));
}

describe('dependency rules (type imports, dynamic import() and chains count)', () => {
  const g = graph(sourcesOf());

  for (const rule of RULES) {
    for (const part of rule.from) {
      it(`${part}/ never reaches ${rule.never.join(', ')} (${rule.why})`, () => {
        expect(violations(g, part, rule.never)).toEqual([]);
      });
    }
  }

  it('knows every folder under src/ (a new one is a part with rules, or the shared model)', () => {
    const folders = new Set([...g.keys()].map(partOf).filter((p) => p !== ''));
    expect([...folders].filter((f) => !(PARTS as readonly string[]).includes(f) && f !== 'model')).toEqual([]);
  });

  it('keeps the shared model pure: model/ imports only itself and the import-free vocabulary of the text pipeline', () => {
    const out = [...g.values()].flat().filter((e) => partOf(e.from) === 'model' && partOf(e.to) !== 'model' && e.to !== 'triage/types.ts');
    expect(out.map((e) => `${e.from}:${e.line} → ${e.to}`)).toEqual([]);
    expect(g.get('triage/types.ts')).toEqual([]);
    expect(g.has('model/checks.ts')).toBe(true);
  });
});

describe('the import reader (guards the test itself)', () => {
  it('sees value, type-only, re-exported, side-effect and dynamic imports, across lines, and not in comments', () => {
    const text = [
      "import { a } from './a.js';",
      "import type { B } from '../kube/b.js';",
      'import {',
      '  c,',
      "} from './c.js';",
      "export { d } from './d.js';",
      "import './e.js';",
      "const f = await import('../f.js');",
      "// import { g } from './g.js';",
      "/* import { h } from './h.js'; */",
      "import { z } from 'zod';",
    ].join('\n');
    expect(importsOf(text).map((i) => [i.spec, i.typeOnly])).toEqual([
      ['./a.js', false], ['../kube/b.js', true], ['./c.js', false], ['./d.js', false], ['./e.js', false], ['../f.js', false],
    ]);
  });

  it('follows a chain through another folder to a forbidden one, and names it', () => {
    const g = graph(new Map([
      ['triage/x.ts', "import type { Y } from '../playbooks/y.js';"],
      ['playbooks/y.ts', "export const y = () => import('../kube/z.js');"],
      ['kube/z.ts', ''],
    ]));
    expect(violations(g, 'triage', ['kube'])).toEqual(['triage/ reaches kube/: triage/x.ts:1 (type) → playbooks/y.ts, playbooks/y.ts:1 → kube/z.ts']);
    expect(violations(g, 'triage', ['slack'])).toEqual([]);
  });

  it('sees the real imports it judges', () => {
    const g = graph(sourcesOf());
    const edges = [...g.values()].flat();
    expect(edges.some((e) => partOf(e.from) === 'cli' && partOf(e.to) === 'slack')).toBe(true);
    expect(edges.some((e) => e.typeOnly)).toBe(true);
    expect(edges.some((e) => e.from === 'cli/diagnose-check.ts' && e.to === 'kube/config.ts')).toBe(true);
  });
});
