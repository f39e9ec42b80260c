// Pure: a diagnosis as plain terminal text. Colour codes only when asked (the CLI asks on a TTY).
import type { Diagnosis } from '../triage/types.js';
import { formatPercent, shownMatches } from './shared.js';

export interface TextOptions {
  color?: boolean;
  /** Heading shown first, e.g. the file name when several are diagnosed. */
  heading?: string;
  /** Cluster checks ran and are printed after: don't suggest --check. */
  checked?: boolean;
}

type Style = (s: string) => string;

function styles(color: boolean): { bold: Style; dim: Style; red: Style; green: Style; yellow: Style; cyan: Style } {
  const wrap = (open: number, close: number): Style => (s) => (color ? `\x1b[${open}m${s}\x1b[${close}m` : s);
  return { bold: wrap(1, 22), dim: wrap(2, 22), red: wrap(31, 39), green: wrap(32, 39), yellow: wrap(33, 39), cyan: wrap(36, 39) };
}

function indent(text: string, pad: string): string {
  return text.split('\n').map((l) => (l === '' ? l : pad + l)).join('\n');
}

export function renderText(d: Diagnosis, options: TextOptions = {}): string {
  const s = styles(options.color === true);
  const out: string[] = [];
  if (options.heading !== undefined) out.push(s.bold(`== ${options.heading}`));
  if (d.playbook === null) {
    out.push(`${s.yellow('No diagnosis')} ${s.dim('(helm-triage abstains rather than guess)')}`);
  } else {
    out.push(`${s.bold(d.title ?? d.playbook)} ${s.dim(`[${d.playbook}]`)}`);
    out.push(`confidence ${formatPercent(d.confidence)}`);
  }
  if (d.rootCause !== null) {
    out.push('', s.bold('Root cause'), indent(wrapText(d.rootCause, 100), '  '));
  }
  const primary = d.matches.find((m) => m.playbook === d.playbook);
  if (primary && primary.evidence.length > 0) {
    out.push('', s.bold('Evidence'));
    for (const e of primary.evidence) {
      const mark = e.weight < 0 ? s.red('−') : '•';
      out.push(`  ${mark} ${s.dim(`line ${e.line}:`)} ${e.text}`);
    }
  }
  if (d.commands.length > 0) {
    out.push('', s.bold('Commands'));
    for (const c of d.commands) {
      const tag = c.effect === 'read-only' ? s.green('[read-only]      ') : s.red('[changes-cluster]');
      out.push(`  ${tag} ${s.cyan(c.command)}`);
      if (c.description !== undefined) out.push(`  ${' '.repeat(17)} ${s.dim(c.description)}`);
      if (c.risk !== undefined) out.push(`  ${' '.repeat(17)} ${s.yellow(`risk: ${c.risk}`)}`);
      if (c.missing !== undefined && c.missing.length > 0) {
        out.push(`  ${' '.repeat(17)} ${s.dim(`fill in: ${c.missing.map((m) => `<${m}>`).join(' ')}`)}`);
      }
    }
  }
  const others = shownMatches(d).filter((m) => m.playbook !== d.playbook);
  if (others.length > 0) {
    out.push('', s.bold(d.playbook === null ? 'Candidates' : 'Other matches'));
    for (const m of others) out.push(`  ${m.playbook} ${s.dim(formatPercent(m.score))}${m.noise === true ? s.dim(' (noise)') : ''}`);
  }
  if (d.checks.length > 0 && options.checked !== true) out.push('', `${s.bold('Checks')} ${s.dim('(verify against a cluster with --check)')}: ${d.checks.join(', ')}`);
  if (d.notes.length > 0) {
    out.push('', s.bold('Notes'));
    for (const n of d.notes) out.push(`  - ${n}`);
  }
  return `${out.join('\n')}\n`;
}

function wrapText(text: string, width: number): string {
  const words = text.replace(/\s+/g, ' ').trim().split(' ');
  const lines: string[] = [];
  let line = '';
  for (const w of words) {
    if (line !== '' && line.length + 1 + w.length > width) {
      lines.push(line);
      line = w;
    } else line = line === '' ? w : `${line} ${w}`;
  }
  if (line !== '') lines.push(line);
  return lines.join('\n');
}
