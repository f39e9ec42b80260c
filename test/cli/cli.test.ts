// The CLI as users run it: a child process (tsx on the source), stdout/stderr and exit codes.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import type { CliIO } from '../../src/cli/io.js';

const root = resolve(import.meta.dirname, '../..');
const tsx = join(root, 'node_modules', '.bin', 'tsx');
const example = join(root, 'examples', 'rollback-load-balancer-class.txt');

interface Run { code: number; stdout: string; stderr: string }

function cli(args: string[], input?: string): Promise<Run> {
  return new Promise((done) => {
    const child = execFile(tsx, ['src/cli/main.ts', ...args], { cwd: root, env: { ...process.env, NO_COLOR: '1' } }, (err, stdout, stderr) => {
      const code = err === null ? 0 : typeof err.code === 'number' ? err.code : 1;
      done({ code, stdout, stderr });
    });
    if (input !== undefined) child.stdin?.end(input);
    else child.stdin?.end();
  });
}

const tmp = mkdtempSync(join(tmpdir(), 'ht-cli-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

// Child processes start tsx: slow on a busy machine, hence the long timeouts.
describe('helm-triage CLI (child process)', { timeout: 120_000 }, () => {
  it('diagnose --json prints one JSON object with the contract fields', async () => {
    const r = await cli(['diagnose', example, '--json']);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as Record<string, unknown>;
    expect(out.playbook).toBe('immutable-load-balancer-class');
    expect(typeof out.confidence).toBe('number');
    expect(out.facts).toMatchObject({ release: 'checkout', namespace: 'storefront', revision: 6 });
    expect(typeof out.rootCause).toBe('string');
    expect(Array.isArray(out.commands)).toBe(true);
    expect((out.matches as Array<{ playbook: string; score: number; evidence: unknown[] }>)[0]).toMatchObject({ playbook: 'immutable-load-balancer-class' });
    expect(out).toHaveProperty('notes');
    expect(out).toHaveProperty('input');
    expect(out).not.toHaveProperty('text');
  });

  it('prints JSON Lines with "file" for several files', async () => {
    const other = join(tmp, 'unrelated.txt');
    writeFileSync(other, 'npm ERR! code ENOENT\n');
    const r = await cli(['diagnose', '--json', example, other]);
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as { file: string; playbook: string | null });
    expect(lines.map((l) => [l.file, l.playbook])).toEqual([[example, 'immutable-load-balancer-class'], [other, null]]);
  });

  it('reads stdin and prints a human diagnosis', async () => {
    const r = await cli(['diagnose', '-'], 'Error: UPGRADE FAILED: "web" has no deployed releases\n');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/no-deployed-releases/);
    expect(r.stdout).toMatch(/Commands/);
    expect(r.stdout).not.toContain('\x1b[');
  });

  it('exits 0 when it abstains', async () => {
    const r = await cli(['diagnose'], 'hello world\n');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/No diagnosis/);
  });

  it('exits 2 with a clear message on usage errors', async () => {
    const [unknown, missing, badId] = await Promise.all([
      cli(['diagnose', '--bogus']),
      cli(['diagnose', join(tmp, 'nope.txt')]),
      cli(['playbooks', 'show', 'nope']),
    ]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/unknown option '--bogus'/);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/cannot read .*nope\.txt/);
    expect(badId.code).toBe(2);
    expect(badId.stderr).toMatch(/no playbook "nope"; known ids:/);
  });
});

describe('helm-triage CLI (in process)', () => {
  function io(stdin = ''): CliIO & { out: string[]; err: string[] } {
    const out: string[] = [];
    const err: string[] = [];
    return {
      out, err, isTTY: false, env: {},
      stdout: (t) => { out.push(t); }, stderr: (t) => { err.push(t); },
      readStdin: () => Promise.resolve(stdin),
      readFile: () => Promise.reject(new Error('no files in this test')),
    };
  }

  it('lists and shows playbooks', async () => {
    const a = io();
    expect(await main(['node', 'helm-triage', 'playbooks', 'list'], a)).toBe(0);
    expect(a.out.join('')).toMatch(/^immutable-load-balancer-class\s+Service loadBalancerClass cannot change$/m);
    const b = io();
    expect(await main(['node', 'helm-triage', 'playbooks', 'show', 'persisted-values-revert'], b)).toBe(0);
    expect(b.out.join('')).toMatch(/## Mitigation/);
  });

  it('runs every playbook example with `playbooks test`', async () => {
    const a = io();
    expect(await main(['node', 'helm-triage', 'playbooks', 'test'], a)).toBe(0);
    expect(a.out.join('')).toMatch(/examples pass across \d+ playbooks/);
  });

  it('rejects --min-confidence outside 0..1 as a usage error', async () => {
    const a = io('x');
    expect(await main(['node', 'helm-triage', 'diagnose', '--min-confidence', '3'], a)).toBe(2);
    expect(a.err.join('')).toMatch(/--min-confidence must be a number from 0 to 1/);
  });

  it('never echoes a pasted token', async () => {
    const token = ['xoxb', '111111111111', '2222222222222', 'QwErTyUiOpAsDfGhJkLzXcVb'].join('-');
    const a = io(`helm upgrade web ./web --set slack.token=${token}\nError: UPGRADE FAILED: "web" has no deployed releases`);
    expect(await main(['node', 'helm-triage', 'diagnose', '--json'], a)).toBe(0);
    expect(a.out.join('')).not.toContain(token);
    expect(a.err.join('')).not.toContain(token);
  });
});
