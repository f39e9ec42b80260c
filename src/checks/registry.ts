// id → Check. Adding a check: one file plus one line here. Playbooks name checks by these ids.
import { apiServed } from './api-served.js';
import { awsLbcVersion } from './aws-lbc-version.js';
import { awsLbcWebhookOperations } from './aws-lbc-webhook-operations.js';
import { cleanupTargets } from './cleanup-targets.js';
import { crdExists } from './crd-exists.js';
import { failingWebhooks } from './failing-webhooks.js';
import { finalizerHolds } from './finalizer-holds.js';
import { liveImage } from './live-image.js';
import { orphanedWorkloads } from './orphaned-workloads.js';
import { ownershipMetadata } from './ownership-metadata.js';
import { persistedValues } from './persisted-values.js';
import { releaseHistoryCheck } from './release-history.js';
import { releasePendingStatus } from './release-pending-status.js';
import { releasePodsNotReady } from './release-pods-not-ready.js';
import { releaseRecordSize } from './release-record-size.js';
import { serverVersion } from './server-version.js';
import { stuckRelease } from './stuck-release.js';
import { serviceClusterIpManifests } from './service-cluster-ip-manifests.js';
import { serviceLoadBalancerClass } from './service-load-balancer-class.js';
import type { Check } from './types.js';
import { unreadyResources } from './unready-resources.js';
import { webhookEndpoints } from './webhook-endpoints.js';

export const CHECKS: readonly Check[] = [
  serviceLoadBalancerClass,
  awsLbcWebhookOperations,
  awsLbcVersion,
  serverVersion,
  serviceClusterIpManifests,
  releaseHistoryCheck,
  cleanupTargets,
  persistedValues,
  liveImage,
  orphanedWorkloads,
  failingWebhooks,
  finalizerHolds,
  releasePendingStatus,
  ownershipMetadata,
  apiServed,
  crdExists,
  webhookEndpoints,
  releaseRecordSize,
  releasePodsNotReady,
  stuckRelease,
  unreadyResources,
];

const BY_ID: ReadonlyMap<string, Check> = new Map(CHECKS.map((c) => [c.id, c]));

export function getCheck(id: string): Check | undefined {
  return BY_ID.get(id);
}

export function checkIds(): string[] {
  return [...BY_ID.keys()];
}
