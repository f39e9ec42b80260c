// Acks first, for every request: work that follows an ack waits until no Slack request has been waiting
// for its ack for a short quiet period (or at most `maxWaitMs`). Under a burst of commands, every ack
// then goes out before any diagnosis, post or enqueue competes with it for the event loop.
import type { ServerResponse } from 'node:http';

export class AckGate {
  private unanswered = 0;
  private lastActivity = 0;
  private waiters: Array<() => void> = [];
  /** Waiters past maxWaitMs while requests still await acks: released one per event-loop turn. */
  private overdue: Array<() => void> = [];
  private pumping = false;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly quietMs = 50,
    private readonly maxWaitMs = 2000,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** Count a request until its response is sent (or the connection closes). */
  track(res: ServerResponse): void {
    this.unanswered += 1;
    this.lastActivity = this.now();
    let done = false;
    const end = (): void => {
      if (done) return;
      done = true;
      this.unanswered -= 1;
      this.lastActivity = this.now();
      this.schedule();
    };
    res.once('finish', end);
    res.once('close', end);
  }

  /** Resolves once the server has been quiet (no request awaiting its ack) for `quietMs`. */
  idle(): Promise<void> {
    if (this.unanswered === 0 && this.now() - this.lastActivity >= this.quietMs) return new Promise((resolve) => setImmediate(resolve));
    return new Promise((resolve) => {
      const giveUp = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== wake);
        this.overdue.push(resolve);
        this.pump();
      }, this.maxWaitMs);
      const wake = (): void => {
        clearTimeout(giveUp);
        resolve();
      };
      this.waiters.push(wake);
      this.schedule();
    });
  }

  /** Under sustained load, trickle overdue work so pending acks still get turns in between. */
  private pump(): void {
    if (this.pumping) return;
    this.pumping = true;
    const step = (): void => {
      const next = this.overdue.shift();
      if (!next) {
        this.pumping = false;
        return;
      }
      next();
      setImmediate(step);
    };
    setImmediate(step);
  }

  private schedule(): void {
    if (this.timer || this.waiters.length === 0 || this.unanswered > 0) return;
    const wait = Math.max(0, this.quietMs - (this.now() - this.lastActivity));
    this.timer = setTimeout(() => {
      this.timer = undefined;
      if (this.unanswered > 0) return;
      if (this.now() - this.lastActivity < this.quietMs) {
        this.schedule();
        return;
      }
      const waiters = this.waiters;
      this.waiters = [];
      for (const wake of waiters) wake();
    }, wait);
    this.timer.unref?.();
  }
}
