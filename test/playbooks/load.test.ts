import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { PlaybookError } from '../../src/errors.js';
import { boundRepetition, literalPrefilter, requiredLiterals, vetFactPattern, vetPattern } from '../../src/playbooks/compile.js';
import { defaultPlaybooksDir, loadPlaybooks, parsePlaybook } from '../../src/playbooks/load.js';

const valid = (id: string, pattern = 'demo failure'): string => [
  `id: ${id}`, 'title: Demo failure', 'summary: demo summary', 'signals:', `  - pattern: '${pattern}'`, '    weight: 0.9',
  'rootCause: The demo failed for {{release}}.', 'runbook: "## Meaning\\ndemo"', 'examples:', '  - input: demo failure', `    expect: ${id}`,
].join('\n');

const dirs: string[] = [];
function dirWith(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'ht-playbooks-'));
  dirs.push(dir);
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}
afterEach(() => { for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true }); });

describe('loadPlaybooks', () => {
  it('loads the bundled playbooks by default', () => {
    const set = loadPlaybooks();
    expect(set.playbooks.length).toBeGreaterThanOrEqual(5);
    expect(set.compiled.length).toBe(set.playbooks.length);
    expect(defaultPlaybooksDir()).toMatch(/playbooks$/);
  });

  it('loads a folder and compiles signals', () => {
    const set = loadPlaybooks(dirWith({ 'demo.yaml': valid('demo') }));
    expect(set.get('demo')?.title).toBe('Demo failure');
    expect(set.compiled[0]?.signals[0]?.literals).toEqual(['demo failure']);
  });

  it('names the file and the field of a broken playbook', () => {
    const dir = dirWith({ 'demo.yaml': valid('demo').replace('weight: 0.9', 'weight: 7') });
    expect(() => loadPlaybooks(dir)).toThrow(PlaybookError);
    expect(() => loadPlaybooks(dir)).toThrow(/demo\.yaml.*\n.*signals\[0\]\.weight/);
  });

  it('names the line of a YAML syntax error', () => {
    expect(() => parsePlaybook('id: demo\ntitle: [unclosed', 'demo.yaml')).toThrow(/demo\.yaml: YAML does not parse at line/);
  });

  it('requires a changes-cluster command to carry a risk', () => {
    const text = `${valid('demo')}\ncommands:\n  - run: kubectl delete pod x\n    effect: changes-cluster`;
    expect(() => parsePlaybook(text, 'demo.yaml')).toThrow(/commands\[0\]\.risk/);
  });

  it('rejects duplicate ids and ids that differ from the file name', () => {
    expect(() => loadPlaybooks(dirWith({ 'a.yaml': valid('b') }))).toThrow(/must equal the file name/);
    const dup = dirWith({ 'a.yml': valid('a'), 'a.yaml': valid('a') });
    expect(() => loadPlaybooks(dup)).toThrow(/duplicate playbook id "a"/);
  });

  it('refuses patterns that could backtrack or are not linear', () => {
    expect(() => parsePlaybook(valid('demo', '(a+)+b'), 'demo.yaml')).toThrow(/signals\[0\]\.pattern: .*backtrack/);
    expect(vetPattern('(x)\\1')).toMatch(/backreferences/);
    expect(vetPattern('(?<=a)b')).toMatch(/lookbehind/);
    expect(vetPattern('.*error')).toMatch(/leading/);
    expect(vetPattern('a(')).toMatch(/not a valid/);
    expect(vetPattern('field is immutable')).toBeUndefined();
  });

  it('vets a playbook\'s fact patterns like its signals, and compiles them', () => {
    const withFacts = (pattern: string, fact = 'release'): string => `${valid('demo')}\nfactPatterns:\n  - fact: ${fact}\n    pattern: '${pattern}'`;
    expect(() => parsePlaybook(withFacts('name (a+)+b'), 'demo.yaml')).toThrow(/factPatterns\[0\]\.pattern: .*backtrack/);
    expect(() => parsePlaybook(withFacts('invalid release name'), 'demo.yaml')).toThrow(/factPatterns\[0\]\.pattern: needs a capture group/);
    expect(() => parsePlaybook(withFacts('name (\\S{1,53})', 'flags'), 'demo.yaml')).toThrow(/factPatterns\[0\]\.fact/);
    expect(vetFactPattern('(?:name) x')).toMatch(/capture group/);
    expect(vetFactPattern('(?<=a)(b)')).toMatch(/lookbehind/);
    expect(vetFactPattern('helm install (\\S{1,53})')).toBeUndefined();
    const set = loadPlaybooks(dirWith({ 'demo.yaml': withFacts('helm install (\\S{1,53})') }));
    expect(set.compiled[0]?.factPatterns.map((p) => [p.fact, p.literals])).toEqual([['release', ['helm install ']]]);
    expect(set.get('demo')?.factPatterns).toEqual([{ fact: 'release', pattern: 'helm install (\\S{1,53})' }]);
  });

  it('honours PLAYBOOKS_DIR', () => {
    const dir = dirWith({ 'demo.yaml': valid('demo') });
    const before = process.env.PLAYBOOKS_DIR;
    process.env.PLAYBOOKS_DIR = dir;
    try {
      expect(defaultPlaybooksDir()).toBe(dir);
      expect(loadPlaybooks().playbooks.map((p) => p.id)).toEqual(['demo']);
    } finally {
      if (before === undefined) delete process.env.PLAYBOOKS_DIR;
      else process.env.PLAYBOOKS_DIR = before;
    }
  });

  it('says what to do when the folder is missing', () => {
    expect(() => loadPlaybooks('/nonexistent/playbooks')).toThrow(/PLAYBOOKS_DIR/);
  });
});

describe('signal compilation', () => {
  const cases: Array<[string, string[] | undefined]> = [
    ['field is immutable', ['field is immutable']],
    ['spec\\.clusterIPs?: Invalid', ['spec.clusterip']],
    ['time(d out|out) waiting for the condition', [' waiting for the condition']],
    ['foo|bar baz', ['foo', 'bar baz']], ['x|\\d+', undefined],
    ['(keeps|kept) reverting', [' reverting']],
    ['(alpha|beta)\\d', ['alpha', 'beta']],
    ['\\bx?y', undefined],
  ];
  for (const [source, expected] of cases) {
    it(`finds required literals of /${source}/`, () => {
      expect(requiredLiterals(source)).toEqual(expected);
    });
  }

  // [pattern, its required literals (the primary set), the other sets every match needs one of each of: the
  // two of longest literals]
  const conjuncts: Array<[string, string[] | undefined, string[][] | undefined]> = [
    ['\\b(still|keeps?) (applied|used)\\b.{0,40}(every|each) (upgrade|deploy)', ['upgrade', 'deploy'], [['still', 'keep'], ['applied', 'used']]],
    // Sets of short literals (on many lines, they rule out few) are not kept.
    ['foo(": |eof) barbaz', [' barbaz'], undefined],
    ['field is immutable', ['field is immutable'], undefined],
    ['foo|bar baz', ['foo', 'bar baz'], undefined],
    ['(alpha|beta)\\d+ gamma', [' gamma'], [['alpha', 'beta']]],
    ['x?(abc|abd)', ['abc', 'abd'], undefined],
  ];
  for (const [source, primary, expected] of conjuncts) {
    it(`finds the other literal sets /${source}/ requires`, () => {
      expect(requiredLiterals(source)).toEqual(primary);
      expect(literalPrefilter(source)).toEqual({ literals: primary, conjuncts: expected });
    });
  }

  it('bounds unbounded repetition outside character classes', () => {
    expect(boundRepetition('a.*b[*+]+c\\+')).toBe('a.{0,512}b[*+]{1,512}c\\+');
  });
});
