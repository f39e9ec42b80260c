// A small Go text/template interpreter with the Helm/Sprig functions our chart uses. No helm binary
// exists here, so the chart tests render it with this instead. It is strict where Helm is strict
// (nil field access, unknown functions, unbalanced blocks) so a broken template fails a test.
import { stringify as toYamlText, parse as parseYaml } from 'yaml';

export class TemplateError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TemplateError';
  }
}

/** Raised by `fail`: the message a user would see from `helm install`. */
export class TemplateFail extends TemplateError {
  constructor(message: string) {
    super(message);
    this.name = 'TemplateFail';
  }
}

// ---------------------------------------------------------------------------------------------
// Lexing

export type Token =
  | { kind: 'field'; path: string[]; spaceBefore: boolean }
  | { kind: 'var'; name: string; path: string[]; spaceBefore: boolean }
  | { kind: 'ident'; name: string; spaceBefore: boolean }
  | { kind: 'string'; value: string; spaceBefore: boolean }
  | { kind: 'number'; value: number; spaceBefore: boolean }
  | { kind: 'punct'; value: '(' | ')' | '|' | ':=' | '=' | ','; spaceBefore: boolean };

export type Piece =
  | { kind: 'text'; text: string }
  | { kind: 'action'; tokens: Token[]; line: number; source: string }
  | { kind: 'comment' };

const IDENT = /[A-Za-z0-9_]/;

/** Splits a template into text and actions, applying `{{-` / `-}}` trimming. Throws on unclosed actions. */
export function lex(src: string, name = 'template'): Piece[] {
  const pieces: Piece[] = [];
  let pos = 0;
  let trimNext = false;
  while (pos < src.length) {
    const open = src.indexOf('{{', pos);
    let text = open === -1 ? src.slice(pos) : src.slice(pos, open);
    if (trimNext) text = text.replace(/^\s+/, '');
    trimNext = false;
    if (open === -1) {
      pieces.push({ kind: 'text', text });
      break;
    }
    const line = src.slice(0, open).split('\n').length;
    let i = open + 2;
    if (src[i] === '-' && /\s/.test(src[i + 1] ?? '')) {
      text = text.replace(/\s+$/, '');
      i += 2;
    }
    pieces.push({ kind: 'text', text });
    while (/\s/.test(src[i] ?? '')) i++;
    if (src.startsWith('/*', i)) {
      const endComment = src.indexOf('*/', i + 2);
      if (endComment === -1) throw new TemplateError(`${name}:${line}: unclosed comment`);
      i = endComment + 2;
      const close = /^(\s+-)?\s*}}/.exec(src.slice(i));
      if (!close) throw new TemplateError(`${name}:${line}: comment must end with */}}`);
      trimNext = close[1] !== undefined;
      pos = i + close[0].length;
      pieces.push({ kind: 'comment' });
      continue;
    }
    const { tokens, end, trim } = lexAction(src, i, name, line);
    pieces.push({ kind: 'action', tokens, line, source: src.slice(open, end) });
    trimNext = trim;
    pos = end;
  }
  return pieces;
}

function lexAction(src: string, start: number, name: string, line: number): { tokens: Token[]; end: number; trim: boolean } {
  const tokens: Token[] = [];
  let i = start;
  let space = true;
  const readIdent = (): string => {
    const from = i;
    while (i < src.length && IDENT.test(src[i] ?? '')) i++;
    return src.slice(from, i);
  };
  const readPath = (): string[] => {
    const path: string[] = [];
    while (src[i] === '.' && IDENT.test(src[i + 1] ?? '')) {
      i++;
      path.push(readIdent());
    }
    return path;
  };
  for (;;) {
    if (i >= src.length) throw new TemplateError(`${name}:${line}: unclosed action "{{"`);
    const c = src[i] ?? '';
    if (c === '\n' || c === ' ' || c === '\t' || c === '\r') {
      if (src[i + 1] === '-' && src.startsWith('}}', i + 2)) return { tokens, end: i + 4, trim: true };
      i++;
      space = true;
      continue;
    }
    if (src.startsWith('}}', i)) return { tokens, end: i + 2, trim: false };
    const spaceBefore = space;
    space = false;
    if (c === '"') {
      let j = i + 1;
      let raw = '';
      while (j < src.length && src[j] !== '"') {
        if (src[j] === '\\') {
          raw += src.slice(j, j + 2);
          j += 2;
        } else raw += src[j++];
        if (src[j - 1] === '\n') throw new TemplateError(`${name}:${line}: newline in string`);
      }
      if (j >= src.length) throw new TemplateError(`${name}:${line}: unterminated string`);
      tokens.push({ kind: 'string', value: JSON.parse(`"${raw}"`) as string, spaceBefore });
      i = j + 1;
    } else if (c === '`') {
      const j = src.indexOf('`', i + 1);
      if (j === -1) throw new TemplateError(`${name}:${line}: unterminated raw string`);
      tokens.push({ kind: 'string', value: src.slice(i + 1, j), spaceBefore });
      i = j + 1;
    } else if (c === '.') {
      if (IDENT.test(src[i + 1] ?? '') && !/[0-9]/.test(src[i + 1] ?? '')) {
        tokens.push({ kind: 'field', path: readPath(), spaceBefore });
      } else {
        i++;
        tokens.push({ kind: 'field', path: [], spaceBefore });
      }
    } else if (c === '$') {
      i++;
      const varName = '$' + readIdent();
      tokens.push({ kind: 'var', name: varName, path: readPath(), spaceBefore });
    } else if (/[0-9]/.test(c) || (c === '-' && /[0-9]/.test(src[i + 1] ?? ''))) {
      const m = /^-?[0-9]+(\.[0-9]+)?/.exec(src.slice(i));
      const text = m?.[0] ?? '';
      tokens.push({ kind: 'number', value: Number(text), spaceBefore });
      i += text.length;
    } else if (IDENT.test(c)) {
      tokens.push({ kind: 'ident', name: readIdent(), spaceBefore });
    } else if (src.startsWith(':=', i)) {
      tokens.push({ kind: 'punct', value: ':=', spaceBefore });
      i += 2;
    } else if (c === '(' || c === ')' || c === '|' || c === '=' || c === ',') {
      tokens.push({ kind: 'punct', value: c, spaceBefore });
      i++;
    } else {
      throw new TemplateError(`${name}:${line}: unexpected character ${JSON.stringify(c)} in action`);
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Parsing

type Operand =
  | { kind: 'field'; path: string[] }
  | { kind: 'var'; name: string; path: string[] }
  | { kind: 'literal'; value: unknown }
  | { kind: 'func'; name: string }
  | { kind: 'sub'; pipe: Pipeline; path: string[] };

interface Command {
  operands: Operand[];
}

interface Pipeline {
  decl: string[];
  assign: boolean;
  commands: Command[];
}

export type Node =
  | { kind: 'text'; text: string }
  | { kind: 'output'; pipe: Pipeline; line: number }
  | { kind: 'if'; pipe: Pipeline; then: Node[]; else: Node[] }
  | { kind: 'with'; pipe: Pipeline; then: Node[]; else: Node[] }
  | { kind: 'range'; pipe: Pipeline; then: Node[]; else: Node[] }
  | { kind: 'template'; name: string; pipe: Pipeline | null };

export interface Parsed {
  root: Node[];
  defines: Map<string, Node[]>;
}

/** Parses a template. Unbalanced if/range/with/define/end, stray else, or bad pipelines throw. */
export function parse(src: string, name = 'template'): Parsed {
  const pieces = lex(src, name);
  const defines = new Map<string, Node[]>();
  let index = 0;

  type Stop = { word: 'end' | 'else'; tokens: Token[]; line: number } | null;

  const parseList = (inBlock: boolean): { nodes: Node[]; stop: Stop } => {
    const nodes: Node[] = [];
    while (index < pieces.length) {
      const piece = pieces[index++];
      if (!piece || piece.kind === 'comment') continue;
      if (piece.kind === 'text') {
        if (piece.text) nodes.push({ kind: 'text', text: piece.text });
        continue;
      }
      const [first, ...rest] = piece.tokens;
      const where = `${name}:${piece.line}`;
      if (!first) throw new TemplateError(`${where}: empty action`);
      const keyword = first.kind === 'ident' ? first.name : '';
      if (keyword === 'end' || keyword === 'else') {
        if (!inBlock) throw new TemplateError(`${where}: unexpected {{${keyword}}}`);
        return { nodes, stop: { word: keyword, tokens: rest, line: piece.line } };
      }
      if (keyword === 'if' || keyword === 'with' || keyword === 'range') {
        nodes.push(parseBlock(keyword, rest, where));
      } else if (keyword === 'define') {
        const nameTok = rest[0];
        if (rest.length !== 1 || nameTok?.kind !== 'string') throw new TemplateError(`${where}: define needs one quoted name`);
        const body = parseList(true);
        if (body.stop?.word !== 'end') throw new TemplateError(`${where}: define "${nameTok.value}" has no {{end}}`);
        defines.set(nameTok.value, body.nodes);
      } else if (keyword === 'template') {
        const nameTok = rest[0];
        if (nameTok?.kind !== 'string') throw new TemplateError(`${where}: template needs a quoted name`);
        nodes.push({ kind: 'template', name: nameTok.value, pipe: rest.length > 1 ? parsePipeline(rest.slice(1), where) : null });
      } else if (keyword === 'block') {
        throw new TemplateError(`${where}: block is not supported by this renderer`);
      } else {
        nodes.push({ kind: 'output', pipe: parsePipeline(piece.tokens, where), line: piece.line });
      }
    }
    if (inBlock) throw new TemplateError(`${name}: missing {{end}} at end of input`);
    return { nodes, stop: null };
  };

  const parseBlock = (keyword: 'if' | 'with' | 'range', tokens: Token[], where: string): Node => {
    const pipe = parsePipeline(tokens, where, keyword === 'range');
    const body = parseList(true);
    let elseNodes: Node[] = [];
    if (body.stop?.word === 'else') {
      const chained = body.stop.tokens[0];
      if (chained?.kind === 'ident' && (chained.name === 'if' || chained.name === 'with')) {
        // `else if X` is `else` + a nested block that shares the outer {{end}}.
        elseNodes = [parseBlock(chained.name, body.stop.tokens.slice(1), `${name}:${body.stop.line}`)];
      } else {
        if (body.stop.tokens.length) throw new TemplateError(`${name}:${body.stop.line}: unexpected tokens after else`);
        const rest = parseList(true);
        if (rest.stop?.word !== 'end') throw new TemplateError(`${name}:${body.stop.line}: else without {{end}}`);
        elseNodes = rest.nodes;
      }
    }
    return { kind: keyword, pipe, then: body.nodes, else: elseNodes };
  };

  const root = parseList(false).nodes;
  return { root, defines };
}

function parsePipeline(tokens: Token[], where: string, allowRangeDecl = false): Pipeline {
  let decl: string[] = [];
  let assign = false;
  let rest = tokens;
  const declMatch = (): number => {
    // $x := …   |   $x = …   |   $k, $v := …
    let i = 0;
    const names: string[] = [];
    for (;;) {
      const t = rest[i];
      if (t?.kind !== 'var' || t.path.length) return -1;
      names.push(t.name);
      const next = rest[i + 1];
      if (next?.kind === 'punct' && next.value === ',' && allowRangeDecl) {
        i += 2;
        continue;
      }
      if (next?.kind === 'punct' && (next.value === ':=' || next.value === '=')) {
        decl = names;
        assign = next.value === '=';
        return i + 2;
      }
      return -1;
    }
  };
  const skip = declMatch();
  if (skip > 0) rest = rest.slice(skip);
  else decl = [];

  const commands: Command[] = [];
  let i = 0;
  const parseOperand = (): Operand => {
    const t = rest[i++];
    if (!t) throw new TemplateError(`${where}: missing operand`);
    let operand: Operand;
    switch (t.kind) {
      case 'field':
        return { kind: 'field', path: t.path };
      case 'var':
        return { kind: 'var', name: t.name, path: t.path };
      case 'string':
        return { kind: 'literal', value: t.value };
      case 'number':
        return { kind: 'literal', value: t.value };
      case 'ident':
        if (t.name === 'true' || t.name === 'false') return { kind: 'literal', value: t.name === 'true' };
        if (t.name === 'nil') return { kind: 'literal', value: null };
        return { kind: 'func', name: t.name };
      case 'punct': {
        if (t.value !== '(') throw new TemplateError(`${where}: unexpected "${t.value}"`);
        let depth = 1;
        const from = i;
        while (i < rest.length && depth > 0) {
          const u = rest[i++];
          if (u?.kind === 'punct' && u.value === '(') depth++;
          if (u?.kind === 'punct' && u.value === ')') depth--;
        }
        if (depth !== 0) throw new TemplateError(`${where}: unclosed "("`);
        operand = { kind: 'sub', pipe: parsePipeline(rest.slice(from, i - 1), where), path: [] };
        const after = rest[i];
        if (after?.kind === 'field' && !after.spaceBefore) {
          operand.path = after.path;
          i++;
        }
        return operand;
      }
    }
  };
  let current: Operand[] = [];
  while (i < rest.length) {
    const t = rest[i];
    if (t?.kind === 'punct' && t.value === '|') {
      if (!current.length) throw new TemplateError(`${where}: empty command before "|"`);
      commands.push({ operands: current });
      current = [];
      i++;
      continue;
    }
    current.push(parseOperand());
  }
  if (!current.length) throw new TemplateError(`${where}: empty pipeline`);
  commands.push({ operands: current });
  return { decl, assign, commands };
}

// ---------------------------------------------------------------------------------------------
// Evaluation

type Funcs = Record<string, (...args: unknown[]) => unknown>;

export interface RenderContext {
  defines: Map<string, Node[]>;
  funcs: Funcs;
}

class Scope {
  private readonly vars = new Map<string, unknown>();
  constructor(private readonly parent: Scope | null) {}
  declare(name: string, value: unknown): void {
    this.vars.set(name, value);
  }
  assign(name: string, value: unknown): void {
    for (let s: Scope | null = this; s; s = s.parent) {
      if (s.vars.has(name)) {
        s.vars.set(name, value);
        return;
      }
    }
    throw new TemplateError(`undefined variable: ${name}`);
  }
  get(name: string): unknown {
    for (let s: Scope | null = this; s; s = s.parent) if (s.vars.has(name)) return s.vars.get(name);
    throw new TemplateError(`undefined variable: ${name}`);
  }
}

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Go template truth: false, 0, nil, "" and empty collections are false. */
export function truthy(v: unknown): boolean {
  if (v === undefined || v === null || v === false || v === 0 || v === '') return false;
  if (Array.isArray(v)) return v.length > 0;
  if (isRecord(v)) return Object.keys(v).length > 0;
  return true;
}

function walkPath(value: unknown, path: string[], what: string): unknown {
  let v = value;
  let walked = what;
  for (const key of path) {
    if (v === undefined || v === null) throw new TemplateError(`nil pointer evaluating ${walked}.${key}`);
    if (!isRecord(v)) throw new TemplateError(`can't evaluate field ${key} in ${walked} (not a map)`);
    v = v[key];
    walked += `.${key}`;
  }
  return v;
}

/** How Go prints a value into the output. */
export function printValue(v: unknown): string {
  if (v === undefined || v === null) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  throw new TemplateError(`refusing to print a ${Array.isArray(v) ? 'list' : 'map'} (use toYaml or toJson)`);
}

export function render(nodes: Node[], dot: unknown, ctx: RenderContext): string {
  const root = new Scope(null);
  root.declare('$', dot);
  return exec(nodes, dot, root, ctx);
}

function exec(nodes: Node[], dot: unknown, scope: Scope, ctx: RenderContext): string {
  let out = '';
  for (const node of nodes) {
    switch (node.kind) {
      case 'text':
        out += node.text;
        break;
      case 'output': {
        const value = evalPipeline(node.pipe, dot, scope, ctx);
        if (!node.pipe.decl.length) out += printValue(value);
        break;
      }
      case 'if': {
        const inner = new Scope(scope);
        const value = evalPipeline(node.pipe, dot, inner, ctx);
        out += truthy(value) ? exec(node.then, dot, inner, ctx) : exec(node.else, dot, inner, ctx);
        break;
      }
      case 'with': {
        const inner = new Scope(scope);
        const value = evalPipeline(node.pipe, dot, inner, ctx);
        out += truthy(value) ? exec(node.then, value, inner, ctx) : exec(node.else, dot, inner, ctx);
        break;
      }
      case 'range': {
        const { decl } = node.pipe;
        const value = evalPipeline({ ...node.pipe, decl: [] }, dot, scope, ctx);
        const entries: Array<[unknown, unknown]> = Array.isArray(value)
          ? value.map((v, i) => [i, v])
          : isRecord(value)
            ? Object.keys(value).sort().map((k) => [k, value[k]])
            : value === undefined || value === null
              ? []
              : (() => {
                  throw new TemplateError(`range can't iterate over ${printValue(value)}`);
                })();
        if (!entries.length) {
          out += exec(node.else, dot, new Scope(scope), ctx);
          break;
        }
        for (const [key, item] of entries) {
          const inner = new Scope(scope);
          if (decl.length === 1 && decl[0]) inner.declare(decl[0], item);
          if (decl.length === 2 && decl[0] && decl[1]) {
            inner.declare(decl[0], key);
            inner.declare(decl[1], item);
          }
          out += exec(node.then, item, inner, ctx);
        }
        break;
      }
      case 'template': {
        const body = ctx.defines.get(node.name);
        if (!body) throw new TemplateError(`no template "${node.name}"`);
        const data = node.pipe ? evalPipeline(node.pipe, dot, scope, ctx) : undefined;
        out += render(body, data, ctx);
        break;
      }
    }
  }
  return out;
}

function evalPipeline(pipe: Pipeline, dot: unknown, scope: Scope, ctx: RenderContext): unknown {
  let value: unknown;
  let piped = false;
  for (const command of pipe.commands) {
    value = evalCommand(command, dot, scope, ctx, piped ? { value } : null);
    piped = true;
  }
  if (pipe.decl.length === 1 && pipe.decl[0]) {
    if (pipe.assign) scope.assign(pipe.decl[0], value);
    else scope.declare(pipe.decl[0], value);
  }
  return value;
}

function evalCommand(command: Command, dot: unknown, scope: Scope, ctx: RenderContext, input: { value: unknown } | null): unknown {
  const [head, ...args] = command.operands;
  if (!head) throw new TemplateError('empty command');
  const evalArgs = (): unknown[] => {
    const values = args.map((a) => evalOperand(a, dot, scope, ctx));
    if (input) values.push(input.value);
    return values;
  };
  if (head.kind === 'func') {
    const fn = ctx.funcs[head.name];
    if (!fn) throw new TemplateError(`function "${head.name}" not defined`);
    return fn(...evalArgs());
  }
  const value = evalOperand(head, dot, scope, ctx);
  if (typeof value === 'function') return (value as (...a: unknown[]) => unknown)(...evalArgs());
  if (args.length || input) throw new TemplateError(`can't give arguments to a non-function (${describe(head)})`);
  return value;
}

function describe(op: Operand): string {
  if (op.kind === 'field') return '.' + op.path.join('.');
  if (op.kind === 'var') return [op.name, ...op.path].join('.');
  return op.kind;
}

function evalOperand(op: Operand, dot: unknown, scope: Scope, ctx: RenderContext): unknown {
  switch (op.kind) {
    case 'literal':
      return op.value;
    case 'field':
      return walkPath(dot, op.path, '.');
    case 'var':
      return walkPath(scope.get(op.name), op.path, op.name);
    case 'sub':
      return walkPath(evalPipeline(op.pipe, dot, scope, ctx), op.path, '(…)');
    case 'func': {
      const fn = ctx.funcs[op.name];
      if (!fn) throw new TemplateError(`function "${op.name}" not defined`);
      return fn();
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Functions (Go builtins + the Sprig/Helm ones the chart uses)

function str(v: unknown): string {
  if (v === undefined || v === null) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return JSON.stringify(v);
}

function goQuote(s: string): string {
  return JSON.stringify(s);
}

function sprintf(format: string, args: unknown[]): string {
  let n = 0;
  return format.replace(/%([sqdv%])/g, (_m, verb: string) => {
    if (verb === '%') return '%';
    const arg = args[n++];
    if (verb === 'q') return goQuote(str(arg));
    if (verb === 'd') return String(Math.trunc(Number(arg)));
    return str(arg);
  });
}

function indentLines(n: number, s: string): string {
  const pad = ' '.repeat(n);
  return s
    .split('\n')
    .map((l) => pad + l)
    .join('\n');
}

function list(v: unknown, fn: string): unknown[] {
  if (Array.isArray(v)) return v;
  if (v === undefined || v === null) return [];
  throw new TemplateError(`${fn}: expected a list`);
}

export function helmFuncs(include: (name: string, data: unknown) => string): Funcs {
  return {
    include: (name, data) => include(str(name), data),
    fail: (msg) => {
      throw new TemplateFail(str(msg));
    },
    required: (msg, v) => {
      if (!truthy(v) && v !== false && v !== 0) throw new TemplateFail(str(msg));
      return v;
    },
    default: (d, v) => (truthy(v) ? v : d),
    empty: (v) => !truthy(v),
    not: (v) => !truthy(v),
    and: (...vs) => {
      for (const v of vs) if (!truthy(v)) return v;
      return vs[vs.length - 1];
    },
    or: (...vs) => {
      for (const v of vs) if (truthy(v)) return v;
      return vs[vs.length - 1];
    },
    eq: (a, ...bs) => {
      for (const b of bs) {
        if (a !== null && b !== null && a !== undefined && b !== undefined && typeof a !== typeof b) {
          throw new TemplateError(`eq: incompatible types for comparison (${typeof a} vs ${typeof b})`);
        }
        if (a === b) return true;
      }
      return false;
    },
    ne: (a, b) => {
      if (a !== null && b !== null && a !== undefined && b !== undefined && typeof a !== typeof b) {
        throw new TemplateError(`ne: incompatible types for comparison (${typeof a} vs ${typeof b})`);
      }
      return a !== b;
    },
    quote: (...vs) => vs.filter((v) => v !== undefined && v !== null).map((v) => goQuote(str(v))).join(' '),
    printf: (format, ...args) => sprintf(str(format), args),
    toYaml: (v) => (v === undefined || v === null ? 'null' : toYamlText(v, { lineWidth: 0 }).replace(/\n$/, '')),
    toJson: (v) => JSON.stringify(v ?? null),
    fromYaml: (s) => {
      const parsed: unknown = parseYaml(str(s));
      return isRecord(parsed) ? parsed : {};
    },
    indent: (n, s) => indentLines(Number(n), str(s)),
    nindent: (n, s) => '\n' + indentLines(Number(n), str(s)),
    trunc: (n, s) => str(s).slice(0, Number(n)),
    trimSuffix: (suffix, s) => (str(s).endsWith(str(suffix)) ? str(s).slice(0, -str(suffix).length || undefined) : str(s)),
    replace: (from, to, s) => str(s).split(str(from)).join(str(to)),
    contains: (sub, s) => str(s).includes(str(sub)),
    regexMatch: (re, s) => new RegExp(str(re)).test(str(s)),
    lower: (s) => str(s).toLowerCase(),
    trim: (s) => str(s).trim(),
    list: (...vs) => vs,
    append: (l, v) => [...list(l, 'append'), v],
    has: (needle, l) => list(l, 'has').includes(needle),
    first: (l) => list(l, 'first')[0],
    join: (sep, l) => list(l, 'join').map(str).join(str(sep)),
    dict: (...kv) => {
      const out: Record<string, unknown> = {};
      for (let i = 0; i < kv.length; i += 2) out[str(kv[i])] = kv[i + 1];
      return out;
    },
    hasKey: (m, k) => isRecord(m) && Object.hasOwn(m, str(k)),
  };
}
