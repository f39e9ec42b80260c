import { pino, type Logger, type DestinationStream } from 'pino';

// Redaction by key path only (pino's way): free text must be redacted by src/triage/redact
// before it becomes a log field. These paths are the last line of defence for known secrets.
export const REDACT_PATHS = [
  'token', '*.token', 'authorization', '*.authorization', 'headers.authorization', 'req.headers.authorization',
  'password', '*.password', 'secret', '*.secret', 'signingSecret', '*.signingSecret', 'botToken', '*.botToken',
  'appToken', '*.appToken', 'config.SLACK_BOT_TOKEN', 'config.SLACK_SIGNING_SECRET', 'config.SLACK_APP_TOKEN', 'config.API_TOKEN',
];

export function createLogger(options: { level?: string; name?: string } = {}, destination?: DestinationStream): Logger {
  return pino(
    {
      level: options.level ?? process.env.LOG_LEVEL ?? 'info',
      name: options.name ?? 'helm-triage',
      redact: { paths: REDACT_PATHS, censor: '[REDACTED]' },
      base: undefined,
    },
    destination,
  );
}

export type { Logger };
