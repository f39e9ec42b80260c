// The local Kubernetes API server in a process of its own, as a real one is on its own machine: the
// queue bench then measures the bot's event loop without the API server's work on it (and the
// other way round). Run as a child through `startKubeApiProcess`; talks to its parent over IPC.
import { fork } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { startKubeApiServer } from '../../test/support/kube-api-server.js';
import { loadScenario } from '../../test/support/scenario.js';

export interface KubeApiProcess {
  readonly url: string;
  readonly token: string;
  readonly pid: number | undefined;
  /** Requests served and writes attempted so far. */
  stats(): Promise<ApiStats>;
  close(): Promise<void>;
}

interface ApiStats {
  requestCount: number;
  writeAttempts: number;
}

type ToChild = { type: 'stats' } | { type: 'close' };
type FromChild = { type: 'listening'; url: string; token: string } | ({ type: 'stats' } & ApiStats);

const SELF = fileURLToPath(import.meta.url);

/** A kubeconfig for a TLS server started here, trusting its certificate as kubectl would. */
export function writeBenchKubeconfig(file: string, server: Pick<KubeApiProcess, 'url' | 'token'>, certFile: string): void {
  writeFileSync(file, [
    'apiVersion: v1', 'kind: Config',
    `clusters: [{ name: bench, cluster: { server: "${server.url}", certificate-authority-data: ${readFileSync(certFile).toString('base64')} } }]`,
    `users: [{ name: bench, user: { token: ${server.token} } }]`,
    'contexts: [{ name: bench, context: { cluster: bench, user: bench } }]',
    'current-context: bench',
  ].join('\n'));
}

/** `tls`: PEM files of the server certificate (clients such as kubectl send bearer tokens only over HTTPS). */
export async function startKubeApiProcess(scenarioFile: string, latencyMs: number, options: { tls?: { certFile: string; keyFile: string } } = {}): Promise<KubeApiProcess> {
  const tlsArgs = options.tls ? [options.tls.certFile, options.tls.keyFile] : [];
  const child = fork(SELF, [scenarioFile, String(latencyMs), ...tlsArgs], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const next = <T extends FromChild['type']>(type: T): Promise<Extract<FromChild, { type: T }>> =>
    new Promise((resolve, reject) => {
      const onMessage = (m: FromChild): void => {
        if (m.type !== type) return;
        child.off('message', onMessage);
        child.off('exit', onExit);
        resolve(m as Extract<FromChild, { type: T }>);
      };
      const onExit = (code: number | null): void => reject(new Error(`the API server process exited (${code}) before answering`));
      child.on('message', onMessage);
      child.once('exit', onExit);
    });
  const send = (m: ToChild): void => {
    child.send(m);
  };
  const { url, token } = await next('listening');
  return {
    url,
    token,
    pid: child.pid,
    async stats() {
      const answer = next('stats');
      send({ type: 'stats' });
      const { requestCount, writeAttempts } = await answer;
      return { requestCount, writeAttempts };
    },
    close: () => new Promise<void>((resolve) => {
      if (child.exitCode !== null) return resolve();
      child.once('exit', () => resolve());
      send({ type: 'close' });
    }),
  };
}

async function serveAsChild(scenarioFile: string, latencyMs: number, tls?: { cert: string; key: string }): Promise<void> {
  const server = await startKubeApiServer({ ...loadScenario(scenarioFile), latencyMs }, tls ? { tls } : {});
  const reply = (m: FromChild): void => {
    process.send?.(m);
  };
  process.on('message', (m: ToChild) => {
    if (m.type === 'stats') reply({ type: 'stats', requestCount: server.requestCount, writeAttempts: server.writeAttempts.length });
    if (m.type === 'close') void server.close({ allowWrites: true }).then(() => process.exit(0));
  });
  // The parent going away (a crashed bench) ends this process too.
  process.on('disconnect', () => process.exit(0));
  reply({ type: 'listening', url: server.url, token: server.token });
}

if (process.argv[1] === SELF && process.send) {
  const [scenarioFile, latency, certFile, keyFile] = process.argv.slice(2);
  if (!scenarioFile) throw new Error('usage: kube-api-process.ts SCENARIO_FILE LATENCY_MS [CERT_FILE KEY_FILE]');
  const tls = certFile && keyFile ? { cert: readFileSync(certFile, 'utf8'), key: readFileSync(keyFile, 'utf8') } : undefined;
  void serveAsChild(scenarioFile, Number(latency ?? 0), tls);
}
