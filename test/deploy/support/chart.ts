// Loads deploy/chart and renders it the way `helm template` would, with our Go-template interpreter.
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseAllDocuments, parse as parseYaml } from 'yaml';
import { helmFuncs, isRecord, lex, parse, render, type Node, type RenderContext } from './gotemplate.js';

export const ROOT = resolve(import.meta.dirname, '../../..');
export const CHART_DIR = join(ROOT, 'deploy/chart');

export interface TemplateFile {
  name: string;
  source: string;
}

export interface Manifest {
  template: string;
  kind: string;
  name: string;
  namespace: string | undefined;
  doc: Record<string, unknown>;
}

export function readText(rel: string): string {
  return readFileSync(join(ROOT, rel), 'utf8');
}

export function templateFiles(): TemplateFile[] {
  const dir = join(CHART_DIR, 'templates');
  return readdirSync(dir)
    .filter((f) => /\.(ya?ml|tpl|txt)$/.test(f))
    .sort()
    .map((f) => ({ name: `templates/${f}`, source: readFileSync(join(dir, f), 'utf8') }));
}

export function defaultValues(): Record<string, unknown> {
  const values: unknown = parseYaml(readFileSync(join(CHART_DIR, 'values.yaml'), 'utf8'));
  if (!isRecord(values)) throw new Error('values.yaml is not a map');
  return values;
}

export function chartMeta(): Record<string, unknown> {
  const meta: unknown = parseYaml(readFileSync(join(CHART_DIR, 'Chart.yaml'), 'utf8'));
  if (!isRecord(meta)) throw new Error('Chart.yaml is not a map');
  return meta;
}

/** Helm's coalescing of -f/--set over values.yaml: maps merge, anything else replaces. */
export function mergeValues(base: Record<string, unknown>, over: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(over)) {
    const current = out[key];
    out[key] = isRecord(current) && isRecord(value) ? mergeValues(current, value) : value;
  }
  return out;
}

/** `.Values` paths a template names explicitly (`.Values.a.b` and `$.Values.a.b`). */
export function valuesPathsIn(source: string, name: string): string[][] {
  const paths: string[][] = [];
  for (const piece of lex(source, name)) {
    if (piece.kind !== 'action') continue;
    for (const t of piece.tokens) {
      const path = t.kind === 'field' || (t.kind === 'var' && t.name === '$') ? t.path : [];
      if (path[0] === 'Values' && path.length > 1) paths.push(path.slice(1));
    }
  }
  return paths;
}

export interface Rendered {
  manifests: Manifest[];
  notes: string;
}

export interface RenderOptions {
  releaseName?: string;
  namespace?: string;
}

const parseCache = new Map<string, ReturnType<typeof parse>>();

/** Renders every template with values.yaml + overrides; throws TemplateFail where helm would fail. */
export function renderChart(overrides: Record<string, unknown> = {}, opts: RenderOptions = {}): Rendered {
  const files = templateFiles();
  const meta = chartMeta();
  const defines = new Map<string, Node[]>();
  const bodies = new Map<string, Node[]>();
  for (const file of files) {
    const key = `${file.name}\0${file.source}`;
    const parsed = parseCache.get(key) ?? parse(file.source, file.name);
    parseCache.set(key, parsed);
    for (const [k, v] of parsed.defines) defines.set(k, v);
    bodies.set(file.name, parsed.root);
  }
  const ctx: RenderContext = { defines, funcs: {} };
  ctx.funcs = helmFuncs((name, data) => {
    const body = defines.get(name);
    if (!body) throw new Error(`include: no template "${name}"`);
    return render(body, data, ctx);
  });
  const top = {
    Values: mergeValues(defaultValues(), overrides),
    Release: { Name: opts.releaseName ?? 'triage', Namespace: opts.namespace ?? 'helm-triage', Service: 'Helm', IsInstall: true, Revision: 1 },
    Chart: { Name: meta.name, Version: meta.version, AppVersion: meta.appVersion },
    Files: {
      // Like .Files.Get: paths relative to the chart root, symlinks followed, "" when absent.
      Get: (path: unknown): string => {
        const full = join(CHART_DIR, String(path));
        return existsSync(full) ? readFileSync(full, 'utf8') : '';
      },
    },
    Capabilities: { KubeVersion: { Version: 'v1.31.0' } },
  };
  const manifests: Manifest[] = [];
  let notes = '';
  for (const file of files) {
    const base = file.name.split('/').pop() ?? '';
    if (base.startsWith('_')) continue;
    const out = render(bodies.get(file.name) ?? [], top, ctx);
    if (base === 'NOTES.txt') {
      notes = out;
      continue;
    }
    for (const doc of parseAllDocuments(out)) {
      if (doc.errors.length) throw new Error(`${file.name}: rendered YAML is invalid: ${doc.errors[0]?.message}\n${out}`);
      const value: unknown = doc.toJS();
      if (value === null || value === undefined) continue;
      if (!isRecord(value)) throw new Error(`${file.name}: a rendered document is not a map`);
      const metadata = isRecord(value.metadata) ? value.metadata : {};
      manifests.push({
        template: file.name,
        kind: String(value.kind),
        name: String(metadata.name),
        namespace: typeof metadata.namespace === 'string' ? metadata.namespace : undefined,
        doc: value,
      });
    }
  }
  return { manifests, notes };
}
