// `helm-triage playbooks [list|show ID|test]`: browse the playbooks and run their examples.
import type { Command } from 'commander';
import { ErrorCode, HelmTriageError } from '../errors.js';
import type { PlaybookSet } from '../playbooks/set.js';
import { openPlaybooks } from '../playbooks/snapshot.js';
import type { Playbook } from '../playbooks/schema.js';
import { diagnose } from '../triage/diagnose.js';
import type { CliContext } from './context.js';

function load(ctx: CliContext, dir: unknown): Promise<PlaybookSet> {
  if (typeof dir === 'string') return openPlaybooks({ dir });
  const env = ctx.io.env.PLAYBOOKS_DIR;
  return openPlaybooks(env !== undefined && env !== '' ? { dir: env } : {});
}

export function listPlaybooks(set: PlaybookSet): string {
  const width = Math.max(...set.playbooks.map((p) => p.id.length), 2);
  const lines = set.playbooks.map((p) => `${p.id.padEnd(width)}  ${p.title}${p.noise ? ' (noise)' : ''}`);
  return `${lines.join('\n')}\n`;
}

export function showPlaybook(p: Playbook): string {
  const out: string[] = [`${p.id}: ${p.title}${p.noise ? ' (noise)' : ''}`, '', p.summary, '', 'Signals:'];
  for (const s of p.signals) out.push(`  ${s.weight >= 0 ? '+' : ''}${s.weight.toFixed(2)}  ${s.id ?? ''}${s.id !== undefined ? ': ' : ''}${s.pattern}`);
  if (p.checks.length > 0) out.push('', `Checks: ${p.checks.join(', ')}`);
  if (p.facts.length > 0) out.push(`Facts: ${p.facts.join(', ')}`);
  out.push('', 'Root cause:', `  ${p.rootCause.trim()}`, '', 'Commands:');
  for (const c of p.commands) out.push(`  [${c.effect}] ${c.run.trim()}${c.risk !== undefined ? `\n      risk: ${c.risk}` : ''}`);
  out.push('', p.runbook.trim());
  if (p.references.length > 0) out.push('', 'References:', ...p.references.map((r) => `  ${r}`));
  out.push('', `Examples: ${p.examples.length} (${p.examples.filter((e) => e.expect === p.id).length} positive)`);
  return `${out.join('\n')}\n`;
}

/** Runs every example of every playbook; returns failures as readable lines. */
export function testPlaybooks(set: PlaybookSet): { total: number; failures: string[] } {
  const failures: string[] = [];
  let total = 0;
  for (const p of set.playbooks) {
    for (const [i, ex] of p.examples.entries()) {
      total++;
      const d = diagnose(ex.input, set);
      if (d.playbook !== ex.expect) {
        const scores = d.matches.map((m) => `${m.playbook} ${m.score.toFixed(2)}`).join(', ');
        failures.push(`${p.id} examples[${i}]${ex.name !== undefined ? ` "${ex.name}"` : ''}: expected ${ex.expect ?? 'none'}, got ${d.playbook ?? 'none'} (${scores || 'no matches'})`);
      }
    }
  }
  for (const { lookalike } of set.lookalikes) {
    for (const [i, ex] of lookalike.examples.entries()) {
      total++;
      const d = diagnose(ex.input, set);
      if (d.playbook !== null) failures.push(`lookalike ${lookalike.id} examples[${i}]${ex.name !== undefined ? ` "${ex.name}"` : ''}: expected none, got ${d.playbook} (${d.confidence.toFixed(2)})`);
    }
  }
  return { total, failures };
}

export function registerPlaybooks(program: Command, ctx: CliContext): Command {
  const command = program
    .command('playbooks')
    .description('list the playbooks, show one, or run their examples')
    .option('--playbooks <dir>', 'folder of playbook YAML files (default: bundled, or PLAYBOOKS_DIR)');
  const dirOf = (): unknown => command.opts().playbooks;
  command
    .command('list', { isDefault: true })
    .description('one line per playbook')
    .option('--json', 'print JSON', false)
    .action(async (opts: { json: boolean }) => {
      const set = await load(ctx, dirOf());
      if (opts.json) {
        const rows = set.playbooks.map((p) => ({ id: p.id, title: p.title, summary: p.summary, noise: p.noise, checks: p.checks }));
        ctx.io.stdout(`${JSON.stringify(rows, null, 2)}\n`);
      } else ctx.io.stdout(listPlaybooks(set));
    });
  command
    .command('show')
    .description('everything about one playbook')
    .argument('<id>', 'playbook id, e.g. immutable-load-balancer-class')
    .option('--json', 'print JSON', false)
    .action(async (id: string, opts: { json: boolean }) => {
      const set = await load(ctx, dirOf());
      const p = set.get(id);
      if (p === undefined) {
        throw new HelmTriageError(ErrorCode.PlaybookNotFound, `no playbook "${id}"; known ids: ${set.playbooks.map((x) => x.id).join(', ')}`);
      }
      ctx.io.stdout(opts.json ? `${JSON.stringify(p, null, 2)}\n` : showPlaybook(p));
    });
  command
    .command('test')
    .description('run every example of every playbook (exit 1 when one fails)')
    .action(async () => {
      const set = await load(ctx, dirOf());
      const { total, failures } = testPlaybooks(set);
      for (const f of failures) ctx.io.stdout(`FAIL ${f}\n`);
      ctx.io.stdout(`${total - failures.length}/${total} examples pass across ${set.playbooks.length} playbooks${set.lookalikes.length > 0 ? ` and ${set.lookalikes.length} lookalikes` : ''}\n`);
      if (failures.length > 0) ctx.exitCode = 1;
    });
  return command;
}
