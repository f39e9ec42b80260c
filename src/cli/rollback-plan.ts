// `helm-triage rollback-plan RELEASE [REVISION] [-n NS] [--context C] [--kubeconfig F] [--force] [--json]`:
// what `helm rollback` would run into, read-only against the cluster, and the command to run (never run).
// Exit codes as the other commands: 0 a plan (whatever its verdict), 2 usage errors, 1 no plan could be
// made (cannot-plan, or the cluster could not be read).
import type { Command } from 'commander';
import { UsageError } from '../errors.js';
import type { KubeAccessOptions } from '../kube/config.js';
import type { RollbackRequest } from '../model/rollback.js';
import type { CliContext } from './context.js';
import { wantsColor } from './io.js';

export const DEFAULT_PLAN_TIMEOUT_SECONDS = 30;

const NAMESPACE = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

export function parseRevision(raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (!/^\d+$/.test(raw) || !Number.isSafeInteger(n) || n < 1) throw new UsageError(`REVISION must be a revision number (1, 2, …) as helm history shows it, got "${raw.slice(0, 40)}"`);
  return n;
}

function parseNamespace(raw: unknown, fromContext: string | undefined): string {
  const ns = typeof raw === 'string' ? raw : fromContext ?? 'default';
  if (ns.length > 63 || !NAMESPACE.test(ns)) throw new UsageError(`-n must be a namespace name (lowercase letters, digits and -, at most 63), got "${ns.slice(0, 70)}"`);
  return ns;
}

function parseTimeout(raw: unknown): number {
  if (raw === undefined) return DEFAULT_PLAN_TIMEOUT_SECONDS;
  const n = Number(raw);
  if (!Number.isFinite(n) || n <= 0 || n > 600) throw new UsageError(`--timeout must be a number of seconds from 1 to 600, got "${String(raw)}"`);
  return n;
}

export function registerRollbackPlan(program: Command, ctx: CliContext): Command {
  return program
    .command('rollback-plan')
    .description('predict what `helm rollback` would run into, read-only, and print the command to run (never runs it)')
    .argument('<release>', 'Helm release name')
    .argument('[revision]', 'revision to roll back to (default: the last deployed or superseded one before the current)')
    .option('-n, --namespace <namespace>', "release namespace (default: the kubeconfig context's, else default)")
    .option('--context <name>', 'kubeconfig context (default: current context)')
    .option('--kubeconfig <file>', 'kubeconfig file (default: $KUBECONFIG, ~/.kube/config, in-cluster)')
    .option('--force', 'plan `helm rollback --force` (kept in the command only where it is safe)', false)
    .option('--timeout <seconds>', `deadline for the whole plan (default ${DEFAULT_PLAN_TIMEOUT_SECONDS})`)
    .option('--json', 'print the RollbackPlan as JSON', false)
    .action(async (release: string, revision: string | undefined, raw: Record<string, unknown>) => {
      const access: KubeAccessOptions = { env: ctx.io.env };
      if (typeof raw['kubeconfig'] === 'string') access.kubeconfigPath = raw['kubeconfig'];
      if (typeof raw['context'] === 'string') access.context = raw['context'];
      // The kube client, the planner and the renderer load when the command runs: other commands start without them.
      // One reading of the kubeconfig gives the context's namespace (helm's default without -n) and the client.
      const cluster = (await import('../kube/config.js')).openCluster(access);
      const request: RollbackRequest = { release, namespace: parseNamespace(raw['namespace'], cluster.namespace) };
      const rev = parseRevision(revision);
      if (rev !== undefined) request.revision = rev;
      if (typeof raw['context'] === 'string') request.context = raw['context'];
      if (raw['force'] === true) request.force = true;
      const timeout = parseTimeout(raw['timeout']);
      const [{ planRollback }, { renderRollbackText }] = await Promise.all([import('../rollback/plan.js'), import('../render/rollback-text.js')]);
      const plan = await planRollback(cluster.kube(), request, { signal: AbortSignal.timeout(timeout * 1000) });
      ctx.io.stdout(raw['json'] === true ? `${JSON.stringify(plan, null, 2)}\n` : renderRollbackText(plan, { color: wantsColor(ctx.io) }));
      ctx.exitCode = Math.max(ctx.exitCode, plan.verdict.kind === 'cannot-plan' ? 1 : 0);
    });
}
