// Stable error codes with messages that say what to do next. Docs: README "Errors".

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
  QueueUnavailable: 'HT_QUEUE_UNAVAILABLE',
  ReleaseDecode: 'HT_RELEASE_DECODE',
  Usage: 'HT_USAGE',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

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
