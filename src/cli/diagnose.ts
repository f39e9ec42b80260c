// `helm-triage diagnose [FILE...|-] [--json]`: the text pipeline from the command line.
// Other areas extend it (cluster checks) through DiagnoseExtension instead of editing this file.
import { Command, Option } from 'commander';
import { isHelmTriageError, UsageError } from '../errors.js';
import type { PlaybookSet } from '../playbooks/set.js';
import { openPlaybooks } from '../playbooks/snapshot.js';
import { diagnosisJson } from '../render/json.js';
import { renderText } from '../render/text.js';
import { diagnose } from '../triage/diagnose.js';
import type { Diagnosis, Facts } from '../triage/types.js';
import type { CliContext } from './context.js';
import { wantsColor } from './io.js';

export interface DiagnoseCommandOptions {
  files: string[];
  json: boolean;
  playbooksDir?: string;
  minConfidence?: number;
  release?: string;
  namespace?: string;
  /** Raw commander options, for extensions' own flags (e.g. --check, --context). */
  raw: Record<string, unknown>;
}

/** What an extension adds to one diagnosis: JSON fields and text appended to the human output. */
export interface DiagnoseEnrichment {
  fields?: Record<string, unknown>;
  text?: string;
}

export interface DiagnoseExtension {
  configure(command: Command): void;
  /** `playbooks` is the set the diagnosis came from, so an extension need not load it again. */
  enrich(diagnosis: Diagnosis, options: DiagnoseCommandOptions, ctx: CliContext, playbooks: PlaybookSet): Promise<DiagnoseEnrichment | undefined>;
}

function parseConfidence(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0 || n > 1) throw new UsageError(`--min-confidence must be a number from 0 to 1, got "${value}"`);
  return n;
}

/** Facts given on the command line (--release, --namespace), which win over extracted ones. */
export function factOverrides(options: Pick<DiagnoseCommandOptions, 'release' | 'namespace'>): Partial<Facts> {
  const overrides: Partial<Facts> = {};
  if (options.release !== undefined) overrides.release = options.release;
  if (options.namespace !== undefined) overrides.namespace = options.namespace;
  return overrides;
}

export async function runDiagnoseCommand(
  options: DiagnoseCommandOptions,
  ctx: CliContext,
  extensions: readonly DiagnoseExtension[] = [],
  playbooks?: PlaybookSet,
): Promise<number> {
  const { io } = ctx;
  const set = playbooks ?? await openPlaybooks(options.playbooksDir === undefined ? {} : { dir: options.playbooksDir });
  const files = options.files.length === 0 ? ['-'] : options.files;
  if (files.filter((f) => f === '-').length > 1) throw new UsageError('stdin (-) can be given only once');
  const many = files.length > 1;
  let code = 0;
  for (const file of files) {
    let text: string;
    try {
      text = file === '-' ? await io.readStdin() : await io.readFile(file);
    } catch (err) {
      const message = isHelmTriageError(err) || err instanceof Error ? err.message : String(err);
      io.stderr(`helm-triage: ${message}\n`);
      code = 2;
      continue;
    }
    const overrides = factOverrides(options);
    const diagnoseOptions = options.minConfidence === undefined ? { overrides } : { overrides, minConfidence: options.minConfidence };
    const d = diagnose(text, set, diagnoseOptions);
    const fields: Record<string, unknown> = {};
    const texts: string[] = [];
    for (const ext of extensions) {
      const extra = await ext.enrich(d, options, ctx, set);
      if (extra?.fields) Object.assign(fields, extra.fields);
      if (extra?.text !== undefined) texts.push(extra.text);
    }
    if (options.json) {
      const body = diagnosisJson(d, fields);
      io.stdout(`${JSON.stringify(many ? { file, ...body } : body, null, many ? undefined : 2)}\n`);
    } else {
      const heading = many ? (file === '-' ? '(stdin)' : file) : undefined;
      const color = wantsColor(io);
      // An extension that printed text (e.g. --check findings) has answered what the checks line would suggest.
      const checked = texts.length > 0;
      const rendered = renderText(d, heading === undefined ? { color, checked } : { color, heading, checked });
      io.stdout(rendered + texts.map((t) => `${t.endsWith('\n') ? t : `${t}\n`}`).join('') + (many ? '\n' : ''));
    }
  }
  return code;
}

export function registerDiagnose(program: Command, ctx: CliContext, extensions: readonly DiagnoseExtension[] = []): Command {
  const command = program
    .command('diagnose')
    .description('diagnose a failed Helm paste from files or stdin (-); prints the root cause and commands')
    .argument('[files...]', 'files holding Helm output; "-" or nothing reads stdin')
    .option('--json', 'print JSON (one object; JSON Lines with "file" when several files are given)', false)
    .option('--release <name>', 'release name, when the paste does not name it')
    .addOption(new Option('-n, --namespace <namespace>', 'namespace, when the paste does not name it'))
    .option('--min-confidence <0..1>', 'abstain below this confidence', parseConfidence)
    .option('--playbooks <dir>', 'folder of playbook YAML files (default: bundled, or PLAYBOOKS_DIR)');
  for (const ext of extensions) ext.configure(command);
  command.action(async (files: string[], raw: Record<string, unknown>) => {
    const opts: DiagnoseCommandOptions = { files, json: raw.json === true, raw };
    if (typeof raw.playbooks === 'string') opts.playbooksDir = raw.playbooks;
    else if (typeof ctx.io.env.PLAYBOOKS_DIR === 'string' && ctx.io.env.PLAYBOOKS_DIR !== '') opts.playbooksDir = ctx.io.env.PLAYBOOKS_DIR;
    if (typeof raw.minConfidence === 'number') opts.minConfidence = raw.minConfidence;
    if (typeof raw.release === 'string') opts.release = raw.release;
    if (typeof raw.namespace === 'string') opts.namespace = raw.namespace;
    ctx.exitCode = Math.max(ctx.exitCode, await runDiagnoseCommand(opts, ctx, extensions));
  });
  return command;
}
