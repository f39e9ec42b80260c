// Pure: a rollback plan as terminal text (`helm-triage rollback-plan`). Verdict first, then the
// predictions worst first with their evidence and the fix to apply first, then the diff collapsed to
// counts and changed paths, then the command (shown, never run). Colour codes only when asked.
import { describeKey, type ChangeKind, type ObjectChange, type Prediction, type RollbackPlan } from '../model/rollback.js';
import type { RenderedCommand } from '../triage/types.js';

export interface RollbackTextOptions {
  color?: boolean;
}

/** Changed objects listed with their paths at most; paths listed per object at most. */
export const OBJECTS_SHOWN = 15;
export const PATHS_SHOWN = 6;
export const EVIDENCE_SHOWN = 6;

type Style = (s: string) => string;

function styles(color: boolean): { bold: Style; dim: Style; red: Style; green: Style; yellow: Style; cyan: Style } {
  const wrap = (open: number, close: number): Style => (s) => (color ? `\x1b[${open}m${s}\x1b[${close}m` : s);
  return { bold: wrap(1, 22), dim: wrap(2, 22), red: wrap(31, 39), green: wrap(32, 39), yellow: wrap(33, 39), cyan: wrap(36, 39) };
}

const VERDICT_LABEL: Record<RollbackPlan['verdict']['kind'], string> = {
  safe: 'SAFE',
  'will-fail': 'WILL FAIL',
  'needs-care': 'NEEDS CARE',
  'cannot-plan': 'CANNOT PLAN',
};

function commandLines(c: RenderedCommand, s: ReturnType<typeof styles>, pad: string): string[] {
  const note = c.effect === 'changes-cluster' ? s.yellow(`changes the cluster — risk: ${c.risk ?? 'not stated'}`) : s.dim('read-only');
  return [`${pad}${c.description ? `${c.description} ` : ''}(${note})`, `${pad}  $ ${s.cyan(c.command)}`];
}

function predictionLines(p: Prediction, s: ReturnType<typeof styles>): string[] {
  const mark = p.severity === 'will-fail' ? s.red('[will fail]  ') : s.yellow('[needs care] ');
  const out = [`  ${mark}${s.bold(p.kind)}: ${p.summary}`];
  for (const e of p.evidence.slice(0, EVIDENCE_SHOWN)) out.push(`      ${s.dim(e)}`);
  if (p.evidence.length > EVIDENCE_SHOWN) out.push(`      ${s.dim(`… ${p.evidence.length - EVIDENCE_SHOWN} more (see --json)`)}`);
  if (p.fixFirst.length > 0) {
    out.push(`      ${s.bold('fix first:')}`);
    for (const c of p.fixFirst) out.push(...commandLines(c, s, '        '));
  }
  return out;
}

export function renderRollbackText(plan: RollbackPlan, options: RollbackTextOptions = {}): string {
  const s = styles(options.color === true);
  const tone = plan.verdict.kind === 'safe' ? s.green : plan.verdict.kind === 'will-fail' ? s.red : s.yellow;
  const { release, namespace } = plan.request;
  const out: string[] = [];
  const revisions = plan.current && plan.target
    ? ` revision ${plan.current.revision} (${plan.current.chart}, ${plan.current.status}) → ${plan.target.revision} (${plan.target.chart}, ${plan.target.status})`
    : '';
  out.push(`${s.bold('Rollback plan')} ${release} -n ${namespace}${revisions}`);
  out.push(`${s.bold('Verdict:')} ${tone(VERDICT_LABEL[plan.verdict.kind])}  ${plan.verdict.summary}`);

  if (plan.predictions.length > 0) {
    out.push('', s.bold('Predictions (worst first)'));
    for (const p of plan.predictions) out.push(...predictionLines(p, s));
  }

  const d = plan.diff;
  if (d) {
    const by: Record<ChangeKind, ObjectChange[]> = { changed: [], added: [], removed: [] };
    for (const o of d.objects) by[o.change].push(o);
    out.push('', s.bold('Diff'));
    out.push(`  chart ${d.chart.from} → ${d.chart.to}${d.appVersion.from !== d.appVersion.to ? `, appVersion ${d.appVersion.from ?? '(none)'} → ${d.appVersion.to ?? '(none)'}` : ''}`);
    out.push(`  objects: ${by.changed.length} changed, ${by.added.length} added (only the target has them), ${by.removed.length} removed (the rollback deletes them), ${d.unchanged} unchanged`);
    const changed = by.changed;
    for (const o of changed.slice(0, OBJECTS_SHOWN)) {
      const paths = o.fields.slice(0, PATHS_SHOWN).map((f) => f.path);
      const rest = o.fields.length > PATHS_SHOWN ? `, … ${o.fields.length - PATHS_SHOWN} more` : '';
      out.push(`    ~ ${describeKey(o.object)}: ${paths.join(', ')}${rest}`);
    }
    if (changed.length > OBJECTS_SHOWN) out.push(`    ${s.dim(`… ${changed.length - OBJECTS_SHOWN} more changed objects (see --json)`)}`);
    for (const k of ['added', 'removed'] as const) {
      const list = by[k];
      if (list.length === 0) continue;
      const names = list.slice(0, OBJECTS_SHOWN).map((o) => describeKey(o.object)).join(', ');
      out.push(`    ${k === 'added' ? '+' : '-'} ${names}${list.length > OBJECTS_SHOWN ? `, … ${list.length - OBJECTS_SHOWN} more` : ''}`);
    }
    const values = d.values.changes;
    out.push(`  user-supplied values: ${values.length === 0 ? 'the same' : `${values.length} path(s) differ`}`);
    for (const v of values.slice(0, OBJECTS_SHOWN)) out.push(`    ${v.path}: ${v.from ?? '(absent)'} → ${v.to ?? '(absent)'}`);
    if (values.length > OBJECTS_SHOWN) out.push(`    ${s.dim(`… ${values.length - OBJECTS_SHOWN} more (see --json)`)}`);
  }

  if (plan.notes.length > 0) {
    out.push('', s.bold('Notes'));
    for (const n of plan.notes) out.push(`  - ${n}`);
  }

  if (plan.command) {
    out.push('', s.bold('Command (not run)'));
    out.push(...commandLines(plan.command, s, '  '));
  }
  out.push('', s.dim(`${plan.requests} read-only API requests`));
  return `${out.join('\n')}\n`;
}
