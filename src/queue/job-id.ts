import { createHash } from 'node:crypto';
import { isRollbackJob, type AgentJob, type CheckJob, type Requester, type RollbackJob } from './types.js';

// Deterministic job ids: the same request (same text, cluster and conversation within one time
// window) always hashes to the same id, so BullMQ's jobId dedup queues it once however often a
// Slack retry or a double click submits it. BullMQ refuses ':' and pure integers in custom ids.

export const DEFAULT_DEDUP_WINDOW_MS = 60_000;

/** Whitespace and case differences are the same request. */
export function normalizeForId(text: string): string {
  return text.replace(/\s+/g, ' ').trim().toLowerCase();
}

/**
 * Where the answer goes: one conversation is one requester, whoever clicked. A triage (one reply
 * message, possibly ephemeral) is its own requester: two private answers to the same paste in one
 * channel must each be updated.
 */
function requesterKey(requester: Requester): string {
  switch (requester.kind) {
    case 'slack':
      return `slack/${requester.teamId ?? ''}/${requester.channel}/${requester.threadTs ?? ''}/${requester.triageId ?? ''}`;
    case 'cli':
    case 'api':
      return `${requester.kind}/${requester.correlationId}`;
  }
}

export function checkJobId(job: Pick<CheckJob, 'text' | 'cluster' | 'requester' | 'createdAt'>, windowMs = DEFAULT_DEDUP_WINDOW_MS): string {
  const bucket = Math.floor(job.createdAt / windowMs);
  const digest = createHash('sha256')
    .update(JSON.stringify(['v1', normalizeForId(job.text), job.cluster, requesterKey(job.requester), bucket]))
    .digest('hex');
  return `chk-${digest.slice(0, 32)}`;
}

/**
 * A rollback plan's job id: the same release, revision, namespace, cluster and conversation within one
 * window is one job (a double click or a Slack retry plans once). Its own prefix and hash tag, so it
 * never meets a check job's id.
 */
export function rollbackJobId(job: Pick<RollbackJob, 'request' | 'cluster' | 'requester' | 'createdAt'>, windowMs = DEFAULT_DEDUP_WINDOW_MS): string {
  const bucket = Math.floor(job.createdAt / windowMs);
  const { release, namespace, revision } = job.request;
  const digest = createHash('sha256')
    .update(JSON.stringify(['rollback-v1', release, namespace, revision ?? null, job.cluster, requesterKey(job.requester), bucket]))
    .digest('hex');
  return `rbk-${digest.slice(0, 32)}`;
}

export function agentJobId(job: AgentJob, windowMs = DEFAULT_DEDUP_WINDOW_MS): string {
  return isRollbackJob(job) ? rollbackJobId(job, windowMs) : checkJobId(job, windowMs);
}

/** How long the "already submitted" marker lives: past the deadline by a window, and never under two windows. */
export function dispatchMarkerTtlMs(deadline: number, now: number, windowMs: number): number {
  return Math.max(windowMs * 2, deadline - now + windowMs);
}

/** The second a deadline falls in (rounded up: the watchdog never fires before a deadline). */
export function deadlineBucket(deadline: number): number {
  return Math.ceil(deadline / 1000);
}

/** Id of the delayed watchdog job of one deadline second on the deadlines queue. */
export function deadlineBucketJobId(bucket: number): string {
  return `ddl-${bucket}`;
}

/** A member of a deadline bucket: where the check job is. Cluster names cannot hold '/'. */
export function deadlineMember(cluster: string, jobId: string): string {
  return `${cluster}/${jobId}`;
}

export function parseDeadlineMember(member: string): { cluster: string; jobId: string } | undefined {
  const slash = member.indexOf('/');
  if (slash <= 0 || slash === member.length - 1) return undefined;
  return { cluster: member.slice(0, slash), jobId: member.slice(slash + 1) };
}
