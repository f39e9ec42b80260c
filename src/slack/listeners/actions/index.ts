import type { App, BlockAction, ButtonAction } from '@slack/bolt';
import { ACTION_IDS } from '../../../render/slack.js';
import type { SlackServices } from '../../services.js';
import { feedbackClick } from './feedback.js';
import { rerunChecks } from './rerun.js';
import { planRollbackClick } from './rollback-plan.js';

export function registerActions(app: App, services: SlackServices): void {
  // Link buttons still send an interaction; it only needs an ack.
  app.action(ACTION_IDS.runbook, async ({ ack }) => ack());
  app.action(ACTION_IDS.details, async ({ ack }) => ack());
  app.action(ACTION_IDS.rollbackPage, async ({ ack }) => ack());
  app.action<BlockAction<ButtonAction>>(ACTION_IDS.rerun, rerunChecks(services));
  app.action<BlockAction<ButtonAction>>(ACTION_IDS.rollbackPlan, planRollbackClick(services));
  app.action<BlockAction<ButtonAction>>(ACTION_IDS.helpful, feedbackClick(services, 'helpful'));
  app.action<BlockAction<ButtonAction>>(ACTION_IDS.wrong, feedbackClick(services, 'wrong'));
}
