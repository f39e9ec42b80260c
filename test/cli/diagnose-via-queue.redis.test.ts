// `diagnose --check --via-queue --cluster NAME` in process against a real Redis and a real agent
// (src/queue/agent.ts) whose checks run on the local Kubernetes API server (opens ports).
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Queue } from 'bullmq';
import { startAgent, type Agent } from '../../src/queue/agent.js';
import { checkQueueName } from '../../src/queue/names.js';
import { has, needs } from '../support/needs.js';
import { freePort, startTestRedis, type TestRedis } from '../support/redis.js';
import { kubeFor, startKubeApiServer, type KubeApiServer } from '../support/kube-api-server.js';
import { loadScenario } from '../support/scenario.js';
import { runInProcess, type CliRun } from './support.js';

const SCENARIOS = join(import.meta.dirname, '..', 'scenarios');
// Same scenario and paste as the in-process --check test (test/cli/diagnose-check.test.ts).
const PASTE = '$ helm rollback web 1 -n storefront --force\nError: cannot patch "web" with kind Service: Service "web" is invalid: spec.loadBalancerClass: Invalid value: "null": may not change once set';

const inProcess = (args: string[], env: NodeJS.ProcessEnv): Promise<CliRun> => runInProcess(args, PASTE, env);

let redis: TestRedis;
let server: KubeApiServer | undefined;
let agent: Agent | undefined;

beforeAll(async () => { if (has('redis')) redis = await startTestRedis(); });
afterAll(async () => { await redis?.close(); });
afterEach(async () => {
  await agent?.close();
  agent = undefined;
  await server?.close();
  server = undefined;
});

const prefix = (): string => `vq-${randomUUID().slice(0, 8)}`;

describe('helm-triage diagnose --check --via-queue (real Redis, real agent)', needs('redis'), () => {
  it('prints the agent\'s answer with findings from the real checks (text)', async () => {
    server = await startKubeApiServer(loadScenario(join(SCENARIOS, 'lbc-class-confirmed.yaml')));
    const p = prefix();
    agent = startAgent({ redisUrl: redis.url, cluster: 'staging', kube: kubeFor(server), prefix: p, drainDelay: 1, name: 'agent-staging' });
    await agent.ready();
    const run = await inProcess(['diagnose', '--check', '--via-queue', '--cluster', 'staging', '--queue-prefix', p, '-'], { REDIS_URL: redis.url });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('Service loadBalancerClass cannot change');
    expect(run.stdout).toContain('(checks for cluster staging through the queue, answered by agent agent-staging)');
    expect(run.stdout).toContain('Cluster verdict: CONFIRMED');
    expect(run.stdout).toContain('[✓] aws-lbc-version: aws-load-balancer-controller image v2.7.1 (< v2.8.0)');
    expect(run.stdout).toContain("[✓] service-load-balancer-class: Service web has loadBalancerClass service.k8s.aws/nlb, revision 1's manifest has none");
    expect(server.writeAttempts).toHaveLength(0);
  });

  it('prints the agent\'s answer as JSON with the checks outcome', async () => {
    server = await startKubeApiServer(loadScenario(join(SCENARIOS, 'lbc-class-confirmed.yaml')));
    const p = prefix();
    agent = startAgent({ redisUrl: redis.url, cluster: 'staging', kube: kubeFor(server), prefix: p, drainDelay: 1, name: 'agent-staging' });
    await agent.ready();
    // The prefix from QUEUE_PREFIX this time, as the bot and agents read it.
    const run = await inProcess(['diagnose', '--check', '--via-queue', '--cluster', 'staging', '--json', '-'], { REDIS_URL: redis.url, QUEUE_PREFIX: p });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const out = JSON.parse(run.stdout) as { playbook: string; verdict: { status: string; playbook: string }; findings: Array<{ check: string; status: string }>; checks: unknown };
    expect(out.playbook).toBe('immutable-load-balancer-class');
    expect(out.verdict).toMatchObject({ status: 'confirmed', playbook: 'immutable-load-balancer-class' });
    expect(out.findings).toEqual(expect.arrayContaining([
      expect.objectContaining({ check: 'aws-lbc-version', status: 'confirmed' }),
      expect.objectContaining({ check: 'service-load-balancer-class', status: 'confirmed' }),
    ]));
    expect(out.checks).toEqual({ cluster: 'staging', outcome: 'ok', agent: 'agent-staging' });
  });

  it('says no agent answered when none serves the cluster, after the deadline, and leaves no job behind', async () => {
    const p = prefix();
    const run = await inProcess(['diagnose', '--check', '--via-queue', '--cluster', 'nowhere', '--queue-prefix', p, '-'], { REDIS_URL: redis.url, CHECK_DEADLINE_SECONDS: '2' });
    const leftover = new Queue(checkQueueName('nowhere'), { connection: { url: redis.url }, prefix: p });
    const counts = await leftover.getJobCounts('wait', 'active');
    await leftover.close();
    expect(counts).toMatchObject({ wait: 0, active: 0 });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('Service loadBalancerClass cannot change');
    expect(run.stdout).toContain('no agent answered for cluster nowhere within 2 s');
    expect(run.stdout).toContain('Cluster verdict: TEXT-ONLY');
    expect(run.ms).toBeGreaterThanOrEqual(1900);
    expect(run.ms).toBeLessThan(6000);
  });

  it('reports the no-agent outcome in JSON', async () => {
    const run = await inProcess(['diagnose', '--check', '--via-queue', '--cluster', 'nowhere', '--queue-prefix', prefix(), '--json', '-'], { REDIS_URL: redis.url, CHECK_DEADLINE_SECONDS: '1' });
    const out = JSON.parse(run.stdout) as { checks: unknown; findings: unknown[]; verdict: { status: string } };
    expect(out.checks).toEqual({ cluster: 'nowhere', outcome: 'no-agent', message: 'no agent answered for cluster nowhere within 1 s' });
    expect(out.findings).toEqual([]);
    expect(out.verdict.status).toBe('text-only');
  });

  it('prints the text diagnosis and "queue unreachable" within seconds when Redis is not there', async () => {
    const closed = `redis://127.0.0.1:${await freePort()}`;
    const run = await inProcess(['diagnose', '--check', '--via-queue', '--cluster', 'staging', '-'], { REDIS_URL: closed });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('Service loadBalancerClass cannot change');
    expect(run.stdout).toContain('cluster checks unavailable (queue unreachable)');
    expect(run.ms).toBeLessThan(4000);
  });

  it('says there is nothing to check when no playbook matched, without touching Redis', async () => {
    const closed = `redis://127.0.0.1:${await freePort()}`;
    const run = await runInProcess(['diagnose', '--check', '--via-queue', '--cluster', 'staging', '-'], 'Error: something nobody has seen before', { REDIS_URL: closed });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('no diagnosis and no cluster checks');
    expect(run.ms).toBeLessThan(1000);
  });
});

describe('helm-triage diagnose --via-queue usage errors', () => {
  it.each([
    [['--via-queue', '--cluster', 'staging'], { REDIS_URL: 'redis://127.0.0.1:1' }, 'only apply with --check'],
    [['--check', '--via-queue'], { REDIS_URL: 'redis://127.0.0.1:1' }, '--via-queue needs --cluster NAME'],
    [['--check', '--via-queue', '--cluster', 'Prod!'], { REDIS_URL: 'redis://127.0.0.1:1' }, 'is not a valid cluster name'],
    [['--check', '--via-queue', '--cluster', 'staging'], {}, '--via-queue needs REDIS_URL'],
    [['--check', '--via-queue', '--cluster', 'staging', '--context', 'x'], { REDIS_URL: 'redis://127.0.0.1:1' }, 'do not apply with --via-queue'],
    [['--check', '--via-queue', '--cluster', 'staging', '--kubeconfig', '/x'], { REDIS_URL: 'redis://127.0.0.1:1' }, 'do not apply with --via-queue'],
    [['--check', '--cluster', 'staging'], {}, 'only apply with --via-queue'],
  ] as Array<[string[], NodeJS.ProcessEnv, string]>)('%j → usage error', async (flags, env, message) => {
    const run = await inProcess(['diagnose', ...flags, '-'], env);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(message);
    expect(run.stdout).toBe('');
    expect(run.ms).toBeLessThan(1000);
  });
});
