// Pure: the predictions → one verdict (safe / will-fail / needs-care) and the exact command to run,
// `helm rollback RELEASE REVISION -n NAMESPACE`, with `--force` only when the user asked for it and
// nothing predicted depends on it, and its risk in one line. The command is shown, never run.
import { describeKey, type Prediction, type RollbackPlan, type RollbackRequest } from '../model/rollback.js';
import type { RenderedCommand } from '../triage/types.js';
import { helmRollback } from './commands.js';
import { byWorstFirst } from './predict.js';

export interface VerdictInput {
  request: RollbackRequest;
  currentRevision: number;
  targetRevision: number;
  /** `name-version` of the target's chart. */
  targetChart: string;
  predictions: readonly Prediction[];
  /** What could not be read, so some predictions were not made ("live Secrets in shop: forbidden"). */
  gaps: readonly string[];
}

export type VerdictOutput = Pick<RollbackPlan, 'verdict' | 'command'>;

function more(n: number): string {
  return n > 0 ? ` (and ${n} more)` : '';
}

export function rollbackCommand(request: RollbackRequest, revision: number, force: boolean): RenderedCommand {
  const missing: string[] = [];
  return {
    command: helmRollback(request.release, request.namespace, revision, force, missing),
    effect: 'changes-cluster',
    ...(missing.length > 0 ? { missing } : {}),
  };
}

export function decideRollback(input: VerdictInput): VerdictOutput {
  const sorted = [...input.predictions].sort(byWorstFirst);
  const failing = sorted.filter((p) => p.severity === 'will-fail');
  const care = sorted.filter((p) => p.severity === 'needs-care');
  const forceHurts = sorted.filter((p) => p.onlyWithForce === true);
  const force = input.request.force === true && forceHurts.length === 0;
  const droppedForce = input.request.force === true && !force;
  const base = rollbackCommand(input.request, input.targetRevision, force);
  const target = `revision ${input.targetRevision} (${input.targetChart})`;
  const hurt = forceHurts[0]?.object;
  const noForce = droppedForce ? `without --force, which would fail${hurt ? ` on ${describeKey(hurt)}` : ''}; ` : '';

  if (failing[0]) {
    const first = failing[0];
    // Failures that only --force causes are avoided by the command itself: say so rather than "will fail".
    const avoided = failing.every((p) => p.onlyWithForce === true);
    return {
      verdict: {
        kind: 'will-fail',
        summary: `will fail${avoided ? ' with --force' : ''}: ${first.summary}${more(failing.length - 1)}`,
      },
      command: {
        ...base,
        description: avoided ? `the rollback without --force, which avoids it` : `only once the fix${failing.length > 1 ? 'es' : ''} above ${failing.length > 1 ? 'are' : 'is'} applied`,
        risk: avoided
          ? `${noForce}applies ${target}'s manifests and values`
          : `${noForce}predicted to fail as it stands: ${first.summary}`,
      },
    };
  }
  if (care[0] || input.gaps.length > 0) {
    const first = care[0];
    const summary = first
      ? `needs care: ${first.summary}${more(care.length - 1)}`
      : `needs care: not everything could be read, so some predictions were not made (${input.gaps[0] ?? ''}${input.gaps.length > 1 ? `; and ${input.gaps.length - 1} more` : ''})`;
    return {
      verdict: { kind: 'needs-care', summary },
      command: { ...base, description: `rolls back to ${target}`, risk: `${noForce}${first ? first.summary : `unchecked: ${input.gaps[0] ?? ''}`}` },
    };
  }
  return {
    verdict: { kind: 'safe', summary: `safe to roll back to ${target}: nothing predicted to fail or to need care` },
    command: { ...base, description: `rolls back to ${target}`, risk: `${noForce}applies ${target}'s manifests and values over revision ${input.currentRevision}` },
  };
}
