import { z } from 'zod';
import { ConfigError } from './errors.js';

// Environment → typed, frozen config. Validated once at start-up; every error names the variable.
// Keep this list in step with README "Configuration" and deploy/chart (a test checks both).

const bool = z.enum(['true', 'false', '1', '0', 'yes', 'no']).transform((v) => v === 'true' || v === '1' || v === 'yes');
const list = z.string().transform((v) => v.split(',').map((s) => s.trim()).filter(Boolean));

export const envSchema = z.object({
  SLACK_BOT_TOKEN: z.string().regex(/^xox[bp]-/, 'must start with xoxb- (bot token)').optional(),
  SLACK_SIGNING_SECRET: z.string().min(8).optional(),
  SLACK_APP_TOKEN: z.string().regex(/^xapp-/, 'must start with xapp- (Socket Mode app token)').optional(),
  SLACK_API_URL: z.url().optional(),
  REDIS_URL: z.string().regex(/^rediss?:\/\//, 'must be redis://host:port or rediss://…').optional(),
  /** Prefix of every Redis key (queues and bookkeeping), shared by bot and agents. */
  QUEUE_PREFIX: z.string().regex(/^[^\s:]{1,64}$/, 'up to 64 characters, no spaces or ":"').default('helm-triage'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default('0.0.0.0'),
  PUBLIC_BASE_URL: z.url().optional(),
  CLUSTER_NAME: z.string().regex(/^[a-z0-9][a-z0-9._-]{0,62}$/, 'lowercase letters, digits, . _ -').default('default'),
  KUBECONFIG: z.string().optional(),
  KUBE_CONTEXT: z.string().optional(),
  API_TOKEN: z.string().min(16, 'use at least 16 characters').optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  PLAYBOOKS_DIR: z.string().optional(),
  CHECK_DEADLINE_SECONDS: z.coerce.number().int().min(1).max(600).default(30),
  AGENT_CONCURRENCY: z.coerce.number().int().min(1).max(256).default(8),
  TRIAGE_TTL_DAYS: z.coerce.number().min(0.001).max(365).default(14),
  /** Channel ids allowed to trigger cluster checks; others get the text diagnosis only. Empty = all. */
  CHECK_CHANNELS: list.optional(),
  /** User group ids allowed to trigger cluster checks. Empty = all. */
  CHECK_USERGROUPS: list.optional(),
  /** `channelId=cluster` pairs routing a channel to its cluster. */
  CHANNEL_CLUSTERS: list.optional(),
  RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).max(10_000).default(20),
  AUTO_REPLY: bool.default(true),
  AUTO_REPLY_MIN_CONFIDENCE: z.coerce.number().min(0).max(1).default(0.75),
});

export type Config = Readonly<z.infer<typeof envSchema>>;

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  // Empty strings mean "unset": deploy tooling often renders missing values that way.
  const cleaned: Record<string, string> = {};
  for (const [key, value] of Object.entries(env)) if (value !== undefined && value !== '') cleaned[key] = value;
  const parsed = envSchema.safeParse(cleaned);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    throw new ConfigError(`invalid configuration (fix these environment variables):\n  ${lines.join('\n  ')}`);
  }
  return Object.freeze(parsed.data);
}

/** Every variable the code reads, for docs and the chart test. */
export const CONFIG_VARIABLES = Object.keys(envSchema.shape) as Array<keyof typeof envSchema.shape>;
