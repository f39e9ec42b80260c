import type { TriageRecord } from '../model/triage-record.js';
import type { KeyValueStore } from './kv.js';
import { KeyValueRecordStore, newRecordId, type RecordFields } from './records.js';

export type { TriageRecord } from '../model/triage-record.js';

// Triage results behind unguessable permalinks (/t/:id). Stored as JSON in the key-value store with a TTL (src/store/records.ts).

export interface TriageStore {
  create(input: RecordFields<TriageRecord>): Promise<TriageRecord>;
  get(id: string): Promise<TriageRecord | null>;
  /** The stored JSON as is, when the store keeps JSON: lets /t/:id reuse a rendering while the record is unchanged. */
  getRaw?(id: string): Promise<string | null>;
  update(id: string, patch: Partial<RecordFields<TriageRecord>>): Promise<TriageRecord | null>;
}

export class KeyValueTriageStore extends KeyValueRecordStore<TriageRecord> implements TriageStore {
  constructor(kv: KeyValueStore, ttlMs: number, now: () => number = Date.now, newId: () => string = newRecordId) {
    super('triage', kv, ttlMs, now, newId);
  }
}
