import type { RollbackPlanRecord } from '../model/rollback-record.js';
import type { KeyValueStore } from './kv.js';
import { KeyValueRecordStore, isRecordId, newRecordId, type RecordFields } from './records.js';

export type { RollbackPlanRecord } from '../model/rollback-record.js';

// Rollback plans behind unguessable permalinks (/rollback-plans/:id), kept like triages (src/store/records.ts):
// JSON in the key-value store with a TTL. The bot creates the record before it asks the agent (so the
// link can be shown at once) and fills in the answer when it comes.

type Fields = RecordFields<RollbackPlanRecord>;

export interface RollbackPlanStore {
  create(input: Fields): Promise<RollbackPlanRecord>;
  get(id: string): Promise<RollbackPlanRecord | null>;
  update(id: string, patch: Partial<Fields>): Promise<RollbackPlanRecord | null>;
}

/** 144 random bits, URL-safe, like triage ids. */
export const newRollbackPlanId = newRecordId;

export const isRollbackPlanId = isRecordId;

export class KeyValueRollbackPlanStore extends KeyValueRecordStore<RollbackPlanRecord> implements RollbackPlanStore {
  constructor(kv: KeyValueStore, ttlMs: number, now: () => number = Date.now, newId: () => string = newRecordId) {
    super('rollback-plan', kv, ttlMs, now, newId);
  }
}
