// Redis names shared by the bot, the agents and the tests. BullMQ refuses ':' in queue names, so a
// cluster's queue is `checks-<cluster>` (keys `<prefix>:checks-<cluster>:…`).

export const DEFAULT_PREFIX = 'helm-triage';

/**
 * Clusters a bot replica keeps an answers reader (one Redis connection each) and queue-depth metrics
 * for. Any Slack user can name a cluster, so this bounds what typos can cost; requests to clusters past
 * it still work, and are answered by the deadline watchdog instead of the moment the agent answers.
 */
export const MAX_FOLLOWED_CLUSTERS = 32;
/** Delayed watchdog jobs, one per second of deadlines: the answer of last resort at the deadline. */
export const DEADLINES_QUEUE = 'deadlines';

function validCluster(cluster: string): string {
  if (!/^[a-z0-9][a-z0-9._-]{0,62}$/.test(cluster)) {
    throw new Error(`invalid cluster name "${cluster}": use lowercase letters, digits, . _ - (like CLUSTER_NAME)`);
  }
  return cluster;
}

export function checkQueueName(cluster: string): string {
  return `checks-${validCluster(cluster)}`;
}

/**
 * The event stream a cluster's agents announce their answers on (BullMQ QueueEventsProducer; no
 * jobs). Apart from the check queue's own stream so that bot replicas read answers only, not every
 * job's added/waiting/active events.
 */
export function answersStreamName(cluster: string): string {
  return `answers-${validCluster(cluster)}`;
}

/** Custom event name of an answer on that stream. */
export const ANSWER_EVENT = 'answer';

/** The set of requests (`cluster/jobId`) whose deadline falls in one second. */
export function deadlineBucketKey(prefix: string, bucket: number): string {
  return `${prefix}:deadlines:${bucket}`;
}

/** Marker set when a job id is first submitted; tells a duplicate submit apart from a new one. */
export function dispatchKey(prefix: string, jobId: string): string {
  return `${prefix}:dispatch:${jobId}`;
}
