import { z } from 'zod';

// The shape of one playbooks/*.yaml file. Parsed with zod at load; a broken file is named with its field.

export const PLAYBOOK_ID = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

export const signalSchema = z.object({
  /** Short stable name, shown as evidence; defaults to the pattern. */
  id: z.string().optional(),
  /** JavaScript regex source, matched case-insensitively per line of normalized text; vetted linear at load. */
  pattern: z.string().min(3),
  /** Contribution to the score; negative weights are vetoes that pull the score down. */
  weight: z.number().min(-1).max(1),
});

export const commandSchema = z.object({
  run: z.string().min(1),
  description: z.string().optional(),
  effect: z.enum(['read-only', 'changes-cluster']),
  /** One line; required when the command changes the cluster. */
  risk: z.string().optional(),
}).refine((c) => c.effect === 'read-only' || (c.risk !== undefined && c.risk.length > 0), {
  message: 'a changes-cluster command needs a one-line risk',
  path: ['risk'],
});

export const exampleSchema = z.object({
  name: z.string().optional(),
  input: z.string(),
  /** Expected primary playbook id, or null when the engine must abstain. */
  expect: z.string().nullable(),
});

export const FACT_NAMES = [
  'verb', 'release', 'namespace', 'chart', 'revision', 'resource', 'resources', 'field', 'webhook',
  'webhookService', 'apiVersion', 'kind', 'kubeVersion', 'flags', 'setValues', 'image',
] as const;

/** Facts a playbook's own patterns may fill (text facts; the extractor's lists and numbers stay its own). */
export const PATTERN_FACT_NAMES = [
  'release', 'namespace', 'chart', 'field', 'webhook', 'webhookService', 'apiVersion', 'kind', 'kubeVersion', 'image',
] as const;

export const factPatternSchema = z.object({
  fact: z.enum(PATTERN_FACT_NAMES),
  /** JavaScript regex source like a signal's (vetted linear at load); its first capture group is the value. */
  pattern: z.string().min(3),
});

export const playbookSchema = z.object({
  id: z.string().regex(PLAYBOOK_ID, 'lowercase words joined by -'),
  title: z.string().min(3),
  /** One sentence for lists and search. */
  summary: z.string().min(3),
  /** Marks a playbook that describes noise around another error (e.g. cleanup messages). */
  noise: z.boolean().default(false),
  signals: z.array(signalSchema).min(1),
  facts: z.array(z.enum(FACT_NAMES)).default([]),
  /** What this playbook's errors carry that the extractor does not know (e.g. an invalid release name). */
  factPatterns: z.array(factPatternSchema).default([]),
  checks: z.array(z.string().regex(PLAYBOOK_ID)).default([]),
  rootCause: z.string().min(10),
  commands: z.array(commandSchema).default([]),
  /** Runbook markdown: Meaning / Impact / Diagnosis / Mitigation. */
  runbook: z.string().min(10),
  references: z.array(z.url()).default([]),
  examples: z.array(exampleSchema).min(1),
});

export type PlaybookSource = z.input<typeof playbookSchema>;
export type Playbook = z.output<typeof playbookSchema>;
export type PlaybookCommand = z.output<typeof commandSchema>;
export type Signal = z.output<typeof signalSchema>;

/**
 * A lookalike: a kind of text that is not a Helm failure but is easily taken for one (a wrapping tool failing
 * for its own reasons, an application error at run time). playbooks/lookalikes/*.yaml; the engine abstains
 * when one outranks every playbook, and says in one line what the text looks like instead.
 */
export const lookalikeSchema = z.object({
  id: z.string().regex(PLAYBOOK_ID, 'lowercase words joined by -'),
  /** One line for the notes, completing "this looks like …": e.g. "helmfile's own config validation, not a chart". */
  looksLike: z.string().min(5).max(120),
  /** Rule signals for this kind of text (positive weights), as in a playbook. */
  signals: z.array(signalSchema).default([]),
  /** Texts of this kind, in the shapes people paste; every one must abstain. They also train the model. */
  examples: z.array(z.object({ name: z.string().optional(), input: z.string() })).min(2),
});

export type Lookalike = z.output<typeof lookalikeSchema>;

export type FactPattern = z.output<typeof factPatternSchema>;
