// Key-value store keys and windows used by the Slack side. Every replica computes the same keys, so the
// store (Redis in production) is where "exactly once" across replicas is decided.

export const TTL = {
  /** Slack retries for up to ~5 min; keep event ids a while longer. */
  event: 60 * 60_000,
  report: 24 * 60 * 60_000,
  /** Claim on a reply while one replica updates it: longer than one update can take (the Web API client's retries end within about 2 min). */
  reportUpdating: 3 * 60_000,
  rerunWindow: 60_000,
  feedback: 30 * 24 * 60 * 60_000,
  /** One automatic reply per thread, for as long as a thread plausibly stays active. */
  autoReplyThread: 7 * 24 * 60 * 60_000,
  /** The same failure pasted again within this window links to the earlier triage. */
  repeatWindow: 30 * 60_000,
  botMessage: 7 * 24 * 60 * 60_000,
  usergroupCache: 5 * 60_000,
  rateWindow: 60_000,
} as const;

export const keys = {
  event: (eventId: string) => `slack:event:${eventId}`,
  command: (triggerId: string) => `slack:command:${triggerId}`,
  view: (viewId: string, hash: string) => `slack:view:${viewId}:${hash}`,
  report: (jobId: string) => `slack:report:${jobId}`,
  rerun: (triageId: string) => `slack:rerun:${triageId}`,
  rollbackClick: (triageId: string) => `slack:rollback-click:${triageId}`,
  feedback: (triageId: string, userId: string) => `slack:feedback:${triageId}:${userId}`,
  autoReply: (channel: string, threadTs: string) => `slack:autoreply:${channel}:${threadTs}`,
  repeat: (channel: string, fingerprint: string) => `slack:repeat:${channel}:${fingerprint}`,
  botMessage: (channel: string, ts: string) => `slack:botmsg:${channel}:${ts}`,
  usergroup: (groupId: string) => `slack:usergroup:${groupId}`,
  rate: (userId: string, minute: number) => `slack:rate:${userId}:${minute}`,
} as const;
