import { describe, expect, it } from 'vitest';
import { readText, ROOT } from './support/chart.js';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

// Lint-style checks of the Dockerfile (no Docker engine here to build it).

interface Instruction {
  op: string;
  args: string;
  stage: number;
}

/** Joins continuation lines, drops comments, and tags each instruction with its stage index. */
export function instructions(dockerfile: string): Instruction[] {
  const out: Instruction[] = [];
  let stage = -1;
  let pending = '';
  for (const raw of dockerfile.split('\n')) {
    const line = raw.trim();
    if (!pending && (line.startsWith('#') || !line)) continue;
    if (line.startsWith('#')) continue;
    pending += (pending ? ' ' : '') + line.replace(/\\$/, '').trim();
    if (line.endsWith('\\')) continue;
    const [op = '', ...rest] = pending.split(/\s+/);
    pending = '';
    if (op.toUpperCase() === 'FROM') stage++;
    out.push({ op: op.toUpperCase(), args: rest.join(' '), stage });
  }
  return out;
}

const dockerfile = readText('Dockerfile');
const all = instructions(dockerfile);
const lastStage = Math.max(...all.map((i) => i.stage));
const final = all.filter((i) => i.stage === lastStage);

describe('Dockerfile', () => {
  it('is multi-stage, on a Node image new enough for engines (>= 20.19)', () => {
    const froms = all.filter((i) => i.op === 'FROM');
    expect(froms.length).toBeGreaterThanOrEqual(2);
    const arg = /ARG NODE_IMAGE=node:(\d+)-/.exec(dockerfile);
    expect(Number(arg?.[1])).toBeGreaterThanOrEqual(20);
    for (const f of froms) expect(f.args).toMatch(/^\$\{NODE_IMAGE\} AS \w+$/);
  });

  it('installs from the lockfile only (npm ci, never npm install), then prunes dev dependencies', () => {
    const runs = all.filter((i) => i.op === 'RUN').map((i) => i.args);
    expect(runs.join('\n')).not.toMatch(/\bnpm (install|i)\b/);
    expect(runs.some((r) => /\bnpm ci\b/.test(r))).toBe(true);
    expect(runs.some((r) => /npm prune --omit=dev/.test(r))).toBe(true);
    const lockCopy = all.findIndex((i) => i.op === 'COPY' && i.args.includes('package-lock.json'));
    const ci = all.findIndex((i) => i.op === 'RUN' && /\bnpm ci\b/.test(i.args));
    expect(lockCopy).toBeGreaterThanOrEqual(0);
    expect(lockCopy).toBeLessThan(ci);
  });

  it('fetches nothing at build time outside npm (no ADD URL, curl or wget)', () => {
    expect(all.filter((i) => i.op === 'ADD')).toEqual([]);
    expect(dockerfile).not.toMatch(/\b(curl|wget)\b/);
  });

  it('ships dist, bin, playbooks, package.json and production node_modules in the final stage', () => {
    const copies = final.filter((i) => i.op === 'COPY').map((i) => i.args);
    for (const what of ['dist', 'bin', 'playbooks', 'package.json', 'node_modules']) {
      expect(copies.some((c) => c.includes(what)), what).toBe(true);
    }
  });

  it('runs as uid 10001, never root, with NODE_ENV=production', () => {
    const users = final.filter((i) => i.op === 'USER').map((i) => i.args);
    expect(users.length).toBeGreaterThan(0);
    expect(users[users.length - 1]).toBe('10001:10001');
    for (const u of users) expect(u).not.toMatch(/^(0|root)\b/);
    const userAt = final.findIndex((i) => i.op === 'USER');
    expect(final.slice(userAt).filter((i) => i.op === 'RUN')).toEqual([]);
    expect(final.some((i) => i.op === 'ENV' && /NODE_ENV=production/.test(i.args))).toBe(true);
  });

  it('has one entrypoint for both roles, serve by default, and a /healthz HEALTHCHECK without curl', () => {
    expect(final.find((i) => i.op === 'ENTRYPOINT')?.args).toBe('["node", "bin/helm-triage.js"]');
    expect(final.find((i) => i.op === 'CMD')?.args).toBe('["serve"]');
    const health = final.find((i) => i.op === 'HEALTHCHECK')?.args ?? '';
    expect(health).toMatch(/CMD \["node", "-e", .*\/healthz/);
    expect(existsSync(join(ROOT, 'bin/helm-triage.js'))).toBe(true);
  });

  it('parses continuation lines (the checker itself)', () => {
    expect(instructions('FROM a AS b\nRUN x \\\n  && y\n# c\nUSER 1')).toEqual([
      { op: 'FROM', args: 'a AS b', stage: 0 },
      { op: 'RUN', args: 'x && y', stage: 0 },
      { op: 'USER', args: '1', stage: 0 },
    ]);
  });
});

describe('.dockerignore', () => {
  const lines = readText('.dockerignore')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'));

  it('starts from "ignore everything" so secrets and node_modules never reach the build context', () => {
    expect(lines[0]).toBe('*');
    expect(lines).not.toContain('!.env');
    expect(lines).not.toContain('!node_modules');
    expect(lines).toContain('**/.env');
  });

  it('lets in every path the Dockerfile copies from the context', () => {
    const fromContext = all.filter((i) => i.op === 'COPY' && !i.args.startsWith('--from')).flatMap((i) => i.args.split(/\s+/).slice(0, -1));
    for (const path of fromContext) {
      const bare = path.replace(/\/$/, '');
      expect(lines.includes(`!${bare}`) || lines.includes(`!${bare}/`), path).toBe(true);
    }
  });
});
