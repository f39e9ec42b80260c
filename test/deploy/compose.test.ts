import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { CONFIG_VARIABLES, loadConfig } from '../../src/config.js';
import { readText } from './support/chart.js';
import { isRecord } from './support/gotemplate.js';

// docker-compose.yml checked structurally (no Docker engine here).

/** Variables compose reads that are not app configuration: where things live on the host. */
const HOST_ONLY = ['HOST_PORT', 'HOST_KUBECONFIG', 'HOST_UID', 'HOST_GID'];
const APP_EXTRA = ['NODE_ENV'];
const config = new Set<string>(CONFIG_VARIABLES);

const text = readText('docker-compose.yml');
const compose: unknown = parseYaml(text, { merge: true });
if (!isRecord(compose) || !isRecord(compose.services)) throw new Error('docker-compose.yml: no services');
const services: Record<string, unknown> = compose.services;

function service(name: string): Record<string, unknown> {
  const s = services[name];
  if (!isRecord(s)) throw new Error(`no service ${name}`);
  return s;
}

function environment(s: Record<string, unknown>): Record<string, string> {
  const env = s.environment;
  if (!isRecord(env)) return {};
  return Object.fromEntries(Object.entries(env).map(([k, v]) => [k, String(v)]));
}

/** Compose interpolation: `${VAR:-default}` and `${VAR}` against the given variables. */
function interpolate(value: string, vars: Record<string, string>): string {
  return value.replace(/\$\{([A-Z_][A-Z0-9_]*)(?::-([^}]*))?\}/g, (_m, name: string, fallback?: string) => {
    const v = vars[name];
    return v !== undefined && v !== '' ? v : (fallback ?? '');
  });
}

function envExampleValues(): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of readText('.env.example').split('\n')) {
    const m = /^([A-Z_][A-Z0-9_]*)=(.*)$/.exec(line);
    if (m?.[1]) out[m[1]] = m[2] ?? '';
  }
  return out;
}

function envExampleKeys(): string[] {
  return readText('.env.example')
    .split('\n')
    .filter((l) => /^[A-Z_][A-Z0-9_]*=/.test(l))
    .map((l) => l.slice(0, l.indexOf('=')));
}

describe('docker-compose.yml', () => {
  it('has redis, bot and one agent, each from an image or this build', () => {
    expect(Object.keys(services).sort()).toEqual(['agent', 'bot', 'redis']);
    for (const [name, s] of Object.entries(services)) {
      expect(isRecord(s) && (typeof s.image === 'string' || s.build !== undefined), name).toBe(true);
    }
    expect(service('redis').image).toBe('redis:7-alpine');
    expect(service('bot').build).toBe('.');
    expect(service('agent').build).toBe('.');
  });

  it('runs Redis without persistence', () => {
    const command = service('redis').command;
    expect(command).toEqual(expect.arrayContaining(['--save', '', '--appendonly', 'no']));
  });

  it('runs `serve` and `agent --cluster local`, with the bot routing to that cluster by default', () => {
    expect(service('bot').command).toEqual(['serve']);
    expect(service('agent').command).toEqual(['agent', '--cluster', 'local']);
    expect(environment(service('agent')).CLUSTER_NAME).toBe('local');
    expect(environment(service('bot')).CLUSTER_NAME).toBe('local');
    expect(environment(service('bot')).REDIS_URL).toBe('redis://redis:6379');
    expect(environment(service('agent')).REDIS_URL).toBe('redis://redis:6379');
  });

  it('sets only variables the app reads (src/config.ts) in environment:', () => {
    for (const name of ['bot', 'agent']) {
      const unknown = Object.keys(environment(service(name))).filter((k) => !config.has(k) && !APP_EXTRA.includes(k));
      expect(unknown, name).toEqual([]);
    }
  });

  it('gives each role a configuration src/config.ts accepts, with no .env and with .env.example', () => {
    for (const vars of [{}, envExampleValues()]) {
      for (const name of ['bot', 'agent']) {
        const env = Object.fromEntries(Object.entries(environment(service(name))).map(([k, v]) => [k, interpolate(v, vars)]));
        expect(() => loadConfig(env), `${name} with ${Object.keys(vars).length ? '.env.example' : 'no .env'}`).not.toThrow();
      }
    }
    expect(() => loadConfig({ AUTO_REPLY: interpolate('${AUTO_REPLY:-true}', { AUTO_REPLY: 'sometimes' }) })).toThrow(/AUTO_REPLY/);
  });

  it('gives the agent no Slack token and the bot no cluster credentials', () => {
    expect(Object.keys(environment(service('agent'))).filter((k) => k.startsWith('SLACK_'))).toEqual([]);
    expect(environment(service('bot')).KUBECONFIG).toBeUndefined();
    expect(service('bot').volumes).toBeUndefined();
  });

  it('interpolates only documented variables, each listed in .env.example', () => {
    const used = [...text.matchAll(/\$\{([A-Z_][A-Z0-9_]*)/g)].map((m) => m[1] ?? '');
    expect(used.length).toBeGreaterThan(5);
    const documented = new Set(envExampleKeys());
    for (const name of used) {
      expect(config.has(name) || HOST_ONLY.includes(name), `${name} is neither config nor host-only`).toBe(true);
      expect(documented.has(name), `${name} missing from .env.example`).toBe(true);
    }
    for (const key of documented) expect(config.has(key) || HOST_ONLY.includes(key), `.env.example: ${key}`).toBe(true);
  });

  it('has a healthcheck on every service (the agent, which serves no HTTP, says so explicitly)', () => {
    expect(service('redis').healthcheck).toMatchObject({ test: ['CMD', 'redis-cli', 'ping'] });
    const botCheck = service('bot').healthcheck;
    expect(JSON.stringify(botCheck)).toContain('/healthz');
    expect(service('agent').healthcheck).toEqual({ disable: true });
    expect(text).toMatch(/agent serves no HTTP/);
  });

  it('starts bot and agent only once Redis is healthy', () => {
    for (const name of ['bot', 'agent']) {
      const deps = service(name).depends_on;
      if (!isRecord(deps)) throw new Error(`${name}: depends_on must be the long form`);
      for (const [dep, cond] of Object.entries(deps)) {
        expect(Object.keys(services), `${name} depends on unknown ${dep}`).toContain(dep);
        expect(cond).toEqual({ condition: 'service_healthy' });
        expect(service(dep).healthcheck, `${dep} needs a healthcheck`).toBeDefined();
      }
    }
  });

  it('mounts the kubeconfig read-only where KUBECONFIG points', () => {
    const agent = service('agent');
    const volumes = Array.isArray(agent.volumes) ? agent.volumes : [];
    const kube = volumes.find((v) => isRecord(v) && v.target === environment(agent).KUBECONFIG);
    expect(kube).toMatchObject({ type: 'bind', target: '/kube/config', read_only: true });
    for (const v of volumes) {
      if (typeof v === 'string') expect(v, 'short-form mounts must end in :ro').toMatch(/:ro$/);
      else expect(isRecord(v) && v.read_only, JSON.stringify(v)).toBe(true);
    }
  });

  it('runs the app non-root on a read-only filesystem with only /tmp writable', () => {
    for (const name of ['bot', 'agent']) {
      const s = service(name);
      expect(String(s.user), name).not.toMatch(/^(0|root)(:|$)/);
      expect(s.read_only, name).toBe(true);
      expect(s.tmpfs, name).toEqual(['/tmp']);
      expect(s.cap_drop, name).toEqual(['ALL']);
    }
    expect(service('bot').user).toBe('10001:10001');
  });
});
