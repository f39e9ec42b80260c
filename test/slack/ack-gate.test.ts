import { EventEmitter } from 'node:events';
import type { ServerResponse } from 'node:http';
import { describe, expect, it } from 'vitest';
import { AckGate } from '../../src/slack/ack-gate.js';

/** Only the events the gate listens to; a real ServerResponse emits the same. */
function fakeResponse(): ServerResponse & EventEmitter {
  return new EventEmitter() as ServerResponse & EventEmitter;
}

describe('AckGate', () => {
  it('opens at once when no request awaits its ack', async () => {
    const gate = new AckGate(0, 1000);
    let opened = false;
    await gate.idle().then(() => (opened = true));
    expect(opened).toBe(true);
  });

  it('holds post-ack work until every tracked request has been answered and the server was quiet', async () => {
    let t = 0;
    const gate = new AckGate(20, 5000, () => t);
    const a = fakeResponse();
    const b = fakeResponse();
    gate.track(a);
    gate.track(b);
    let opened = false;
    const waiting = gate.idle().then(() => (opened = true));
    a.emit('finish');
    await new Promise((r) => setTimeout(r, 40));
    expect(opened).toBe(false);
    b.emit('close');
    t += 25;
    await waiting;
    expect(opened).toBe(true);
  });

  it('never waits longer than maxWaitMs (no starvation under constant load)', async () => {
    const gate = new AckGate(10, 30);
    gate.track(fakeResponse());
    const started = Date.now();
    await gate.idle();
    expect(Date.now() - started).toBeGreaterThanOrEqual(25);
  });
});

describe('AckGate under sustained load', () => {
  it('releases overdue work one per event-loop turn, not all at once', async () => {
    const gate = new AckGate(10, 20);
    gate.track(fakeResponse());
    const order: string[] = [];
    const work = Array.from({ length: 3 }, (_, i) => gate.idle().then(() => {
      order.push(`work${i}`);
      setImmediate(() => order.push(`turn-after-work${i}`));
    }));
    await Promise.all(work);
    await new Promise((r) => setImmediate(r));
    // Another turn (where I/O such as pending acks runs) happens between two released pieces of work.
    expect(order.indexOf('turn-after-work0')).toBeLessThan(order.indexOf('work2'));
  });
});
