// A small bounded cache for rendered pages: playbooks do not change while the process runs, so a
// runbook page per (id, filled values) is rendered once. Kept as UTF-8 bytes so a hit costs no
// re-encoding. Oldest entries go first when full.
import { setBounded } from './bounded-map.js';

export class PageCache {
  private readonly entries = new Map<string, Buffer>();

  constructor(private readonly maxEntries = 1000) {}

  getOrRender(key: string, render: () => string): Buffer {
    const hit = this.entries.get(key);
    if (hit !== undefined) return hit;
    const page = Buffer.from(render(), 'utf8');
    setBounded(this.entries, key, page, this.maxEntries);
    return page;
  }

  get size(): number {
    return this.entries.size;
  }
}
