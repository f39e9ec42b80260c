import type { App } from '@slack/bolt';
import type { SlackServices } from '../../services.js';
import { pastedLog } from './pasted-log.js';

export function registerMessages(app: App, services: SlackServices): void {
  app.event('message', pastedLog(services));
}
