import { randomBytes } from 'node:crypto';
import type { TriageRecord } from '../model/triage-record.js';
import type { KeyValueStore } from './kv.js';

export type { TriageRecord } from '../model/triage-record.js';

// Triage results behind unguessable permalinks (/t/:id). Stored as JSON in the key-value store with a TTL.

export interface TriageStore {
  create(input: Omit<TriageRecord, 'id' | 'createdAt' | 'expiresAt'>): Promise<TriageRecord>;
  get(id: string): Promise<TriageRecord | null>;
  /** The stored JSON as is, when the store keeps JSON: lets /t/:id reuse a rendering while the record is unchanged. */
  getRaw?(id: string): Promise<string | null>;
  update(id: string, patch: Partial<Omit<TriageRecord, 'id' | 'createdAt' | 'expiresAt'>>): Promise<TriageRecord | null>;
}

/** 144 random bits, URL-safe: a permalink cannot be guessed. */
function newTriageId(random: (n: number) => Buffer = randomBytes): string {
  return random(18).toString('base64url');
}

const ID_FORMAT = /^[A-Za-z0-9_-]{24}$/;

export class KeyValueTriageStore implements TriageStore {
  constructor(
    private readonly kv: KeyValueStore,
    private readonly ttlMs: number,
    private readonly now: () => number = Date.now,
    private readonly newId: () => string = newTriageId,
  ) {}

  async create(input: Omit<TriageRecord, 'id' | 'createdAt' | 'expiresAt'>): Promise<TriageRecord> {
    const createdAt = this.now();
    const record: TriageRecord = { ...input, id: this.newId(), createdAt, expiresAt: createdAt + this.ttlMs };
    await this.kv.set(`triage:${record.id}`, JSON.stringify(record), this.ttlMs);
    return record;
  }

  async get(id: string): Promise<TriageRecord | null> {
    const raw = await this.getRaw(id);
    return raw === null ? null : (JSON.parse(raw) as TriageRecord);
  }

  async getRaw(id: string): Promise<string | null> {
    if (!ID_FORMAT.test(id)) return null;
    return this.kv.get(`triage:${id}`);
  }

  async update(id: string, patch: Partial<Omit<TriageRecord, 'id' | 'createdAt' | 'expiresAt'>>): Promise<TriageRecord | null> {
    const current = await this.get(id);
    if (!current) return null;
    const next: TriageRecord = { ...current, ...patch };
    const ttl = next.expiresAt - this.now();
    if (ttl <= 0) return null;
    await this.kv.set(`triage:${id}`, JSON.stringify(next), ttl);
    return next;
  }
}
