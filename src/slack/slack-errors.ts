// Reading Slack Web API failures without `any`: web-api throws errors carrying `data.error` (platform errors).
import { ErrorCode, HelmTriageError } from '../errors.js';

function slackErrorCode(err: unknown): string | undefined {
  if (typeof err !== 'object' || err === null || !('data' in err)) return undefined;
  const data: unknown = err.data;
  if (typeof data !== 'object' || data === null || !('error' in data)) return undefined;
  return typeof data.error === 'string' ? data.error : undefined;
}

/** The bot cannot post there: answer through the command's response_url (or a DM) instead. */
export function isNotInChannel(err: unknown): boolean {
  const code = slackErrorCode(err);
  return code === 'not_in_channel' || code === 'channel_not_found' || code === 'is_archived';
}

/**
 * Slack answered the call and refused it (platform error, HTTP error status, rate limit), so the call changed
 * nothing. A request error (timeout, dropped connection) is not a refusal: Slack may have acted on it.
 */
export function refusedBySlack(err: unknown): boolean {
  if (typeof err !== 'object' || err === null || !('code' in err)) return false;
  return err.code === 'slack_webapi_platform_error' || err.code === 'slack_webapi_http_error' || err.code === 'slack_webapi_rate_limited_error';
}

/**
 * A reply failed before anything reached Slack, so answering again cannot duplicate it. Thrown only when that
 * is certain; any other failure means a message may be out there.
 */
export class NothingPostedError extends HelmTriageError {
  constructor(cause: unknown) {
    super(ErrorCode.SlackNothingPosted, `nothing was posted to Slack (${describeError(cause)})`, { cause });
    this.name = 'NothingPostedError';
  }
}

/** Rethrows a failure of a step taken before posting as NothingPostedError. */
export async function beforePosting<T>(step: Promise<T>): Promise<T> {
  try {
    return await step;
  } catch (err) {
    throw err instanceof NothingPostedError ? err : new NothingPostedError(err);
  }
}

/** A loggable description of a failure that never includes request bodies. */
export function describeError(err: unknown): string {
  const code = slackErrorCode(err);
  if (code) return `slack:${code}`;
  return err instanceof Error ? `${err.name}: ${err.message}` : String(err);
}
