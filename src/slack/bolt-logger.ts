// Bolt wants its own Logger interface; route it into our pino logger so one sink carries everything.
import { LogLevel, type Logger as BoltLogger } from '@slack/bolt';
import type { Logger } from '../log.js';

function line(msg: unknown[]): string {
  return msg.map((m) => (m instanceof Error ? `${m.name}: ${m.message}` : typeof m === 'string' ? m : JSON.stringify(m))).join(' ');
}

export function boltLogger(logger: Logger): BoltLogger {
  let level: LogLevel = LogLevel.WARN;
  const child = logger.child({ component: 'bolt' });
  return {
    // Bolt logs at debug on every request: format only when the level is on.
    debug: (...msg: unknown[]) => {
      if (child.isLevelEnabled('debug')) child.debug(line(msg));
    },
    info: (...msg: unknown[]) => {
      if (child.isLevelEnabled('info')) child.info(line(msg));
    },
    warn: (...msg: unknown[]) => child.warn(line(msg)),
    error: (...msg: unknown[]) => child.error(line(msg)),
    setLevel: (next: LogLevel) => {
      level = next;
    },
    getLevel: () => level,
    setName: () => undefined,
  };
}
