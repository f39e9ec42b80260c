import { randomBytes } from 'node:crypto';
import type { RollbackPlanRecord } from '../model/rollback-record.js';
import type { KeyValueStore } from './kv.js';

export type { RollbackPlanRecord } from '../model/rollback-record.js';

// Rollback plans behind unguessable permalinks (/rollback-plans/:id), kept like triages: JSON in the
// key-value store with a TTL. The bot creates the record before it asks the agent (so the link can
// be shown at once) and fills in the answer when it comes.

type Fields = Omit<RollbackPlanRecord, 'id' | 'createdAt' | 'expiresAt'>;

export interface RollbackPlanStore {
  create(input: Fields): Promise<RollbackPlanRecord>;
  get(id: string): Promise<RollbackPlanRecord | null>;
  update(id: string, patch: Partial<Fields>): Promise<RollbackPlanRecord | null>;
}

/** 144 random bits, URL-safe, like triage ids. */
export function newRollbackPlanId(random: (n: number) => Buffer = randomBytes): string {
  return random(18).toString('base64url');
}

const ID_FORMAT = /^[A-Za-z0-9_-]{24}$/;

export function isRollbackPlanId(id: string): boolean {
  return ID_FORMAT.test(id);
}

const key = (id: string): string => `rollback-plan:${id}`;

export class KeyValueRollbackPlanStore implements RollbackPlanStore {
  constructor(
    private readonly kv: KeyValueStore,
    private readonly ttlMs: number,
    private readonly now: () => number = Date.now,
    private readonly newId: () => string = newRollbackPlanId,
  ) {}

  async create(input: Fields): Promise<RollbackPlanRecord> {
    const createdAt = this.now();
    const record: RollbackPlanRecord = { ...input, id: this.newId(), createdAt, expiresAt: createdAt + this.ttlMs };
    await this.kv.set(key(record.id), JSON.stringify(record), this.ttlMs);
    return record;
  }

  async get(id: string): Promise<RollbackPlanRecord | null> {
    if (!isRollbackPlanId(id)) return null;
    const raw = await this.kv.get(key(id));
    return raw === null ? null : (JSON.parse(raw) as RollbackPlanRecord);
  }

  async update(id: string, patch: Partial<Fields>): Promise<RollbackPlanRecord | null> {
    const current = await this.get(id);
    if (!current) return null;
    const next: RollbackPlanRecord = { ...current, ...patch };
    const ttl = next.expiresAt - this.now();
    if (ttl <= 0) return null;
    await this.kv.set(key(id), JSON.stringify(next), ttl);
    return next;
  }
}
