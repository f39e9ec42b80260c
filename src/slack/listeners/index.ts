// Registration only; each handler lives beside its listener.
import type { App } from '@slack/bolt';
import type { SlackServices } from '../services.js';
import { registerActions } from './actions/index.js';
import { registerCommands } from './commands/index.js';
import { registerMessages } from './messages/index.js';
import { registerViews } from './views/index.js';

export function registerListeners(app: App, services: SlackServices): void {
  registerCommands(app, services);
  registerMessages(app, services);
  registerActions(app, services);
  registerViews(app, services);
}
