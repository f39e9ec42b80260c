import { describe, expect, it } from 'vitest';
import { checkJobId, normalizeForId } from '../../src/queue/job-id.js';
import { makeJob } from './support.js';

describe('checkJobId', () => {
  const base = makeJob({ text: 'Error: x', createdAt: 1_700_000_000_000 });

  it('is the same for the same request within the window, whitespace and case aside', () => {
    const again = { ...base, text: '  error:\n x ', createdAt: base.createdAt + 1000 };
    expect(checkJobId(again, 60_000)).toBe(checkJobId(base, 60_000));
  });

  it('differs by cluster, conversation, text and time window', () => {
    const id = checkJobId(base);
    expect(checkJobId({ ...base, cluster: 'staging' })).not.toBe(id);
    expect(checkJobId({ ...base, requester: { kind: 'slack', channel: 'C0OTHER' } })).not.toBe(id);
    expect(checkJobId({ ...base, text: 'Error: y' })).not.toBe(id);
    expect(checkJobId({ ...base, createdAt: base.createdAt + 120_000 }, 60_000)).not.toBe(id);
    expect(checkJobId({ ...base, requester: { kind: 'cli', correlationId: 'a' } })).not.toBe(checkJobId({ ...base, requester: { kind: 'cli', correlationId: 'b' } }));
  });

  it('keeps two triages of the same paste in one channel apart (each private answer gets its update)', () => {
    const first = { ...base, requester: { kind: 'slack' as const, channel: 'C0SAME', triageId: 'tA' } };
    const second = { ...base, requester: { kind: 'slack' as const, channel: 'C0SAME', triageId: 'tB' } };
    expect(checkJobId(first)).not.toBe(checkJobId(second));
    expect(checkJobId(first)).toBe(checkJobId({ ...first }));
  });

  it('is a valid BullMQ custom id: no colon, not an integer', () => {
    const id = checkJobId(base);
    expect(id).toMatch(/^chk-[0-9a-f]{32}$/);
    expect(id).not.toContain(':');
  });

  it('normalizes whitespace and case only', () => {
    expect(normalizeForId(' A\t b\n\nC ')).toBe('a b c');
  });
});
