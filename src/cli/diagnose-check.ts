// `diagnose --check [--context C] [--kubeconfig F]`: verify the text diagnosis read-only against a
// cluster, in process; with `--via-queue --cluster NAME`, through the queue by that cluster's agent
// (src/cli/diagnose-via-queue.ts). Plugs into the diagnose command as a DiagnoseExtension.
import type { Command } from 'commander';
import type { TriageWithChecks } from '../checks/triage-with-checks.js';
import { UsageError } from '../errors.js';
import type { ClusterAccess, KubeAccessOptions } from '../kube/config.js';
import { renderText } from '../render/text.js';
import { renderChecksText } from '../render/checks-text.js';
import type { CliContext } from './context.js';
import { wantsColor } from './io.js';
import { diagnosisJson } from '../render/json.js';
import { DEFAULT_PREFIX } from '../queue/names.js';
import { checkPlanFor } from '../queue/check-job.js';
import type { PlaybookSet } from '../playbooks/load.js';
import { adoptVerdict } from '../triage/verdict.js';
import { adoptedFields, adoptedText } from './adopted.js';
import { factOverrides, type DiagnoseCommandOptions, type DiagnoseEnrichment, type DiagnoseExtension } from './diagnose.js';

export const DEFAULT_CHECK_TIMEOUT_SECONDS = 10;
export const DEFAULT_TRIAGE_DEADLINE_SECONDS = 30;

function seconds(raw: unknown, flag: string, fallback: number): number {
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n) || n <= 0 || n > 600) throw new UsageError(`${flag} must be a number of seconds from 1 to 600, got "${String(raw)}"`);
  return n;
}

// client-node is loaded only when --check runs: plain `diagnose` stays quick to start. One reading of the
// kubeconfig gives the client and the context's namespace.
const loadCluster = async (o: KubeAccessOptions): Promise<ClusterAccess> => (await import('../kube/config.js')).openCluster(o);

export function checkExtension(): DiagnoseExtension {
  return {
    configure(command: Command): void {
      command
        .option('--check', 'verify the diagnosis against the cluster with read-only checks', false)
        .option('--context <name>', 'kubeconfig context for --check (default: current context)')
        .option('--kubeconfig <file>', 'kubeconfig file for --check (default: $KUBECONFIG, ~/.kube/config, in-cluster)')
        .option('--check-timeout <seconds>', `per-check deadline for --check (default ${DEFAULT_CHECK_TIMEOUT_SECONDS})`)
        .option('--via-queue', 'with --check: send the checks through Redis (REDIS_URL) to the agent of --cluster and wait for its answer', false)
        .option('--cluster <name>', 'cluster whose agent answers --via-queue (its CLUSTER_NAME)')
        .option('--queue-prefix <prefix>', `Redis key prefix for --via-queue, as the agents use it (default: $QUEUE_PREFIX or ${DEFAULT_PREFIX})`);
    },
    async enrich(diagnosis, options: DiagnoseCommandOptions, ctx: CliContext, playbooks): Promise<DiagnoseEnrichment | undefined> {
      const raw = options.raw;
      if (raw['check'] !== true) {
        if (raw['context'] !== undefined || raw['kubeconfig'] !== undefined) throw new UsageError('--context and --kubeconfig only apply with --check');
        if (raw['viaQueue'] === true || raw['cluster'] !== undefined || raw['queuePrefix'] !== undefined) {
          throw new UsageError('--via-queue, --cluster and --queue-prefix only apply with --check: add --check');
        }
        return undefined;
      }
      const deadline = seconds(ctx.io.env['CHECK_DEADLINE_SECONDS'], 'CHECK_DEADLINE_SECONDS', DEFAULT_TRIAGE_DEADLINE_SECONDS);
      if (raw['viaQueue'] === true) {
        const { checkViaQueue, nothingToCheck, viaQueueEnrichment, viaQueueOptions } = await import('./diagnose-via-queue.js');
        const via = viaQueueOptions(raw, ctx.io.env, { deadlineSeconds: deadline, overrides: factOverrides(options) });
        const plan = checkPlanFor(diagnosis, playbooks);
        if (plan === null) return nothingToCheck(diagnosis, ctx, playbooks);
        return viaQueueEnrichment(diagnosis, await checkViaQueue(diagnosis, plan, via), ctx, playbooks);
      }
      if (raw['cluster'] !== undefined || raw['queuePrefix'] !== undefined) throw new UsageError('--cluster and --queue-prefix only apply with --via-queue');
      const access: KubeAccessOptions = { env: ctx.io.env };
      if (typeof raw['kubeconfig'] === 'string') access.kubeconfigPath = raw['kubeconfig'];
      if (typeof raw['context'] === 'string') access.context = raw['context'];
      // Loaded with --check only: the checks and their registry are not part of a text diagnosis.
      const [cluster, { diagnoseWithChecks }] = await Promise.all([loadCluster(access), import('../checks/triage-with-checks.js')]);
      const kube = cluster.kube();
      const perCheck = seconds(raw['checkTimeout'], '--check-timeout', DEFAULT_CHECK_TIMEOUT_SECONDS);
      // Without -n and with no namespace in the paste, the namespace the user's helm ran in: the context's.
      const overrides = factOverrides(options);
      let made: typeof diagnosis | undefined = diagnosis;
      if (overrides.namespace === undefined && diagnosis.facts.namespace === undefined) {
        // The checks then diagnose again with it, so their facts and commands carry it.
        if (cluster.namespace !== undefined) [overrides.namespace, made] = [cluster.namespace, undefined];
      }
      // The diagnosis holds the normalized, redacted text: the raw paste never travels further.
      const result = await diagnoseWithChecks({
        text: diagnosis.text,
        ...(made ? { diagnosis: made } : {}),
        playbooks,
        kube,
        signal: AbortSignal.timeout(Math.max(deadline, perCheck) * 1000),
        overrides,
        perCheckTimeoutMs: perCheck * 1000,
      });
      return enrichment(result, ctx, playbooks);
    },
  };
}

function enrichment(r: TriageWithChecks, ctx: CliContext, playbooks: PlaybookSet): DiagnoseEnrichment {
  const fromRecord = r.source.kind === 'release-record';
  // When the error came from the release record, that diagnosis replaces the text-only one.
  const { input: _input, ...replaced } = fromRecord ? diagnosisJson(r.diagnosis) : {};
  void _input;
  const color = wantsColor(ctx.io);
  // When the cluster confirmed another candidate than the text's (or the text abstained), that one.
  const adopted = adoptVerdict(r.diagnosis, r.verdict, playbooks);
  const text = (fromRecord ? `\n${renderText(r.diagnosis, { color, heading: 'Diagnosis of the error stored in the release' })}` : '')
    + adoptedText(r.diagnosis, adopted, color)
    + renderChecksText(r.verdict, r.findings, r.source, { color });
  return { fields: { ...replaced, ...adoptedFields(r.diagnosis, adopted), findings: r.findings, verdict: r.verdict, source: r.source }, text };
}
