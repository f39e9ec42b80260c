import type { KeyValueStore } from '../store/kv.js';
import type { PlaybookSet } from '../playbooks/load.js';

// /readyz: every probe answers within a deadline; a hung Redis counts as down, not as a hung request.

export interface ReadinessResult {
  name: string;
  ok: boolean;
  detail?: string;
}

/** `probeName` names the probe in the answer when it throws or hangs (otherwise it is `probe-N`). */
export type ReadinessProbe = (() => Promise<ReadinessResult> | ReadinessResult) & { probeName?: string };

function named(name: string, probe: () => Promise<ReadinessResult> | ReadinessResult): ReadinessProbe {
  return Object.assign(probe, { probeName: name });
}

export function playbooksProbe(playbooks: PlaybookSet): ReadinessProbe {
  return named('playbooks', () => {
    const count = playbooks.playbooks.length;
    return count > 0
      ? { name: 'playbooks', ok: true, detail: `${count} loaded` }
      : { name: 'playbooks', ok: false, detail: 'no playbooks loaded: check PLAYBOOKS_DIR and the start-up log' };
  });
}

export function keyValueProbe(kv: KeyValueStore, name = 'redis'): ReadinessProbe {
  return named(name, async () =>
    (await kv.ping())
      ? { name, ok: true, detail: 'reachable' }
      : { name, ok: false, detail: 'not reachable: check REDIS_URL and that Redis is up' });
}

export async function runProbes(probes: readonly ReadinessProbe[], timeoutMs: number): Promise<ReadinessResult[]> {
  return Promise.all(
    probes.map(async (probe, index) => {
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<ReadinessResult>((resolve) => {
        timer = setTimeout(() => resolve({ name: probe.probeName ?? `probe-${index + 1}`, ok: false, detail: `no answer within ${timeoutMs} ms` }), timeoutMs);
      });
      try {
        const result = await Promise.race([Promise.resolve().then(probe), timeout]);
        return result;
      } catch (err) {
        return { name: probe.probeName ?? `probe-${index + 1}`, ok: false, detail: err instanceof Error ? err.message : String(err) };
      } finally {
        clearTimeout(timer);
      }
    }),
  );
}
