import { randomBytes } from 'node:crypto';
import type { KeyValueStore } from './kv.js';

// Records behind unguessable permalinks (triages at /t/:id, rollback plans at /rollback-plans/:id):
// JSON in the key-value store under `<prefix>:<id>`, with a TTL that an update never extends.

/** What every stored record carries; the store sets all three. */
export interface StoredRecord {
  id: string;
  createdAt: number;
  expiresAt: number;
}

/** A record's fields as its creator gives them (and an update patches them). */
export type RecordFields<T extends StoredRecord> = Omit<T, 'id' | 'createdAt' | 'expiresAt'>;

/** 144 random bits, URL-safe: a permalink cannot be guessed. */
export function newRecordId(random: (n: number) => Buffer = randomBytes): string {
  return random(18).toString('base64url');
}

const ID_FORMAT = /^[A-Za-z0-9_-]{24}$/;

export function isRecordId(id: string): boolean {
  return ID_FORMAT.test(id);
}

export class KeyValueRecordStore<T extends StoredRecord> {
  constructor(
    private readonly prefix: string,
    private readonly kv: KeyValueStore,
    private readonly ttlMs: number,
    private readonly now: () => number = Date.now,
    private readonly newId: () => string = newRecordId,
  ) {}

  private key(id: string): string {
    return `${this.prefix}:${id}`;
  }

  async create(input: RecordFields<T>): Promise<T> {
    const createdAt = this.now();
    const record = { ...input, id: this.newId(), createdAt, expiresAt: createdAt + this.ttlMs } as T;
    await this.kv.set(this.key(record.id), JSON.stringify(record), this.ttlMs);
    return record;
  }

  async get(id: string): Promise<T | null> {
    const raw = await this.getRaw(id);
    return raw === null ? null : (JSON.parse(raw) as T);
  }

  /** The stored JSON as is; null for an id that is not one, without reading the store. */
  async getRaw(id: string): Promise<string | null> {
    if (!isRecordId(id)) return null;
    return this.kv.get(this.key(id));
  }

  async update(id: string, patch: Partial<RecordFields<T>>): Promise<T | null> {
    const current = await this.get(id);
    if (!current) return null;
    const next: T = { ...current, ...patch };
    const ttl = next.expiresAt - this.now();
    if (ttl <= 0) return null;
    await this.kv.set(this.key(id), JSON.stringify(next), ttl);
    return next;
  }
}
