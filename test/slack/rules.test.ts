import { describe, expect, it } from 'vitest';
import { looksLikeFailure, skipReason } from '../../src/slack/auto-reply-rules.js';
import { clusterFor, parseChannelClusters } from '../../src/slack/channel-clusters.js';
import { parseCommandText } from '../../src/slack/command-options.js';
import { failureFingerprint } from '../../src/slack/fingerprint.js';

describe('parseCommandText', () => {
  it.each([
    ['help', { help: true }],
    ['  --help ', { help: true }],
    ['--private Error: x', { private: true, text: 'Error: x' }],
    ['--cluster prod --namespace=shop --release web Error: x', { cluster: 'prod', namespace: 'shop', release: 'web', text: 'Error: x' }],
    ['-n shop Error: x', { namespace: 'shop', text: 'Error: x' }],
    ['', { text: '' }],
  ])('%j', (raw, expected) => {
    expect(parseCommandText(raw)).toMatchObject(expected);
  });

  it('reads flags only before the paste, so flags inside helm output stay in the text', () => {
    const o = parseCommandText('$ helm upgrade web ./c --namespace shop\nError: boom');
    expect(o.namespace).toBeUndefined();
    expect(o.text).toBe('$ helm upgrade web ./c --namespace shop\nError: boom');
  });

  it('stops at a flag with an invalid value instead of swallowing it', () => {
    const o = parseCommandText('--release <!channel> Error: x');
    expect(o.release).toBeUndefined();
    expect(o.text).toBe('--release <!channel> Error: x');
  });

  it('keeps the paste after a newline following the flags', () => {
    expect(parseCommandText('--private\nError: x\nmore').text).toBe('Error: x\nmore');
  });
});

describe('channel → cluster', () => {
  const map = parseChannelClusters(['C1=prod', 'C2 = staging', 'broken', '=x']);
  it('maps, falls back, and lets --cluster win', () => {
    expect(clusterFor('C1', map, 'default')).toBe('prod');
    expect(clusterFor('C2', map, 'default')).toBe('staging');
    expect(clusterFor('C3', map, 'default')).toBe('default');
    expect(clusterFor('C1', map, 'default', 'dr')).toBe('dr');
    expect(map.size).toBe(2);
  });
});

describe('auto-reply rules', () => {
  const base = { type: 'message', channel: 'C1', channel_type: 'channel', user: 'U1', text: 'Error: x', ts: '1.1' };
  it.each([
    [{}, null],
    [{ subtype: 'file_share' }, null],
    [{ subtype: 'thread_broadcast' }, null],
    [{ subtype: 'message_changed' }, 'subtype'],
    [{ subtype: 'message_deleted' }, 'subtype'],
    [{ subtype: 'bot_message' }, 'subtype'],
    [{ bot_id: 'B1' }, 'bot'],
    [{ user: undefined }, 'no-user'],
    [{ user: 'UBOT' }, 'self'],
    [{ thread_ts: '0.1', parent_user_id: 'UBOT' }, 'own-thread'],
    [{ channel_type: 'im' }, 'channel-type'],
    [{ text: '' }, 'no-text'],
  ])('%j → %s', (over, reason) => {
    expect(skipReason({ ...base, ...over }, 'UBOT', true)).toBe(reason);
  });

  it('is off when AUTO_REPLY is false', () => {
    expect(skipReason(base, 'UBOT', false)).toBe('disabled');
  });

  it('pre-filters chat without failure vocabulary', () => {
    expect(looksLikeFailure('good morning everyone, how are you')).toBe(false);
    expect(looksLikeFailure('Error: UPGRADE FAILED: something')).toBe(true);
  });
});

describe('failureFingerprint', () => {
  it('is equal for the same failure and differs by release', () => {
    const a = failureFingerprint({ playbook: 'p', facts: { release: 'web', namespace: 'shop' } });
    expect(failureFingerprint({ playbook: 'p', facts: { namespace: 'shop', release: 'web' } })).toBe(a);
    expect(failureFingerprint({ playbook: 'p', facts: { release: 'api', namespace: 'shop' } })).not.toBe(a);
  });
});
