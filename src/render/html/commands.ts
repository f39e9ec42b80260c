// Suggested commands as pages show them (the runbook's and the triage's, and a finding's way out):
// copy button, read-only or changes-the-cluster badge, risk line, and what to replace before running.
import type { RenderedCommand } from '../../triage/types.js';
import { escapeHtml as e } from '../markdown.js';

export function renderCommands(commands: readonly RenderedCommand[], idPrefix: string): string {
  if (commands.length === 0) return '<p>No commands for this case.</p>';
  return `<ol class="commands">${commands
    .map((cmd, i) => {
      const id = `${idPrefix}-${i + 1}`;
      const effect = cmd.effect === 'read-only'
        ? '<span class="badge ok">read-only</span>'
        : '<span class="badge warn">changes the cluster</span>';
      const toFill = toReplace(cmd);
      const missing = toFill.length
        ? `<p class="missing">Replace ${toFill.map((m) => `<code>&lt;${e(m)}&gt;</code>`).join(', ')} before running.</p>`
        : '';
      return `<li class="cmd"><div class="cmd-head">${effect}${cmd.description ? `<span class="desc">${e(cmd.description)}</span>` : ''}<button type="button" class="copy" data-copy="${id}" hidden>Copy</button></div>
<pre class="command"><code id="${id}">${e(cmd.command)}</code></pre>${cmd.risk ? `<p class="risk"><strong>Risk:</strong> ${e(cmd.risk)}</p>` : ''}${missing}</li>`;
    })
    .join('\n')}</ol>`;
}

const ANGLE_PLACEHOLDER = /<([A-Za-z][A-Za-z0-9._-]{0,63})>/g;

/** Every `<name>` the reader must replace: facts no paste filled, and the ones playbooks leave to the reader (`<pod>`). */
export function toReplace(cmd: Pick<RenderedCommand, 'command' | 'missing'>): string[] {
  const names = [...(cmd.missing ?? [])];
  for (const m of cmd.command.matchAll(ANGLE_PLACEHOLDER)) if (m[1] && !names.includes(m[1])) names.push(m[1]);
  return names;
}
