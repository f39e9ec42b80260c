// Stable error codes with messages that say what to do next. Every error the code raises is a
// HelmTriageError with one of these codes. Docs: README "Errors" is generated from ERROR_HELP
// (`npx tsx scripts/errors-table.ts --write`; test/errors.test.ts holds them in step).

export const ErrorCode = {
  ConfigInvalid: 'HT_CONFIG_INVALID',
  PlaybookInvalid: 'HT_PLAYBOOK_INVALID',
  PlaybookNotFound: 'HT_PLAYBOOK_NOT_FOUND',
  InputUnreadable: 'HT_INPUT_UNREADABLE',
  KubeUnreachable: 'HT_KUBE_UNREACHABLE',
  KubeForbidden: 'HT_KUBE_FORBIDDEN',
  KubeUnauthorized: 'HT_KUBE_UNAUTHORIZED',
  KubeTimeout: 'HT_KUBE_TIMEOUT',
  KubeAborted: 'HT_KUBE_ABORTED',
  KubeNotServed: 'HT_KUBE_NOT_SERVED',
  KubeApiError: 'HT_KUBE_API_ERROR',
  KubeConfigMissing: 'HT_KUBE_CONFIG_MISSING',
  KubeSelectorInvalid: 'HT_KUBE_SELECTOR_INVALID',
  QueueUnavailable: 'HT_QUEUE_UNAVAILABLE',
  ReleaseDecode: 'HT_RELEASE_DECODE',
  Usage: 'HT_USAGE',
  FactMissing: 'HT_FACT_MISSING',
  SlackNothingPosted: 'HT_SLACK_NOTHING_POSTED',
  SlackReplyBusy: 'HT_SLACK_REPLY_BUSY',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/** What each code means and what to do next: the README "Errors" table, in this order. */
export const ERROR_HELP: Readonly<Record<ErrorCode, string>> = {
  HT_CONFIG_INVALID: 'an environment variable is missing or malformed; the message names it and the expected form',
  HT_PLAYBOOK_INVALID: 'a playbook file does not match the schema; the message names the file and the field',
  HT_PLAYBOOK_NOT_FOUND: 'unknown playbook id; `helm-triage playbooks` lists them',
  HT_INPUT_UNREADABLE: 'the input file cannot be read; check the path and permissions',
  HT_USAGE: 'a command-line mistake; the message says which option (exit code 2)',
  HT_KUBE_CONFIG_MISSING: 'no kubeconfig and not in a pod; set `KUBECONFIG` or `--kubeconfig`',
  HT_KUBE_UNREACHABLE: 'the API server did not answer; the message names the server and the network error',
  HT_KUBE_UNAUTHORIZED: '401: refresh the credentials of the context',
  HT_KUBE_FORBIDDEN: '403: the message names the missing permission (grant it read-only, see `deploy/rbac/`)',
  HT_KUBE_TIMEOUT: 'a request ran past its timeout; re-run the check, or raise `--check-timeout`',
  HT_KUBE_ABORTED: 'the triage was cancelled (its deadline passed) before the request finished; re-run the checks',
  HT_KUBE_NOT_SERVED: 'the API group or CRD is not installed in this cluster',
  HT_KUBE_API_ERROR: "another API status, or a response that could not be read; the message carries the server's reason",
  HT_KUBE_SELECTOR_INVALID: 'a label or field selector does not parse; the message quotes the term (a bug in the check that built it: please report it)',
  HT_RELEASE_DECODE: 'a Helm release record could not be decoded (corrupt, or over the size cap)',
  HT_QUEUE_UNAVAILABLE: 'Redis cannot be reached (or a submit ran past its 2 s budget); the text diagnosis still answers, checks resume when Redis returns',
  HT_FACT_MISSING: 'a check needs a fact the paste does not name (release, resource …); pass it (`--release`, `-n`) or paste the helm command line',
  HT_SLACK_NOTHING_POSTED: "a Slack reply failed before anything was posted, so answering again is safe; the message carries Slack's reason",
  HT_SLACK_REPLY_BUSY: 'another bot replica is updating the same reply; the update is retried by itself, nothing to do',
};

/** The README "Errors" table, generated from ERROR_HELP. */
export function errorsTable(): string {
  const rows = Object.entries(ERROR_HELP).map(([code, help]) => `| \`${code}\` | ${help} |`);
  return ['| code | meaning and what to do |', '|---|---|', ...rows].join('\n');
}

export class HelmTriageError extends Error {
  constructor(readonly code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'HelmTriageError';
  }
}

export class ConfigError extends HelmTriageError {
  constructor(message: string) {
    super(ErrorCode.ConfigInvalid, message);
    this.name = 'ConfigError';
  }
}

export class PlaybookError extends HelmTriageError {
  constructor(readonly file: string, message: string) {
    super(ErrorCode.PlaybookInvalid, `${file}: ${message}`);
    this.name = 'PlaybookError';
  }
}

export class UsageError extends HelmTriageError {
  constructor(message: string) {
    super(ErrorCode.Usage, message);
    this.name = 'UsageError';
  }
}

export function isHelmTriageError(err: unknown): err is HelmTriageError {
  return err instanceof HelmTriageError;
}
