import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileSignal } from '../../src/playbooks/compile.js';
import { loadPlaybooks } from '../../src/playbooks/load.js';
import { indexLines, LiteralScanner, narrowedLines } from '../../src/triage/lines.js';
import { matchPlaybooks, signalCandidates, signalLines, signalScore } from '../../src/triage/match.js';
import { normalize } from '../../src/triage/normalize.js';
import { redact } from '../../src/triage/redact.js';

const set = loadPlaybooks();
const scanner = new LiteralScanner(
  [...set.compiled, ...set.lookalikes].flatMap((c) => c.signals.flatMap((s) => [...(s.literals ?? []), ...(s.conjuncts ?? []).flat()])),
);
const examples = join(import.meta.dirname, '..', '..', 'examples');
const texts = [
  ...readdirSync(examples).filter((f) => f.endsWith('.txt')).map((f) => readFileSync(join(examples, f), 'utf8')),
  ...set.playbooks.flatMap((p) => p.examples.map((e) => e.input)),
  ...set.lookalikes.flatMap((l) => l.lookalike.examples.map((e) => e.input)),
].map((t) => redact(normalize(t).text).text);

describe('matching with the scan (literals, conjuncts, ruled-out playbooks)', () => {
  it('scores every example exactly as matching without a scan (every line tested)', () => {
    expect(texts.length).toBeGreaterThan(20);
    for (const text of texts) {
      const index = indexLines(text);
      expect(matchPlaybooks(set.compiled, index, scanner.scan(index))).toEqual(matchPlaybooks(set.compiled, index));
      for (const l of set.lookalikes) expect(signalScore(l.signals, index, scanner.scan(index))).toEqual(signalScore(l.signals, index));
    }
  });

  it("a scan plan answers each signal's lines as narrowedLines does", () => {
    for (const text of texts.slice(0, 40)) {
      const scan = scanner.scan(indexLines(text));
      for (const c of set.compiled) {
        const plan = scan?.plan?.(c.signals);
        expect(plan).toBeDefined();
        c.signals.forEach((s, i) => expect(scan?.planned?.(plan ?? [], i)).toEqual(narrowedLines(scan, s.literals, s.conjuncts)));
      }
    }
  });

  it('tests a signal only on lines holding one literal of each of its sets', () => {
    const signal = compileSignal({ pattern: '\\b(still|keeps?) (applied|used)\\b.{0,40}\\b(every|each) (upgrade|deploy)', weight: 0.5 });
    expect(signal.conjuncts).toEqual([['still', 'keep'], ['applied', 'used']]);
    const text = ['deploy one', 'still applied on each deploy', 'the upgrade keeps going', 'keeps used after every upgrade'].join('\n');
    const index = indexLines(text);
    const scan = new LiteralScanner([...(signal.literals ?? []), ...(signal.conjuncts ?? []).flat()]).scan(index);
    expect(signalCandidates(signal, scan)).toEqual([1, 3]);
    expect(signalLines(signal, index, 5, scan)).toEqual([1, 3]);
    expect(signalLines(signal, index, 5)).toEqual([1, 3]);
    // A scan that did not look for the conjuncts narrows by the literals only.
    const plain = new LiteralScanner(signal.literals ?? []).scan(index);
    expect(signalCandidates(signal, plain)).toEqual([0, 1, 2, 3]);
  });
});
