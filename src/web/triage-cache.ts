import type { TriageRecord, TriageStore } from '../store/triages.js';
import { setBounded } from './bounded-map.js';

// /t/:id reads the record on every request (it may have been updated by a check result), but parses
// and renders it again only when the stored JSON changed. Bounded; oldest entries go first.

export interface CachedTriage {
  raw: string | null;
  record: TriageRecord;
  /** The rendered page as UTF-8 bytes, filled on first view. */
  html?: Buffer;
}

export class TriageReadCache {
  private readonly entries = new Map<string, CachedTriage>();

  constructor(private readonly store: TriageStore, private readonly maxEntries = 500) {}

  async get(id: string): Promise<CachedTriage | null> {
    if (!this.store.getRaw) {
      const record = await this.store.get(id);
      return record ? { raw: null, record } : null;
    }
    const raw = await this.store.getRaw(id);
    if (raw === null) {
      this.entries.delete(id);
      return null;
    }
    const hit = this.entries.get(id);
    if (hit && hit.raw === raw) return hit;
    const entry: CachedTriage = { raw, record: JSON.parse(raw) as TriageRecord };
    setBounded(this.entries, id, entry, this.maxEntries);
    return entry;
  }
}
