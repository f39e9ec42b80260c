// client-go exec credential plugins (EKS `aws eks get-token`, GKE `gke-gcloud-auth-plugin`, AKS `kubelogin`):
// run the kubeconfig's command with KUBERNETES_EXEC_INFO, read an ExecCredential from its stdout, and reuse it
// until its expirationTimestamp (or until the API server answers 401). Concurrent requests share one run.
import { execFile } from 'node:child_process';
import type { ExecConfig } from './kubeconfig.js';
import { CredentialError } from './transport.js';

export interface ExecCredential {
  token?: string;
  /** PEM. */
  clientCertificateData?: string;
  clientKeyData?: string;
  /** Epoch ms; undefined: valid until the server refuses it. */
  expiresAt?: number;
}

export interface ClusterInfo {
  server: string;
  ca?: string;
  skipTLSVerify: boolean;
  tlsServerName?: string;
}

/** Runs the plugin; resolves with its stdout. Tests and callers may swap it. */
export type RunPlugin = (command: string, args: string[], env: NodeJS.ProcessEnv, timeoutMs: number) => Promise<string>;

const PLUGIN_TIMEOUT_MS = 30_000;
/** Renew this long before the stated expiry, so a request does not leave with a token about to lapse. */
const EXPIRY_MARGIN_MS = 10_000;

const runPlugin: RunPlugin = (command, args, env, timeoutMs) =>
  new Promise((resolve, reject) => {
    execFile(command, args, { env, timeout: timeoutMs, maxBuffer: 1024 * 1024, windowsHide: true }, (err, stdout, stderr) => {
      if (err) {
        const detail = String(stderr).trim().split('\n').slice(-3).join(' ').slice(0, 300);
        reject(Object.assign(err, { detail }));
      } else resolve(String(stdout));
    });
  });

function execInfo(exec: ExecConfig, cluster: ClusterInfo): string {
  const spec: Record<string, unknown> = { interactive: false };
  if (exec.provideClusterInfo) {
    const c: Record<string, unknown> = { server: cluster.server, 'insecure-skip-tls-verify': cluster.skipTLSVerify };
    if (cluster.ca !== undefined) c['certificate-authority-data'] = Buffer.from(cluster.ca).toString('base64');
    if (cluster.tlsServerName !== undefined) c['tls-server-name'] = cluster.tlsServerName;
    spec.cluster = c;
  }
  return JSON.stringify({ apiVersion: exec.apiVersion, kind: 'ExecCredential', spec });
}

/** Parses a plugin's stdout; throws CredentialError saying what was wrong. */
export function parseExecCredential(stdout: string, command: string): ExecCredential {
  let doc: unknown;
  try {
    doc = JSON.parse(stdout);
  } catch {
    throw new CredentialError(`the exec credential plugin "${command}" did not print an ExecCredential (its output is not JSON)`);
  }
  const status = doc !== null && typeof doc === 'object' ? (doc as { kind?: unknown; status?: unknown }) : {};
  const s = status.status !== null && typeof status.status === 'object' ? (status.status as Record<string, unknown>) : undefined;
  if (status.kind !== 'ExecCredential' || s === undefined) {
    throw new CredentialError(`the exec credential plugin "${command}" did not print an ExecCredential with a status`);
  }
  const out: ExecCredential = {};
  if (typeof s.token === 'string' && s.token !== '') out.token = s.token;
  if (typeof s.clientCertificateData === 'string' && typeof s.clientKeyData === 'string') {
    out.clientCertificateData = s.clientCertificateData;
    out.clientKeyData = s.clientKeyData;
  }
  if (out.token === undefined && out.clientCertificateData === undefined) {
    throw new CredentialError(`the exec credential plugin "${command}" returned neither a token nor a client certificate and key`);
  }
  if (typeof s.expirationTimestamp === 'string') {
    const t = Date.parse(s.expirationTimestamp);
    if (Number.isFinite(t)) out.expiresAt = t;
  }
  return out;
}

export class ExecCredentials {
  private current: Promise<ExecCredential> | undefined;

  constructor(
    private readonly exec: ExecConfig,
    private readonly cluster: ClusterInfo,
    private readonly deps: { run?: RunPlugin; now?: () => number; env?: NodeJS.ProcessEnv } = {},
  ) {}

  /** A valid credential, running the plugin when there is none or it is about to expire. */
  async get(): Promise<ExecCredential> {
    const now = (this.deps.now ?? Date.now)();
    const held = this.current;
    if (held !== undefined) {
      const cred = await held.catch(() => undefined);
      if (cred !== undefined && (cred.expiresAt === undefined || cred.expiresAt - EXPIRY_MARGIN_MS > now)) return cred;
      if (this.current === held) this.current = undefined;
    }
    if (this.current === undefined) {
      const run = this.fetch();
      this.current = run;
      // A failed run is not kept: the next request tries again.
      run.catch(() => {
        if (this.current === run) this.current = undefined;
      });
    }
    return this.current;
  }

  /** The server refused the credential (401): run the plugin again next time. */
  invalidate(): void {
    this.current = undefined;
  }

  private async fetch(): Promise<ExecCredential> {
    const { exec } = this;
    const env: NodeJS.ProcessEnv = { ...(this.deps.env ?? process.env) };
    for (const e of exec.env) env[e.name] = e.value;
    env.KUBERNETES_EXEC_INFO = execInfo(exec, this.cluster);
    let stdout: string;
    try {
      stdout = await (this.deps.run ?? runPlugin)(exec.command, exec.args, env, PLUGIN_TIMEOUT_MS);
    } catch (err) {
      const code = (err as { code?: unknown }).code;
      const detail = (err as { detail?: unknown }).detail;
      if (code === 'ENOENT') {
        throw new CredentialError(`the kubeconfig's exec credential plugin "${exec.command}" is not installed or not on PATH${exec.installHint ? ` (${exec.installHint.trim().split('\n')[0] ?? ''})` : ''}`);
      }
      const why = typeof detail === 'string' && detail !== '' ? detail : err instanceof Error ? err.message : String(err);
      throw new CredentialError(`the kubeconfig's exec credential plugin "${exec.command}" failed: ${why}`);
    }
    return parseExecCredential(stdout, exec.command);
  }
}
