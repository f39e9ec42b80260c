// Builds a real web server over the in-memory store for tests; no module of ours is replaced.
import { Registry } from 'prom-client';
import { createLogger } from '../../src/log.js';
import type { PlaybookSet } from '../../src/playbooks/load.js';
import { MemoryKeyValueStore } from '../../src/store/memory-kv.js';
import { KeyValueRollbackPlanStore } from '../../src/store/rollback-plans.js';
import { KeyValueTriageStore } from '../../src/store/triages.js';
import { diagnose } from '../../src/triage/diagnose.js';
import { createWebServer, type WebServer, type WebServerDeps } from '../../src/web/server.js';
import { CHECK_DESCRIPTIONS, playbookSet } from './fixtures.js';

export const DAY = 86_400_000;

export interface Harness {
  server: WebServer;
  store: KeyValueTriageStore;
  kv: MemoryKeyValueStore;
  rollbackPlans: KeyValueRollbackPlanStore;
  clock: { now: number };
}

export function makeHarness(overrides: Partial<WebServerDeps> = {}, playbooks: PlaybookSet = playbookSet()): Harness {
  const clock = { now: Date.UTC(2026, 10, 25, 12, 0, 0) };
  const kv = new MemoryKeyValueStore(() => clock.now);
  const store = new KeyValueTriageStore(kv, 14 * DAY, () => clock.now);
  const rollbackPlans = new KeyValueRollbackPlanStore(kv, 14 * DAY, () => clock.now);
  const server = createWebServer({
    playbooks,
    triageStore: store,
    rollbackPlans,
    kv,
    config: { TRIAGE_TTL_DAYS: 14 },
    metrics: new Registry(),
    diagnose,
    checkDescription: (id) => CHECK_DESCRIPTIONS[id],
    logger: createLogger({ level: 'silent' }),
    now: () => clock.now,
    ...overrides,
  });
  return { server, store, kv, rollbackPlans, clock };
}
