import type { App } from '@slack/bolt';
import { TRIAGE_MODAL } from '../../modal.js';
import type { SlackServices } from '../../services.js';
import { triageModalSubmission } from './triage-modal.js';

export function registerViews(app: App, services: SlackServices): void {
  app.view(TRIAGE_MODAL.callbackId, triageModalSubmission(services));
}
