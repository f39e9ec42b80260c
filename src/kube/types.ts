// The read-only face of a cluster. Nothing here can write: there is no method for it.

export interface ObjectMeta {
  name?: string;
  namespace?: string;
  uid?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  ownerReferences?: Array<{ apiVersion: string; kind: string; name: string; uid: string; controller?: boolean }>;
  creationTimestamp?: string | Date;
  resourceVersion?: string;
  /** Set once deletion was requested; the object stays until its finalizers are gone. */
  deletionTimestamp?: string | Date;
  finalizers?: string[];
}

/** A Kubernetes object as JSON. Checks narrow the fields they read. */
export interface KubeObject {
  apiVersion?: string;
  kind?: string;
  metadata?: ObjectMeta;
  [field: string]: unknown;
}

export interface ServerVersion {
  major: string;
  minor: string;
  gitVersion: string;
}

export interface ListOptions {
  namespace?: string;
  labelSelector?: string;
  fieldSelector?: string;
  /** Page size for `limit`/`continue` pagination. */
  pageSize?: number;
  /** Only metadata per item (PartialObjectMetadataList): labels without payloads, e.g. Helm history. */
  metadataOnly?: boolean;
  signal?: AbortSignal;
}

export interface ReadOnlyKube {
  version(signal?: AbortSignal): Promise<ServerVersion>;
  /** null when the object does not exist (404). */
  get(apiVersion: string, kind: string, name: string, namespace?: string, signal?: AbortSignal): Promise<KubeObject | null>;
  /** Streams every item across pages; memory stays bounded by one page. */
  list(apiVersion: string, kind: string, opts?: ListOptions): AsyncIterable<KubeObject>;
  /** API discovery: is this group/version (and kind, when given) served? */
  serves(groupVersion: string, kind?: string, signal?: AbortSignal): Promise<boolean>;
}
