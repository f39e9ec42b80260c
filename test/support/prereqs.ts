// What the suite needs beyond `npm ci`: a redis-server binary (or a reachable REDIS_URL), Chromium and
// the openssl CLI. Found on PATH (or REDIS_SERVER_PATH / CHROMIUM_PATH / OPENSSL_PATH); when missing and this is root with apt-get, the
// global setup (test/support/global-setup.ts) installs them once, quietly. What is still missing is
// reported with one line that says what to install; the tests that need it skip with that line
// (test/support/needs.ts) and the summary lists them (test/support/skip-summary.ts).
import { spawnSync } from 'node:child_process';
import { accessSync, constants, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { delimiter, join, resolve } from 'node:path';
import { Redis } from 'ioredis';

/** `redis-server`: a private server the test can stop and restart; `redis`: any Redis (own or REDIS_URL). */
export type Tool = Binary | 'redis';
export type Binary = 'redis-server' | 'chromium' | 'openssl';

export interface Prereqs {
  /** Tool → where it is (a path, or the URL of a shared Redis). */
  found: Partial<Record<Tool, string>>;
  /** Tool → one line: why it is missing and how to install it. */
  missing: Partial<Record<Tool, string>>;
}

const BINARIES: readonly Binary[] = ['redis-server', 'chromium', 'openssl'];
/** The Debian package, the environment override and the names on PATH of each binary. */
const PACKAGE: Record<Binary, string> = { 'redis-server': 'redis-server', chromium: 'chromium', openssl: 'openssl' };
const ENV: Record<Binary, string> = { 'redis-server': 'REDIS_SERVER_PATH', chromium: 'CHROMIUM_PATH', openssl: 'OPENSSL_PATH' };
const NAMES: Record<Binary, string[]> = { 'redis-server': ['redis-server'], chromium: ['chromium', 'chromium-browser'], openssl: ['openssl'] };
/** A failed apt-get is not retried for this long (each try can take a minute without a network). */
const APT_RETRY_MS = 60 * 60 * 1000;
const MARKER = resolve(import.meta.dirname, '..', '..', 'node_modules', '.cache', 'helm-triage-tests', 'apt-failed');

function executable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** The first executable `name` on PATH, like `command -v`. */
export function which(name: string, path = process.env.PATH ?? ''): string | undefined {
  for (const dir of path.split(delimiter)) {
    if (dir !== '' && executable(join(dir, name))) return join(dir, name);
  }
  return undefined;
}

/** The binary of a tool: its environment override, else PATH. */
export function locate(tool: Binary): string | undefined {
  const override = process.env[ENV[tool]];
  if (override !== undefined && override !== '' && executable(override)) return override;
  for (const name of NAMES[tool]) {
    const found = which(name);
    if (found !== undefined) return found;
  }
  return undefined;
}

/** After a package install: PATH, else where Debian puts it (PATH may not hold /usr/bin). */
function locateInstalled(tool: Binary): string | undefined {
  return locate(tool) ?? NAMES[tool].map((n) => `/usr/bin/${n}`).find(executable);
}

function installHint(tool: Binary): string {
  return `install it with: apt-get install -y ${PACKAGE[tool]} (or set ${ENV[tool]})`;
}

interface InstallResult { ok: boolean; why: string }

/** apt-get install, quietly, when this is root with apt-get and installing is not turned off. */
function aptInstall(packages: string[], log: (line: string) => void): InstallResult {
  if (process.env.HELM_TRIAGE_TEST_INSTALL === '0') return { ok: false, why: 'HELM_TRIAGE_TEST_INSTALL=0: not installing' };
  if (process.getuid?.() !== 0) return { ok: false, why: 'not root: not installed automatically' };
  const apt = which('apt-get');
  if (apt === undefined) return { ok: false, why: 'no apt-get on PATH: not installed automatically' };
  if (existsSync(MARKER)) {
    const failedAt = Number(readFileSync(MARKER, 'utf8'));
    if (Date.now() - failedAt < APT_RETRY_MS) return { ok: false, why: `apt-get install failed within the last hour (remove ${MARKER} to retry)` };
  }
  log(`test setup: installing ${packages.join(' ')} with apt-get (once, quietly) …`);
  const started = Date.now();
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const run = (args: string[]) => spawnSync(apt, args, { env, encoding: 'utf8', timeout: 10 * 60_000 });
  const update = run(['update', '-qq']);
  const install = update.status === 0 ? run(['install', '-y', '-qq', '--no-install-recommends', ...packages]) : update;
  if (install.status !== 0) {
    const last = `${install.stderr ?? ''}${install.error?.message ?? ''}`.trim().split('\n').pop() ?? '';
    mkdirSync(join(MARKER, '..'), { recursive: true });
    writeFileSync(MARKER, String(Date.now()));
    return { ok: false, why: `apt-get install failed (${last || `exit ${install.status}`})` };
  }
  log(`test setup: installed ${packages.join(' ')} in ${Math.round((Date.now() - started) / 1000)} s`);
  return { ok: true, why: '' };
}

async function pings(url: string): Promise<boolean> {
  const client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, enableOfflineQueue: false, retryStrategy: () => null, connectTimeout: 1000 });
  client.on('error', () => undefined);
  try {
    await client.connect();
    return (await client.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    client.disconnect();
  }
}

/** Finds what the suite needs, installing what it can; sets REDIS_SERVER_PATH, CHROMIUM_PATH, OPENSSL_PATH to what it found. */
export async function preparePrereqs(log: (line: string) => void = (l) => console.log(l)): Promise<Prereqs> {
  const prereqs: Prereqs = { found: {}, missing: {} };
  const absent = BINARIES.filter((t) => locate(t) === undefined);
  const install = absent.length > 0 ? aptInstall(absent.map((t) => PACKAGE[t]), log) : { ok: true, why: '' };
  for (const tool of BINARIES) {
    const path = locateInstalled(tool);
    if (path !== undefined && (!absent.includes(tool) || install.ok)) {
      prereqs.found[tool] = path;
      process.env[ENV[tool]] = path;
    } else {
      prereqs.missing[tool] = `${tool} not found on PATH (${install.why}); ${installHint(tool)}`;
    }
  }
  if (prereqs.found['redis-server'] !== undefined) {
    prereqs.found.redis = prereqs.found['redis-server'];
  } else {
    const url = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
    if (await pings(url)) prereqs.found.redis = url;
    else prereqs.missing.redis = `${prereqs.missing['redis-server'] ?? 'no redis-server'}, and no Redis answers at ${url} (REDIS_URL)`;
  }
  for (const line of Object.values(prereqs.missing)) log(`test setup: ${line}`);
  return prereqs;
}
