import type { Playbook } from '../playbooks/schema.js';
import type { RunbookListItem } from '../render/html/runbook-index.js';

// Runbook search for GET /runbooks?q=: a title word, or a line pasted from the error.
// A playbook matches when every query word appears in its title, summary or example errors,
// or when one of its own signal patterns matches the query (an error line pasted as is).

const MAX_QUERY_LENGTH = 500;
const EXAMPLE_CHARS = 2000;

export interface SearchablePlaybook {
  item: RunbookListItem;
  signals: RegExp[];
}

export function toSearchable(playbook: Playbook): SearchablePlaybook {
  const examples = playbook.examples
    .filter((ex) => ex.expect === playbook.id)
    .map((ex) => ex.input.slice(0, EXAMPLE_CHARS));
  const searchText = [playbook.title, playbook.summary, playbook.id, ...examples].join('\n').toLowerCase().replace(/\s+/g, ' ');
  const signals: RegExp[] = [];
  for (const signal of playbook.signals) {
    if (signal.weight <= 0) continue;
    try {
      // Patterns are vetted linear-time by the playbook loader.
      signals.push(new RegExp(signal.pattern, 'i'));
    } catch {
      // An invalid pattern is reported by the loader; search simply ignores it.
    }
  }
  return { item: { id: playbook.id, title: playbook.title, summary: playbook.summary, searchText }, signals };
}

export function normalizeQuery(raw: unknown): string {
  if (typeof raw !== 'string') return '';
  return raw.replace(/\s+/g, ' ').trim().slice(0, MAX_QUERY_LENGTH);
}

export function searchRunbooks(all: readonly SearchablePlaybook[], query: string): RunbookListItem[] {
  const q = normalizeQuery(query);
  if (q === '') return all.map((p) => p.item);
  const words = q.toLowerCase().split(' ').filter(Boolean);
  return all
    .filter((p) => words.every((w) => p.item.searchText.includes(w)) || p.signals.some((re) => re.test(q)))
    .map((p) => p.item);
}
