// Pure: turn whatever was pasted (Slack message, terminal capture, CI log, JSON controller log) into plain
// lines the matcher can read. Never throws; says what it changed so the reply can tell the reader.

export const MAX_INPUT_BYTES = 5 * 1024 * 1024;
/** Lines longer than this are kept in the text but only their head is matched (keeps matching linear). */
export const MATCH_LINE_CAP = 8 * 1024;

export interface Normalized {
  text: string;
  /** Size of the input as given, in UTF-8 bytes. */
  bytes: number;
  truncated: boolean;
  truncation?: string;
  binary: boolean;
}

const ANSI_CSI = /\x1b\[[0-?]{0,32}[ -/]{0,8}[@-~]/g;
const ANSI_OSC = /\x1b\][^\x07\x1b]{0,4096}(?:\x07|\x1b\\)/g;
const ANSI_OTHER = /\x1b[@-Z\\-_]?/g;
const NON_ASCII = /[^\x00-\x7f]/;
const ZERO_WIDTH = /[\u200B-\u200D\u2060\uFEFF\u00AD]/g;
const NBSP = /[\u00A0\u2007\u202F]/g;
// Slack wraps links, mentions and channels in <…>; only these prefixes are Slack markup.
const SLACK_LINK = /<((?:https?|ftp|mailto):[^|<>\s]{1,2048})(?:\|([^<>\n]{0,512}))?>/g;
const SLACK_SPECIAL = /<!(here|channel|everyone)(?:\|[^>\n]{0,64})?>/g;
const SLACK_USER = /<([@#])([A-Z0-9]{2,32})(?:\|([^>\n]{0,128}))?>/g;
const FENCE_LINE = /^\s*```[\w-]{0,20}\s*$/;
const BOX_START = /^[ \t]*[│┃║╷╵]{1,2}[ \t]?/;
const BOX_CHARS = '│┃║';

export function byteLength(text: string): number {
  return Buffer.byteLength(text, 'utf8');
}

/** The characters looksBinary counts: controls other than tab, newline, form feed, carriage return, escape; U+FFFD. */
const SUSPECT = /[\x00-\x08\x0b\x0e-\x1a\x1c-\x1f\ufffd]/;

/** True when the text is not something a terminal would print: NUL bytes or mostly control characters. */
export function looksBinary(text: string): boolean {
  if (text.includes('\u0000')) return true;
  const sample = text.length > 65536 ? text.slice(0, 65536) : text;
  if (sample.length === 0) return false;
  // Most pastes hold none of the counted characters: one regex pass says so faster than the loop.
  if (!SUSPECT.test(sample)) return false;
  let control = 0;
  let replacement = 0;
  for (let i = 0; i < sample.length; i++) {
    const c = sample.charCodeAt(i);
    if (c < 32 && c !== 9 && c !== 10 && c !== 13 && c !== 27 && c !== 12) control++;
    else if (c === 0xfffd) replacement++;
  }
  return (control + replacement) / sample.length > 0.1;
}

/** Keep the last `max` bytes, starting on a line boundary: Helm prints the error last. */
export function keepTail(text: string, maxBytes: number): { text: string; cut: number } {
  const bytes = byteLength(text);
  if (bytes <= maxBytes) return { text, cut: 0 };
  // Characters are at most 4 bytes; start from a char offset that is surely inside the budget, then trim.
  let start = Math.max(0, text.length - maxBytes);
  let tail = text.slice(start);
  while (byteLength(tail) > maxBytes) {
    start += Math.max(1, Math.ceil((byteLength(tail) - maxBytes) / 4));
    tail = text.slice(start);
  }
  const nl = tail.indexOf('\n');
  if (nl >= 0 && nl < tail.length - 1) tail = tail.slice(nl + 1);
  return { text: tail, cut: bytes - byteLength(tail) };
}

function unescapeSlack(text: string): string {
  return text
    .replace(SLACK_LINK, (_m, url: string, label: string | undefined) => {
      const target = url.startsWith('mailto:') ? url.slice(7) : url;
      if (label === undefined || label === '' || label === url || label === target) return target;
      return `${label} (${target})`;
    })
    .replace(SLACK_SPECIAL, (_m, name: string) => `@${name}`)
    .replace(SLACK_USER, (_m, sigil: string, id: string, label: string | undefined) => `${sigil}${label ?? id}`)
    .replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&');
}

// Escaped JSON strings (controller logs, Terraform, Flux events) hide the message behind \" and \n.
// A hand-written scan: a regex with a callback per escape is far slower on escape-dense input.
function unescapeJsonish(line: string): string {
  if (line.length >= DENSE_LINE) return unescapeJsonishLong(line);
  // Fast path (native split/join) when no escaped backslash or \u escape can make the order matter.
  if (!line.includes('\\\\') && !line.includes('\\u')) {
    return line.split('\\"').join('"').split('\\n').join('\n').split('\\t').join('\t').split('\\r').join('');
  }
  let out = '';
  let from = 0;
  let at = line.indexOf('\\');
  while (at >= 0 && at < line.length - 1) {
    const next = line[at + 1];
    let replacement: string | undefined;
    let width = 2;
    switch (next) {
      case '"': replacement = '"'; break;
      case '\\': replacement = '\\'; break;
      case 'n': replacement = '\n'; break;
      case 't': replacement = '\t'; break;
      case 'r': replacement = ''; break;
      case 'u': {
        const hex = line.slice(at + 2, at + 6);
        if (/^[0-9a-fA-F]{4}$/.test(hex)) {
          const code = parseInt(hex, 16);
          replacement = code < 32 && code !== 10 && code !== 9 ? ' ' : String.fromCharCode(code);
          width = 6;
        }
        break;
      }
      default: break;
    }
    if (replacement !== undefined) {
      out += line.slice(from, at) + replacement;
      from = at + width;
      at = line.indexOf('\\', from);
    } else {
      at = line.indexOf('\\', at + 1);
    }
  }
  return from === 0 ? line : out + line.slice(from);
}

const DENSE_LINE = 4096;
const HEX4 = /^[0-9a-fA-F]{4}$/;

/**
 * The same rules as unescapeJsonish, one character at a time into a code-unit buffer: on a long line
 * made of escapes, split/join or string building per escape costs several times more.
 */
function unescapeJsonishLong(line: string): string {
  const n = line.length;
  const out = new Uint16Array(n);
  let o = 0;
  let changed = false;
  for (let i = 0; i < n; i++) {
    const c = line.charCodeAt(i);
    if (c === 92 && i < n - 1) {
      const d = line.charCodeAt(i + 1);
      let code = -1;
      let width = 2;
      if (d === 34 || d === 92) code = d; // \" \\
      else if (d === 110) code = 10; // \n
      else if (d === 116) code = 9; // \t
      else if (d === 114) code = -2; // \r: dropped
      else if (d === 117 && HEX4.test(line.slice(i + 2, i + 6))) {
        const hex = parseInt(line.slice(i + 2, i + 6), 16);
        code = hex < 32 && hex !== 10 && hex !== 9 ? 32 : hex;
        width = 6;
      }
      if (code !== -1) {
        if (code >= 0) out[o++] = code;
        i += width - 1;
        changed = true;
        continue;
      }
    }
    out[o++] = c;
  }
  if (!changed) return line;
  const parts: string[] = [];
  for (let k = 0; k < o; k += 8192) parts.push(String.fromCharCode(...out.subarray(k, Math.min(o, k + 8192))));
  return parts.join('');
}

function hasJsonEscapes(line: string): boolean {
  return line.includes('\\"') || line.includes('\\n') || line.includes('\\u00');
}

function cleanLine(raw: string): string {
  let line = raw;
  // Quote markers from Slack (> and the escaped &gt; were already unescaped) and chat clients.
  if (line.startsWith('>')) line = line.replace(/^(?:>[ \t]?){1,8}/, '');
  // k9s / Terraform boxes: │ text │
  line = line.replace(BOX_START, '');
  let end = line.trimEnd();
  if (end.length > 0 && BOX_CHARS.includes(end[end.length - 1] ?? '')) {
    end = end.slice(0, -1);
    if (BOX_CHARS.includes(end[end.length - 1] ?? '')) end = end.slice(0, -1);
    line = end.trimEnd();
  }
  // k9s joins wrapped rows with " ││ " in the middle of a word: glue the halves back together.
  if (line.includes('││')) line = line.split(/[ \t]?││[ \t]?/).join('');
  if (FENCE_LINE.test(line)) return '';
  if (line.startsWith('```')) line = line.slice(3);
  if (line.endsWith('```')) line = line.slice(0, -3);
  return line;
}

const NEEDS_CLEANING = /[>│┃║╷╵]|```/;

// Lines that need more than the whole-text passes: quotes, boxes, fences, escaped JSON.
const MARKED = /^[ \t]*>|[│┃║╷╵]|```|\\["nu\\]/gm;

/** Cleans only the lines holding a marker: most logs have none, and big logs have many lines. */
function cleanMarkedLines(text: string): string {
  MARKED.lastIndex = 0;
  let m = MARKED.exec(text);
  if (m === null) return text;
  let out = '';
  let from = 0;
  while (m !== null) {
    const start = text.lastIndexOf('\n', m.index - 1) + 1;
    let end = text.indexOf('\n', m.index);
    if (end < 0) end = text.length;
    let line = text.slice(start, end);
    // Twice: logs of logs escape twice (\\\" → \" → ").
    for (let pass = 0; pass < 2 && hasJsonEscapes(line); pass++) line = unescapeJsonish(line);
    // Unescaping can turn one line into thousands; cleanLine changes only lines with a quote marker, box
    // character or fence, so skip the split when there is none.
    if (!line.includes('\n')) line = cleanLine(line);
    else if (NEEDS_CLEANING.test(line)) line = line.split('\n').map(cleanLine).join('\n');
    out += text.slice(from, start) + line;
    from = end;
    if (end >= text.length) break;
    MARKED.lastIndex = end + 1;
    m = MARKED.exec(text);
  }
  return out + text.slice(from);
}

function trimBlankEdges(text: string): string {
  let start = 0;
  while (start < text.length) {
    const nl = text.indexOf('\n', start);
    if (nl < 0 || text.slice(start, nl).trim() !== '') break;
    start = nl + 1;
  }
  return text.slice(start).trimEnd();
}

// Every character looksBinary counts, every non-ASCII one and every line marker cleanMarkedLines looks for
// (>, box drawing, `, \): a paste with none of them (most terminal output) skips those three passes after one.
const RARE = /[\x00-\x08\x0b\x0e-\x1a\x1c-\x1f\u0080-\uffff>`\\]/;

export function normalize(input: string): Normalized {
  const bytes = byteLength(input);
  const rare = RARE.test(input);
  if (rare && looksBinary(input)) {
    return { text: '', bytes, truncated: false, binary: true };
  }
  const tail = keepTail(input, MAX_INPUT_BYTES);
  let text = tail.text;
  // Each pass is skipped when its trigger character is absent: most pastes need few of them.
  if (text.includes('\r')) text = text.replace(/\r\n?/g, '\n');
  if (text.includes('\x1b')) text = text.replace(ANSI_OSC, '').replace(ANSI_CSI, '').replace(ANSI_OTHER, '');
  if (rare && NON_ASCII.test(text)) text = text.replace(ZERO_WIDTH, '').replace(NBSP, ' ');
  // Unescaping may make markers (&gt; is >): then the lines are looked at whatever the input held.
  const slack = text.includes('<') || text.includes('&');
  if (slack) text = unescapeSlack(text);
  if (rare || slack) text = cleanMarkedLines(text);
  const result: Normalized = { text: trimBlankEdges(text), bytes, truncated: tail.cut > 0, binary: false };
  if (tail.cut > 0) {
    result.truncation = `input was ${formatBytes(bytes)}; kept the last ${formatBytes(bytes - tail.cut)} (Helm prints the error last) and cut ${formatBytes(tail.cut)} from the start`;
  }
  return result;
}

export function formatBytes(n: number): string {
  if (n >= 1024 * 1024) return `${(n / (1024 * 1024)).toFixed(1)} MiB`;
  if (n >= 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${n} B`;
}
