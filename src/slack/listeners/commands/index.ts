import type { App } from '@slack/bolt';
import type { SlackServices } from '../../services.js';
import { helmTriageCommand } from './helm-triage.js';

export const COMMAND = '/helm-triage';

export function registerCommands(app: App, services: SlackServices): void {
  app.command(COMMAND, helmTriageCommand(services));
}
