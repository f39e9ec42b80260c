// Reading Slack Web API failures without `any`: web-api throws errors carrying `data.error` (platform errors).

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

/** A loggable description of a failure that never includes request bodies. */
export function describeError(err: unknown): string {
  const code = slackErrorCode(err);
  if (code) return `slack:${code}`;
  return err instanceof Error ? `${err.name}: ${err.message}` : String(err);
}
