// Pure: pull the facts commands need (release, namespace, resource, field, webhook …) out of normalized,
// redacted text. Explicit helm command lines win over what messages imply; the first sighting wins otherwise.
import type { Facts, HelmVerb, ResourceRef } from './types.js';
import { isShellSafe } from '../model/shell.js';
import { literalPrefilter, type CompiledFactPattern } from '../playbooks/compile.js';
import { findLines, indexLines, type LineIndex, type LiteralHits } from './lines.js';

const VERBS: Record<string, HelmVerb> = {
  install: 'install', upgrade: 'upgrade', rollback: 'rollback', uninstall: 'uninstall', delete: 'uninstall',
  del: 'uninstall', un: 'uninstall', template: 'template', lint: 'lint', test: 'test', status: 'status',
  history: 'history', hist: 'history', get: 'get', pull: 'pull', fetch: 'pull', dependency: 'dependency', dep: 'dependency',
};

// Flags that take a value (the next token unless written --flag=value).
const VALUE_FLAGS = new Set([
  '-n', '--namespace', '-f', '--values', '--set', '--set-string', '--set-file', '--set-json', '--set-literal', '--version',
  '--timeout', '--kube-context', '--kubeconfig', '-o', '--output', '--repo', '--post-renderer', '--post-renderer-args',
  '--description', '--history-max', '--max', '--username', '--password', '--ca-file', '--cert-file', '--key-file',
  '--kube-apiserver', '--kube-token', '--kube-as-user', '--kube-as-group', '--registry-config', '--repository-config',
  '--repository-cache', '--labels', '-l', '--revision', '--name-template', '--api-versions', '-a', '--kube-version',
  '--show-only', '-s', '--output-dir', '--burst-limit', '--qps', '--hide-secret',
]);
// Flags worth reporting: they change what Helm does on failure.
const BOOL_FLAGS = new Set([
  '--force', '--atomic', '--cleanup-on-fail', '--reuse-values', '--reset-values', '--reset-then-reuse-values', '--wait',
  '--wait-for-jobs', '--dry-run', '--install', '--create-namespace', '--no-hooks', '--recreate-pods', '--take-ownership',
  '--rollback-on-failure', '--server-side', '--force-conflicts', '--force-replace', '--keep-history', '--generate-name',
  '--skip-crds', '--disable-openapi-validation', '--debug', '--devel', '--dependency-update', '--render-subchart-notes',
]);
const SHORT_BOOL: Record<string, string> = { '-i': '--install' };

const NAME = '[a-z0-9](?:[a-z0-9.-]{0,251}[a-z0-9])?';

function tokenize(line: string): string[] {
  const tokens: string[] = [];
  const re = /"([^"]{0,4096})"|'([^']{0,4096})'|(\S{1,4096})/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(line)) !== null) tokens.push(m[1] ?? m[2] ?? m[3] ?? '');
  return tokens;
}

interface CommandFacts {
  verb: HelmVerb;
  positionals: string[];
  namespace?: string;
  flags: string[];
  setValues: Record<string, string>;
}

/** Parses one `helm <verb> …` invocation (also after a prompt, `$`, `+`, or inside a CI step). */
export function parseHelmCommand(line: string): CommandFacts | undefined {
  const at = /(?:^|[\s$#>+;&|(`'"])helm3?\s+(?:--?[a-z-]+(?:[= ]\S+)?\s+){0,4}?([a-z]+)\b/.exec(line);
  if (!at || at[1] === undefined) return undefined;
  const verb = VERBS[at[1]];
  if (verb === undefined) return undefined;
  // Chat prose quotes commands as `inline code`: the command ends at the closing backtick, and whatever
  // the sentence says after it (another command's -n) is not part of it.
  let rest = line.slice(at.index + at[0].length);
  const tick = rest.indexOf('`');
  if (tick >= 0) rest = rest.slice(0, tick);
  const tokens = tokenize(rest);
  const out: CommandFacts = { verb, positionals: [], flags: [], setValues: {} };
  for (let i = 0; i < tokens.length; i++) {
    const tok = tokens[i] ?? '';
    if (tok === '\\' || tok === '&&' || tok === '||' || tok === '|' || tok === ';') {
      if (tok === '\\') continue;
      break;
    }
    if (tok.startsWith('-') && tok.length > 1) {
      const eq = tok.indexOf('=');
      const name = eq > 0 ? tok.slice(0, eq) : tok;
      let value: string | undefined = eq > 0 ? tok.slice(eq + 1) : undefined;
      if (VALUE_FLAGS.has(name) && value === undefined) {
        value = tokens[i + 1];
        i++;
      }
      if (name === '-n' || name === '--namespace') {
        if (value !== undefined) out.namespace = value;
      } else if (name.startsWith('--set')) {
        for (const pair of (value ?? '').split(/,(?=[A-Za-z0-9_.[\]-]+=)/)) {
          const e = pair.indexOf('=');
          if (e > 0) out.setValues[pair.slice(0, e)] = pair.slice(e + 1);
        }
      } else {
        const flag = SHORT_BOOL[name] ?? name;
        if (BOOL_FLAGS.has(flag) && !out.flags.includes(flag)) out.flags.push(flag);
      }
      continue;
    }
    out.positionals.push(tok);
  }
  return out;
}

function applyCommand(facts: Facts, cmd: CommandFacts): void {
  facts.verb ??= cmd.verb;
  if (cmd.namespace !== undefined && validName(cmd.namespace)) facts.namespace ??= cmd.namespace;
  if (cmd.flags.length > 0) facts.flags = [...new Set([...(facts.flags ?? []), ...cmd.flags])];
  if (Object.keys(cmd.setValues).length > 0) facts.setValues = { ...cmd.setValues, ...(facts.setValues ?? {}) };
  const [a0, b0] = cmd.positionals;
  // In prose the words after the verb are English, not a release and chart: take neither.
  const a = plausible(a0) ? a0 : undefined;
  const b = a !== undefined && plausible(b0) ? b0 : undefined;
  switch (cmd.verb) {
    case 'install':
    case 'upgrade':
    case 'template':
      if (cmd.flags.includes('--generate-name')) { if (a) facts.chart ??= a; break; }
      // Where the chart should stand, an English word: the sentence goes on ("helm upgrade ran for 10 minutes").
      if (b0 !== undefined && !plausible(b0)) break;
      if (a && validName(a)) facts.release ??= a;
      if (b) facts.chart ??= b;
      break;
    case 'rollback':
      if (a && validName(a)) facts.release ??= a;
      if (b && /^\d{1,6}$/.test(b)) facts.revision ??= Number(b);
      break;
    case 'get':
      if (b && validName(b)) facts.release ??= b;
      break;
    case 'uninstall':
    case 'status':
    case 'history':
    case 'test':
      if (a && validName(a)) facts.release ??= a;
      break;
    default:
      break;
  }
}

// Words that follow `helm upgrade` in prose ("helm upgrade correctly picks up…", "helm delete does not
// remove…") rather than in a command line. A release or chart is never one of these in practice.
const PROSE_WORDS = new Set([
  'a', 'an', 'the', 'this', 'that', 'it', 'its', 'my', 'our', 'your', 'and', 'or', 'but', 'then', 'now', 'also', 'just',
  'still', 'again', 'always', 'never', 'not', 'no', 'does', 'doesnt', 'did', 'didnt', 'do', 'is', 'was', 'are', 'were',
  'will', 'wont', 'would', 'should', 'could', 'can', 'cannot', 'cant', 'has', 'have', 'had', 'works', 'worked', 'fails',
  'failed', 'keeps', 'seems', 'command', 'commands', 'correctly', 'properly', 'successfully', 'fine', 'with', 'without',
  'to', 'on', 'in', 'for', 'of', 'from', 'after', 'before', 'when', 'if', 'because', 'which', 'where', 'how', 'why',
]);

function plausible(name: string | undefined): name is string {
  return name !== undefined && !PROSE_WORDS.has(name.toLowerCase().replace(/'/g, ''));
}

const VALID_NAME = new RegExp(`^${NAME}$`);

function validName(s: string): boolean {
  return VALID_NAME.test(s) && !s.includes('..');
}

function kindOf(raw: string): string {
  // `Deployment.apps` → Deployment; `deployments.apps` stays lowercase plural (as the API printed it).
  const dot = raw.indexOf('.');
  return dot > 0 ? raw.slice(0, dot) : raw;
}

const PLURAL_KIND: Record<string, string> = {
  services: 'Service', deployments: 'Deployment', statefulsets: 'StatefulSet', daemonsets: 'DaemonSet', pods: 'Pod',
  replicasets: 'ReplicaSet', configmaps: 'ConfigMap', secrets: 'Secret', ingresses: 'Ingress', jobs: 'Job',
  cronjobs: 'CronJob', serviceaccounts: 'ServiceAccount', roles: 'Role', rolebindings: 'RoleBinding',
  clusterroles: 'ClusterRole', clusterrolebindings: 'ClusterRoleBinding', persistentvolumeclaims: 'PersistentVolumeClaim',
  namespaces: 'Namespace', customresourcedefinitions: 'CustomResourceDefinition', poddisruptionbudgets: 'PodDisruptionBudget',
  horizontalpodautoscalers: 'HorizontalPodAutoscaler', networkpolicies: 'NetworkPolicy',
};

function kindName(raw: string): string {
  const k = kindOf(raw);
  return PLURAL_KIND[k.toLowerCase()] ?? k;
}

interface LineRule {
  re: RegExp;
  collects?: boolean;
  apply: (m: RegExpExecArray, facts: Facts, resources: ResourceRef[]) => void;
}

const pushResource = (list: ResourceRef[], ref: ResourceRef): void => {
  if (!list.some((r) => r.kind === ref.kind && r.name === ref.name && r.namespace === ref.namespace)) list.push(ref);
};

const LINE_RULES: LineRule[] = [
  // Release named by Helm itself.
  { re: new RegExp(`\\b[Rr]elease "(${NAME})" (?:does not exist|failed|has been|was|is|already)`), apply: (m, f) => { f.release ??= m[1]; } },
  { re: new RegExp(`\\brelease (${NAME}) failed`), apply: (m, f) => { f.release ??= m[1]; } },
  { re: new RegExp(`"(${NAME})" has no deployed releases`), apply: (m, f) => { f.release ??= m[1]; } },
  { re: new RegExp(`[Rr]elease not loaded: (${NAME})`), apply: (m, f) => { f.release ??= m[1]; f.verb ??= 'uninstall'; } },
  { re: new RegExp(`meta\\.helm\\.sh/release-name"? must equal "(${NAME})"`), apply: (m, f) => { f.release ??= m[1]; } },
  { re: new RegExp(`meta\\.helm\\.sh/release-namespace"? must equal "(${NAME})"`), apply: (m, f) => { f.namespace ??= m[1]; } },
  { re: new RegExp(`sh\\.helm\\.release\\.v1\\.(${NAME})\\.v(\\d{1,6})`), apply: (m, f) => { f.release ??= m[1]; } },
  { re: new RegExp(`^NAME:\\s+(${NAME})\\s*$`), apply: (m, f) => { f.release ??= m[1]; } },
  { re: new RegExp(`^NAMESPACE:\\s+(${NAME})\\s*$`), apply: (m, f) => { f.namespace ??= m[1]; } },
  { re: /^REVISION:\s+(\d{1,6})\s*$/, apply: (m, f) => { f.revision ??= Number(m[1]); } },
  { re: /^CHART:\s+(\S{1,200})\s*$/, apply: (m, f) => { f.chart ??= m[1]; } },
  // Verbs from Helm's error prefixes.
  { re: /\bUPGRADE FAILED\b/, apply: (_m, f) => { f.verb ??= 'upgrade'; } },
  { re: /\bINSTALLATION FAILED\b/, apply: (_m, f) => { f.verb ??= 'install'; } },
  { re: /\b(?:ROLLBACK FAILED|[Rr]ollback "[^"]{1,253}" failed|rolling back|[Rr]ollback was)/, apply: (_m, f) => { f.verb ??= 'rollback'; } },
  { re: /\bUNINSTALL(?:ATION)? FAILED\b|\buninstall: /, apply: (_m, f) => { f.verb ??= 'uninstall'; } },
  { re: /\bdue to atomic being set\b|\batomic (?:upgrade|install) failed|\brollback-on-failure\b/, apply: (_m, f) => { addFlag(f, '--atomic'); } },
  // Flux: "Helm upgrade failed for release prod/web with chart web@1.2.3"
  {
    re: new RegExp(`Helm (install|upgrade|rollback|uninstall|test) failed for release (${NAME})/(${NAME})(?: with chart (\\S{1,200}?)(?:@[\\w.+-]{1,64})?[:\\s])?`),
    apply: (m, f) => { f.verb ??= VERBS[m[1] ?? ''] ?? f.verb; f.namespace ??= m[2]; f.release ??= m[3]; if (m[4]) f.chart ??= m[4]; },
  },
  { re: new RegExp(`\\bHelmRelease[/ ]"?(${NAME})/(${NAME})\\b`), apply: (m, f) => { f.namespace ??= m[1]; f.release ??= m[2]; } },
  { re: new RegExp(`"helmrelease":\\{"name":"(${NAME})","namespace":"(${NAME})"`, 'i'), apply: (m, f) => { f.release ??= m[1]; f.namespace ??= m[2]; } },
  // Terraform: helm_release.web
  { re: /\bhelm_release\.([a-z0-9_-]{1,63})\b/, apply: (m, f) => { const r = (m[1] ?? '').replace(/_/g, '-'); if (validName(r)) f.release ??= r; } },
  // The failing resource.
  {
    re: /\b([A-Z][A-Za-z0-9]{1,62}(?:\.[a-z0-9.-]{1,120})?) "([^"\s]{1,253})" is (?:invalid|forbidden)/,
    apply: (m, f, rs) => { const ref = { kind: kindName(m[1] ?? ''), name: m[2] ?? '' }; f.resource ??= ref; pushResource(rs, ref); },
  },
  {
    re: /\b([a-z][a-z0-9]{1,62}(?:\.[a-z0-9.-]{1,120})?) "([^"\s]{1,253})" is (?:invalid|forbidden)/,
    apply: (m, f, rs) => { const ref = { kind: kindName(m[1] ?? ''), name: m[2] ?? '' }; f.resource ??= ref; pushResource(rs, ref); },
  },
  {
    re: /\b([A-Z][A-Za-z0-9]{1,62}) "([^"\s]{1,253})" in namespace "([^"\s]{1,63})" exists and cannot be imported/,
    apply: (m, f, rs) => { const ref = { kind: m[1] ?? '', name: m[2] ?? '', namespace: m[3] ?? '' }; f.resource ??= ref; f.namespace ??= m[3]; pushResource(rs, ref); },
  },
  {
    re: /\bfailed to (?:create|replace|patch|update) (?:resource|object)?:? ?([A-Z][A-Za-z0-9]{1,62}(?:\.[a-z0-9.-]{1,120})?) "([^"\s]{1,253})"/,
    apply: (m, f, rs) => { const ref = { kind: kindName(m[1] ?? ''), name: m[2] ?? '' }; f.resource ??= ref; pushResource(rs, ref); },
  },
  // Helm 4's status waiter names the object it waited for as Kind/namespace/name.
  {
    re: new RegExp(`\\bresource ([A-Z][A-Za-z0-9]{1,62})/(${NAME})/(${NAME}) not ready\\b`),
    apply: (m, f, rs) => { const ref = { kind: m[1] ?? '', name: m[3] ?? '', namespace: m[2] ?? '' }; f.resource ??= ref; f.namespace ??= m[2]; pushResource(rs, ref); },
  },
  // Cleanup noise: every resource Helm tried to delete.
  {
    collects: true,
    re: /"([^"\s]{1,253})" (?:\/?[a-z0-9.-]{0,120}\/)?(?:v\d\w{0,12}, )?[Kk]ind=([A-Za-z0-9]{1,63})[^:]{0,40}: (?:[a-z.]{1,120} "[^"]{1,253}" )?not found/,
    apply: (m, _f, rs) => { pushResource(rs, { kind: m[2] ?? '', name: m[1] ?? '' }); },
  },
  {
    collects: true,
    re: /\b([a-z][a-z0-9.]{1,120}) "([^"\s]{1,253})" not found,? (?:skipping delete|ignoring)/i,
    apply: (m, _f, rs) => { pushResource(rs, { kind: kindName(m[1] ?? ''), name: m[2] ?? '' }); },
  },
  {
    collects: true,
    re: /\b(?:([A-Za-z]{2,63})\/)?([a-z0-9][a-z0-9.-]{0,252}): object not found, skipping delete/,
    apply: (m, _f, rs) => { pushResource(rs, { kind: m[1] ? kindName(m[1]) : 'unknown', name: m[2] ?? '' }); },
  },
  {
    collects: true,
    re: /\bStarting delete for "([^"\s]{1,253})" ([A-Z][A-Za-z0-9]{1,62})\b/,
    apply: (m, _f, rs) => { pushResource(rs, { kind: m[2] ?? '', name: m[1] ?? '' }); },
  },
  // Field path of a validation error.
  {
    re: /\b((?:spec|metadata|data|status|template|rules|subjects|webhooks)(?:\.[A-Za-z0-9_[\]-]{1,80}){0,12}): (?:Invalid value|Forbidden|Required value|Unsupported value|Duplicate value|Too many|Not found|Too long)/,
    apply: (m, f) => { f.field ??= m[1]; },
  },
  // Webhooks.
  { re: /failed calling webhook "([^"\s]{1,253})"/, apply: (m, f) => { f.webhook ??= m[1]; } },
  { re: /(?:admission )?webhook "([^"\s]{1,253})" (?:denied|does not support|failed)/, apply: (m, f) => { f.webhook ??= m[1]; } },
  { re: /https:\/\/([a-z0-9][a-z0-9-]{0,62})\.([a-z0-9][a-z0-9-]{0,62})\.svc(?:\.cluster\.local)?(?::\d{1,5})?\//, apply: (m, f) => { f.webhookService ??= `${m[2]}/${m[1]}`; } },
  { re: /\bservice "([a-z0-9][a-z0-9-]{0,62})\/([a-z0-9][a-z0-9-]{0,62})" not found/, apply: (m, f) => { f.webhookService ??= `${m[1]}/${m[2]}`; } },
  { re: /conversion webhook for ([a-z0-9.-]{1,253}\/[a-z0-9]{1,20}, Kind=[A-Za-z0-9]{1,63})/, apply: (m, f) => { f.webhook ??= m[1]; } },
  // Kinds and API versions.
  {
    re: /no matches for kind "([A-Za-z0-9]{1,63})" in version "([a-z0-9./-]{1,120})"/,
    apply: (m, f) => { f.kind ??= m[1]; f.apiVersion ??= m[2]; },
  },
  {
    re: /resource mapping not found for name: "([^"\s]{1,253})" namespace: "([^"\s]{0,63})"/,
    apply: (m, f, rs) => { if (m[2]) f.namespace ??= m[2]; pushResource(rs, { kind: 'unknown', name: m[1] ?? '' }); },
  },
  // Namespaces named by the API server.
  { re: new RegExp(`\\bin (?:the )?namespace "(${NAME})"`), apply: (m, f) => { f.namespace ??= m[1]; } },
  { re: new RegExp(`\\bnamespaces? "(${NAME})" (?:not found|is being terminated)`), apply: (m, f) => { f.namespace ??= m[1]; } },
  // Kubernetes version.
  {
    re: /\b(?:server version|kubernetes version|kubernetes|gitversion|kube-?version|k8s|eks|aks|gke)["':\s]{0,4}v?(1\.\d{1,2}(?:\.\d{1,3})?)\b/i,
    apply: (m, f) => { f.kubeVersion ??= m[1]; },
  },
  // Images.
  { re: /\bimage:\s{0,4}["']?([a-z0-9][a-z0-9._/-]{0,200}(?::[A-Za-z0-9._-]{1,128})?(?:@sha256:[a-f0-9]{64})?)["']?\s*$/, apply: (m, f) => { f.image ??= m[1]; } },
  { re: /\b(?:pulling|pull|[Ii]mage) image "([^"\s]{1,300})"/, apply: (m, f) => { f.image ??= m[1]; } },
  { re: /\b[Ii]mage "([^"\s]{1,300})"/, apply: (m, f) => { f.image ??= m[1]; } },
];

function addFlag(f: Facts, flag: string): void {
  const flags = f.flags ?? [];
  if (!flags.includes(flag)) flags.push(flag);
  f.flags = flags;
}

interface PreparedRule extends LineRule {
  literals: string[] | undefined;
  /** More literal sets each match needs one of (conjunctLiterals): narrow the candidate lines from the scan. */
  conjuncts: string[][] | undefined;
  /** Resource rules collect every hit; the others need only the first. */
  limit: number;
}

// Literals computed once from each rule's own source, so a rule visits only lines that can match.
const PREPARED: PreparedRule[] = LINE_RULES.map((rule) => ({
  ...rule,
  ...literalPrefilter(rule.re.source),
  limit: rule.collects === true ? 200 : 1,
}));

const HELM_LITERALS = ['helm'];

export function extractFacts(text: string, index: LineIndex = indexLines(text), scanned?: LiteralHits): Facts {
  const facts: Facts = {};
  const resources: ResourceRef[] = [];
  // Pass 1: helm command lines (most explicit); the last failing one wins, diagnostic ones rank below it.
  const commands: CommandFacts[] = [];
  for (const idx of findLines(index, HELM_LITERALS, (line) => COMMAND_HINT.test(line), 50, scanned)) {
    const cmd = parseHelmCommand(index.line(idx));
    if (cmd && cmd.verb !== 'get' && cmd.verb !== 'history' && cmd.verb !== 'status') commands.push(cmd);
    else if (cmd) commands.unshift(cmd);
  }
  for (let i = commands.length - 1; i >= 0; i--) {
    const cmd = commands[i];
    if (cmd) applyCommand(facts, cmd);
  }
  // Pass 2: messages, in rule order (earlier rules are more specific).
  const plan = scanned?.plan(PREPARED);
  for (let i = 0; i < PREPARED.length; i++) {
    const rule = PREPARED[i]!;
    const lines = plan === undefined ? undefined : scanned?.planned(plan, i);
    if (lines === undefined) {
      findLines(index, rule.literals, (line) => applyRule(rule, line, facts, resources), rule.limit, scanned);
      continue;
    }
    let n = 0;
    for (const idx of lines) if (applyRule(rule, index.line(idx), facts, resources) && ++n >= rule.limit) break;
  }
  if (resources.length > 0) facts.resources = resources;
  if (facts.setValues) {
    const image = facts.setValues['image.tag'] ?? facts.setValues['image'];
    if (image !== undefined && facts.image === undefined && isShellSafe(image)) facts.image = image;
  }
  return facts;
}

const COMMAND_HINT = /\bhelm3?\s/;

/** True when the rule matches the line; its facts are taken then. */
function applyRule(rule: PreparedRule, line: string, facts: Facts, resources: ResourceRef[]): boolean {
  const found = rule.re.exec(line);
  if (found) rule.apply(found, facts, resources);
  return found !== null;
}

/**
 * The diagnosed playbook's own fact patterns (playbooks/*.yaml `factPatterns`): each fills its fact from
 * the first line it matches, only where nothing else (extractor, explicit overrides) did.
 */
export function withPlaybookFacts(facts: Facts, patterns: readonly CompiledFactPattern[], index: LineIndex): Facts {
  if (patterns.length === 0) return facts;
  const out: Facts = { ...facts };
  for (const p of patterns) {
    if (out[p.fact] !== undefined) continue;
    findLines(index, p.literals, (line) => {
      const value = p.regex.exec(line)?.[1]?.trim().slice(0, 253);
      if (value === undefined || value === '') return false;
      out[p.fact] = value;
      return true;
    }, 1);
  }
  return out;
}


/** Every literal the fact rules look for, for a shared one-pass scan. */
export function factLiterals(): string[] {
  return [...HELM_LITERALS, ...PREPARED.flatMap((r) => [...(r.literals ?? []), ...(r.conjuncts ?? []).flat()])];
}

/** For tests and tuning: each message rule's source and the literals that prefilter it. */
export function factRuleLiterals(): Array<{ source: string; literals: string[] | undefined }> {
  return PREPARED.map((r) => ({ source: r.re.source, literals: r.literals }));
}
