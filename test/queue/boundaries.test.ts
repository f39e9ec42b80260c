// Agents hold cluster credentials and a Redis connection only: nothing the agent loads may reach
// src/slack (the bot's Slack token) or src/web. Checked on the real import graph.
import { readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = resolve(import.meta.dirname, '..', '..', 'src');

function localImports(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const found: string[] = [];
  for (const m of text.matchAll(/(?:from|import)\s*\(?\s*['"](\.{1,2}\/[^'"]+)['"]/g)) {
    const spec = m[1];
    if (spec) found.push(resolve(dirname(file), spec.replace(/\.js$/, '.ts')));
  }
  return found;
}

function closure(entry: string): Set<string> {
  const seen = new Set<string>();
  const todo = [entry];
  while (todo.length > 0) {
    const file = todo.pop();
    if (file === undefined || seen.has(file)) continue;
    seen.add(file);
    todo.push(...localImports(file));
  }
  return seen;
}

describe('agent import boundaries', () => {
  it.each(['cli/agent.ts', 'queue/agent.ts', 'queue/dispatcher.ts', 'queue/result-consumer.ts', 'queue/request-client.ts', 'queue/in-process.ts'])(
    '%s never loads src/slack or src/web',
    (entry) => {
      const files = [...closure(join(SRC, entry))].map((f) => relative(SRC, f));
      expect(files.length).toBeGreaterThan(3);
      expect(files.filter((f) => f.startsWith('slack/') || f.startsWith('web/'))).toEqual([]);
    },
  );
});
