// Handlers never crash the app: failures are logged without user text and the user is told what to do.
import type { Logger } from '../log.js';
import { describeError } from './slack-errors.js';

export async function guarded(logger: Logger, what: string, work: () => Promise<void>, tellUser?: (text: string) => Promise<unknown>): Promise<void> {
  try {
    await work();
  } catch (err) {
    logger.error({ err: describeError(err), what }, 'slack handler failed');
    if (tellUser) {
      await tellUser('Sorry, helm-triage hit an error while answering. Please try again in a minute; if it keeps happening, ask the helm-triage admins to check the bot logs.').catch(() => undefined);
    }
  }
}
