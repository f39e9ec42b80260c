// One check = a gathering half (reads the cluster) and a pure judging half (decides from what was read).
// Tests drive `judge` with tables; only the scenario tests go through a cluster.
import type { Facts } from '../triage/types.js';
import type { Check, CheckContext, Finding } from './types.js';

/** A finding before the check id is stamped on it. */
export type Judgement = Omit<Finding, 'check' | 'decisive'>;

export interface CheckSpec<G> {
  id: string;
  description: string;
  permissions: string[];
  /** A decisive check alone can confirm or refute its playbook (see src/triage/verdict.ts). */
  decisive?: boolean;
  gather(ctx: CheckContext): Promise<G>;
  judge(gathered: G, facts: Facts, now: Date): Judgement;
}

export interface DefinedCheck<G> extends Check {
  gather(ctx: CheckContext): Promise<G>;
  judge(gathered: G, facts: Facts, now: Date): Finding;
}

export function defineCheck<G>(spec: CheckSpec<G>): DefinedCheck<G> {
  const stamp = (j: Judgement): Finding => ({ check: spec.id, ...j, ...(spec.decisive ? { decisive: true } : {}) });
  const judge = (gathered: G, facts: Facts, now: Date): Finding => stamp(spec.judge(gathered, facts, now));
  return {
    id: spec.id,
    description: spec.description,
    permissions: spec.permissions,
    ...(spec.decisive ? { decisive: true } : {}),
    gather: spec.gather,
    judge,
    async run(ctx: CheckContext): Promise<Finding> {
      return judge(await spec.gather(ctx), ctx.facts, ctx.now);
    },
  };
}
