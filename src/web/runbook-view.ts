import type { Playbook } from '../playbooks/schema.js';
import type { CheckView, RunbookPageView } from '../render/html/runbook-page.js';
import { renderTemplate } from '../playbooks/render.js';
import { factsOf, fillCommand, type ParsedRunbookParams } from './runbook-params.js';

// Playbook + query parameters → what the runbook page (or its JSON) shows. Pure.

export function buildRunbookView(
  playbook: Playbook,
  params: ParsedRunbookParams,
  checkDescription: (id: string) => string | undefined,
): RunbookPageView {
  const checks: CheckView[] = playbook.checks.map((id) => {
    const description = checkDescription(id);
    return description === undefined ? { id } : { id, description };
  });
  return {
    id: playbook.id,
    title: playbook.title,
    summary: playbook.summary,
    rootCause: renderTemplate(playbook.rootCause, factsOf(params.values)).text,
    examples: playbook.examples.filter((ex) => ex.expect === playbook.id).map((ex) => ex.input.trimEnd()),
    checks,
    commands: playbook.commands.map((cmd) => fillCommand(cmd, params.values)),
    runbookMarkdown: playbook.runbook,
    references: playbook.references,
    params: params.values,
    ignored: params.ignored,
  };
}

/** Link to a runbook filled with what a triage learned. */
export function runbookHref(playbookId: string, facts: { release?: string; namespace?: string }): string {
  const query = new URLSearchParams();
  if (facts.release) query.set('release', facts.release);
  if (facts.namespace) query.set('namespace', facts.namespace);
  const qs = query.toString();
  return `/runbooks/${encodeURIComponent(playbookId)}${qs ? `?${qs}` : ''}`;
}
