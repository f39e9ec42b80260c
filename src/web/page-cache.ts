// A small bounded cache for rendered pages: playbooks do not change while the process runs, so a
// runbook page per (id, filled values) is rendered once. Oldest entries go first when full.

export class PageCache {
  private readonly entries = new Map<string, string>();

  constructor(private readonly maxEntries = 1000) {}

  getOrRender(key: string, render: () => string): string {
    const hit = this.entries.get(key);
    if (hit !== undefined) return hit;
    const page = render();
    if (this.entries.size >= this.maxEntries) {
      const oldest = this.entries.keys().next();
      if (!oldest.done) this.entries.delete(oldest.value);
    }
    this.entries.set(key, page);
    return page;
  }

  get size(): number {
    return this.entries.size;
  }
}
