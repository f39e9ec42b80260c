import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { ASSET_PATHS } from '../../src/web/assets.js';
import { makeHarness, type Harness } from '../web/harness.js';
import { defaultValues, readText } from './support/chart.js';
import { isRecord } from './support/gotemplate.js';

// The probes and the Ingress point at routes the real web server has (src/web, built with its own
// test harness: nothing replaced). A renamed route fails here before it fails in a cluster.

/** Full route paths from fastify's printRoutes tree (children are indented by 4 and appended to their parent). */
export function routePaths(tree: string): string[] {
  const paths: string[] = [];
  const stack: string[] = [];
  for (const line of tree.split('\n')) {
    const m = /^([│├└─\s]*)(\S+) \(([A-Z, ]+)\)/.exec(line);
    if (!m) continue;
    const depth = Math.floor((m[1] ?? '').length / 4);
    stack.length = depth;
    const path = (stack[depth - 1] ?? '') + (m[2] ?? '');
    stack[depth] = path;
    paths.push(path);
  }
  return paths;
}

function probePath(probe: unknown): string {
  if (!isRecord(probe) || !isRecord(probe.httpGet) || typeof probe.httpGet.path !== 'string') throw new Error('probe without httpGet.path');
  return probe.httpGet.path;
}

const values = defaultValues();
const bot = isRecord(values.bot) ? values.bot : {};
const ingress = isRecord(bot.ingress) ? bot.ingress : {};
const ingressPaths = Array.isArray(ingress.paths) ? ingress.paths.map(String) : [];
const SLACK_EVENTS = '/slack/events';

describe('probes and ingress paths against the real web server (port-free, fastify inject)', () => {
  let harness: Harness;
  let routes: string[];

  beforeAll(async () => {
    harness = makeHarness();
    await harness.server.app.ready();
    routes = routePaths(harness.server.app.printRoutes({ commonPrefix: false }));
  });
  afterAll(async () => {
    await harness.server.close();
  });

  it('reads the route tree (the parser itself)', () => {
    expect(routePaths('└── / (GET, HEAD)\n    ├── healthz (GET)\n    ├── runbooks (GET)\n    │   └── /:id (GET)\n    └── t/:id (GET)')).toEqual([
      '/', '/healthz', '/runbooks', '/runbooks/:id', '/t/:id',
    ]);
    expect(routes).toContain('/healthz');
  });

  it('chart probes answer 200', async () => {
    for (const key of ['livenessProbe', 'readinessProbe', 'startupProbe']) {
      const url = probePath(bot[key]);
      const res = await harness.server.app.inject({ method: 'GET', url });
      expect(res.statusCode, `${key} ${url}`).toBe(200);
    }
    expect(probePath(bot.livenessProbe)).toBe('/healthz');
    expect(probePath(bot.readinessProbe)).toBe('/readyz');
  });

  it('the Dockerfile and docker-compose healthchecks hit /healthz, which answers 200', async () => {
    const compose: unknown = parseYaml(readText('docker-compose.yml'), { merge: true });
    const composeBot = isRecord(compose) && isRecord(compose.services) && isRecord(compose.services.bot) ? compose.services.bot : {};
    const urls = [readText('Dockerfile'), JSON.stringify(composeBot.healthcheck)].map((t) => /\/healthz/.exec(t)?.[0]);
    expect(urls).toEqual(['/healthz', '/healthz']);
    expect((await harness.server.app.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);
  });

  it('every Ingress path leads to at least one route, and the page assets are reachable through it', () => {
    for (const prefix of ingressPaths) {
      if (prefix === SLACK_EVENTS) continue;
      const served = routes.some((r) => r === prefix || r.startsWith(`${prefix}/`));
      expect(served, `${prefix} matches no route of ${routes.join(', ')}`).toBe(true);
    }
    for (const asset of Object.values(ASSET_PATHS)) {
      expect(ingressPaths.some((p) => asset === p || asset.startsWith(`${p}/`)), asset).toBe(true);
    }
  });

  it('/slack/events is the path the server hands to Bolt', () => {
    expect(ingressPaths).toContain(SLACK_EVENTS);
    expect(readText('src/web/server.ts')).toContain(`'${SLACK_EVENTS}'`);
  });

  it('public pages reach the Ingress; /metrics and the probes do not', () => {
    for (const page of ['/runbooks', '/t/:id', '/rollback-plans/:id', '/api/diagnose']) {
      expect(routes).toContain(page);
      expect(ingressPaths.some((p) => page === p || page.startsWith(`${p}/`)), page).toBe(true);
    }
    for (const internal of ['/metrics', '/healthz', '/readyz']) {
      expect(routes).toContain(internal);
      expect(ingressPaths.some((p) => internal === p || internal.startsWith(`${p}/`) || p === '/'), internal).toBe(false);
    }
  });
});
