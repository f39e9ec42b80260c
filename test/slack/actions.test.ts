import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buttonClick, sendCommand, sendInteraction } from '../support/slack-requests.js';
import { okResult, RecordingDispatcher, SELECTOR_PASTE, SIGNING_SECRET, startHarness, type Harness } from './harness.js';

describe('reply buttons (uses ports: local Slack API + app)', () => {
  let h: Harness;
  let dispatcher: RecordingDispatcher;
  let triageId: string;
  let messageTs: string;

  beforeEach(async () => {
    dispatcher = new RecordingDispatcher();
    h = await startHarness({ dispatcher });
    await sendCommand(h.url, SIGNING_SECRET, { text: SELECTOR_PASTE });
    const { job, jobId } = await h.slack.waitFor('job', () => dispatcher.jobs[0]);
    triageId = job.requester.kind === 'slack' ? job.requester.triageId ?? '' : '';
    messageTs = job.requester.kind === 'slack' ? job.requester.messageTs ?? '' : '';
    await h.app.reporter.report(job, okResult(jobId, job.cluster));
  });
  afterEach(async () => h?.close());

  const feedbackCount = async (kind: string): Promise<number> => {
    const metric = await h.metrics.getSingleMetric('helm_triage_slack_feedback_total')?.get();
    return metric?.values.filter((v) => v.labels.kind === kind).reduce((n, v) => n + v.value, 0) ?? 0;
  };

  it('records "Helpful" once per user, however often it is clicked', async () => {
    const click = (user: string) => sendInteraction(h.url, SIGNING_SECRET, buttonClick({ actionId: 'ht_helpful', value: triageId, userId: user, messageTs, responseUrl: h.slack.responseUrl(`fb-${user}`) }));
    expect((await click('U0FAN0001')).status).toBe(200);
    await click('U0FAN0001');
    await click('U0FAN0002');
    await h.slack.waitFor('two thanks', () => h.slack.responses.filter((r) => r.id.startsWith('fb-')).length === 2);
    await new Promise((r) => setTimeout(r, 150));
    expect(await feedbackCount('helpful')).toBe(2);
    expect(h.slack.responses.filter((r) => r.id === 'fb-U0FAN0001')).toHaveLength(1);
    expect(h.logs.join('')).toContain('"kind":"helpful"');
  });

  it('records "Wrong diagnosis" separately, with the playbook', async () => {
    await sendInteraction(h.url, SIGNING_SECRET, buttonClick({ actionId: 'ht_wrong', value: triageId, messageTs, responseUrl: h.slack.responseUrl('wrong') }));
    await h.slack.waitFor('thanks', () => h.slack.responses.find((r) => r.id === 'wrong'));
    expect(await feedbackCount('wrong')).toBe(1);
    expect(await feedbackCount('helpful')).toBe(0);
    const metric = await h.metrics.getSingleMetric('helm_triage_slack_feedback_total')?.get();
    expect(metric?.values[0]?.labels.playbook).toBe('selector-change');
  });

  it('re-runs checks once for duplicate clicks, updating the same message to "running"', async () => {
    const click = buttonClick({ actionId: 'ht_rerun', value: triageId, messageTs });
    await Promise.all([sendInteraction(h.url, SIGNING_SECRET, click), sendInteraction(h.url, SIGNING_SECRET, click), sendInteraction(h.url, SIGNING_SECRET, click)]);
    await h.slack.waitFor('second job', () => dispatcher.jobs[1]);
    await new Promise((r) => setTimeout(r, 200));
    expect(dispatcher.jobs).toHaveLength(2);
    const updates = h.slack.callsTo('chat.update');
    expect(updates).toHaveLength(2);
    expect(updates[1]?.params.ts).toBe(messageTs);
    expect(JSON.stringify(updates[1]?.params.blocks)).toContain('Running read-only checks');
    expect(dispatcher.jobs[1]?.job.requester).toMatchObject({ messageTs, triageId });
  });

  it('acks link buttons (Runbook, Details) without doing anything else', async () => {
    const res = await sendInteraction(h.url, SIGNING_SECRET, buttonClick({ actionId: 'ht_runbook', messageTs, url: 'https://triage.example.test/runbooks/x' }));
    expect(res.status).toBe(200);
    await new Promise((r) => setTimeout(r, 100));
    expect(h.slack.callsTo('chat.update')).toHaveLength(1);
  });
});
