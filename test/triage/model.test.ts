// The statistical signal: tokens, training, JSON round trip, and the contract that the playbook YAML alone
// teaches it (adding examples turns an abstention into the right answer with no code change).
import { describe, expect, it } from 'vitest';
import { createPlaybookSet, loadPlaybooks, parseLookalike, parsePlaybook } from '../../src/playbooks/load.js';
import { buildTriageModel, modelDocuments, nearMissClass } from '../../src/playbooks/model.js';
import { modelLift } from '../../src/triage/combine.js';
import { choosePrimary, diagnose } from '../../src/triage/diagnose.js';
import { DEFAULT_CALIBRATION, DEFAULT_MIN_CONFIDENCE } from '../../src/triage/limits.js';
import { compileModel, lineTokens, NONE_CLASS, scoreText, textFeatures, trainModel } from '../../src/triage/model.js';

function playbookYaml(id: string, signal: string, examples: Array<[string, string | null]>): string {
  const ex = examples.map(([input, expect]) => `  - input: ${JSON.stringify(input)}\n    expect: ${expect === null ? 'null' : expect}`).join('\n');
  return `id: ${id}
title: ${id} title
summary: ${id} summary
signals:
  - pattern: '${signal}'
    weight: 0.9
rootCause: the root cause of ${id}
runbook: |
  ## Meaning
  m
references: [https://example.com/${id}]
examples:
${ex}
`;
}

const SPROCKET_ERROR = 'Error: sprocket gear jammed in slot 4';
const WIDGET_ERROR = 'Error: widget flange misaligned';
const PROSE = 'since yesterday the gearbox grinds and the cog teeth chip off whenever the conveyor starts';

function synthetic(extraSprocketExamples: string[]): ReturnType<typeof createPlaybookSet> {
  const sprocket = parsePlaybook(
    playbookYaml('sprocket-jam', 'sprocket gear jammed', [
      [SPROCKET_ERROR, 'sprocket-jam'],
      ['Error: sprocket gear jammed in slot 9 (retrying)', 'sprocket-jam'],
      ['how do I oil a sprocket?', null],
      ...extraSprocketExamples.map((e): [string, string] => [e, 'sprocket-jam']),
    ]),
    'mem:sprocket',
  );
  const widget = parsePlaybook(
    playbookYaml('widget-flange', 'widget flange misaligned', [
      [WIDGET_ERROR, 'widget-flange'],
      ['Error: widget flange misaligned on line 2', 'widget-flange'],
      ['the widget catalogue is out of date', null],
    ]),
    'mem:widget',
  );
  return createPlaybookSet([sprocket, widget], 'synthetic');
}

describe('model tokens', () => {
  it('folds quoted names and numbers, keeps flags and dotted paths whole, drops stop words', () => {
    expect(lineTokens('service "ingress-nginx-controller" is invalid: spec.clusterips[0]: invalid value: 10.96.0.12')).toEqual([
      'service', '«q»', 'invalid', 'spec.clusterips', '#', 'invalid', 'value', '#',
    ]);
    expect(lineTokens('helm upgrade web ./web --reuse-values --set image.tag=1.2.3')).toEqual(['helm', 'upgrade', 'web', 'web', '--reuse-values', '--set', 'image.tag', '#']);
    // A quoted phrase with spaces is read as words.
    expect(lineTokens('it says "happy helming" but nothing changed')).toEqual(['says', 'happy', 'helming', 'nothing', 'changed']);
  });

  it('reads the same features whatever the line repetitions', () => {
    const once = textFeatures('a pod keeps restarting\nthe tag keeps coming back');
    const many = textFeatures('a pod keeps restarting\n'.repeat(50) + 'the tag keeps coming back');
    expect(many).toEqual(once);
    expect(once).toContain('keeps coming');
  });
});

describe('trainModel', () => {
  it('is deterministic plain data that survives a JSON round trip', () => {
    const set = loadPlaybooks();
    const a = buildTriageModel(set.playbooks, set.lookalikes.map((l) => l.lookalike));
    const b = buildTriageModel(set.playbooks, set.lookalikes.map((l) => l.lookalike));
    expect(JSON.stringify(a)).toBe(JSON.stringify(b));
    const copy = JSON.parse(JSON.stringify(a)) as typeof a;
    const text = 'after every upgrade the pod is back on the old image tag';
    const s1 = scoreText(compileModel(a), text, 1, 0);
    const s2 = scoreText(compileModel(copy), text, 1, 0);
    expect([...s2.posterior]).toEqual([...s1.posterior]);
    // A snapshot given to the set is used as is.
    const snap = createPlaybookSet(set.playbooks, 'snapshot', { lookalikes: set.lookalikes.map((l) => l.lookalike), model: copy });
    expect(snap.model).toBe(copy);
    expect(diagnose(text, snap).playbook).toBe(diagnose(text, set).playbook);
  });

  it('learns examples under their class, near misses under the playbook\'s own near-miss class', () => {
    const set = synthetic([]);
    const docs = modelDocuments(set.playbooks, []);
    expect(docs.map((d) => d.label)).toEqual(['sprocket-jam', 'sprocket-jam', nearMissClass('sprocket-jam'), 'widget-flange', 'widget-flange', nearMissClass('widget-flange')]);
    const model = trainModel(docs, ['sprocket-jam', 'widget-flange', NONE_CLASS]);
    expect(model.classes.slice(0, 3)).toEqual(['sprocket-jam', 'widget-flange', NONE_CLASS]);
    const rt = compileModel(model);
    const s = scoreText(rt, 'the sprocket gear jammed again', 1, 0);
    expect(s.posterior[0]).toBeGreaterThan(s.posterior[1] ?? 1);
  });

  it('adds nothing below its floor and at most its weight', () => {
    expect(modelLift(DEFAULT_CALIBRATION.floor)).toBe(0);
    expect(modelLift(1)).toBeCloseTo(DEFAULT_CALIBRATION.weight);
    // On its own the model reaches the abstain line only with a high posterior.
    const needed = DEFAULT_CALIBRATION.floor + ((1 - DEFAULT_CALIBRATION.floor) * DEFAULT_MIN_CONFIDENCE) / DEFAULT_CALIBRATION.weight;
    expect(needed).toBeGreaterThan(0.75);
  });
});

describe('examples in the YAML teach the engine', () => {
  it('turns an abstention into the right answer when a playbook gains examples, with no code change', () => {
    const before = diagnose(PROSE, synthetic([]));
    expect(before.playbook).toBeNull();
    const after = diagnose(
      PROSE,
      synthetic([
        'the gearbox grinds and cog teeth chip off when the conveyor starts',
        'cog teeth chipping, gearbox grinding at conveyor start',
        'our conveyor starts and the gearbox grinds, teeth chip off the cog',
      ]),
    );
    expect(after.playbook).toBe('sprocket-jam');
    const top = after.matches[0];
    expect(top?.signals?.rule).toBe(0);
    expect(top?.signals?.decidedBy).toBe('model');
    expect(top?.signals?.terms.length).toBeGreaterThan(0);
    expect(after.decision?.decidedBy).toBe('model');
    // The rule-matched error lines are unaffected.
    expect(diagnose(WIDGET_ERROR, synthetic([])).playbook).toBe('widget-flange');
  });
});

describe('lookalikes', () => {
  const look = parseLookalike(
    `id: gearbox-vendor
looksLike: the gearbox vendor's own diagnostics, not a sprocket problem
signals:
  - pattern: 'VENDOR-DIAG \\d+'
    weight: 0.95
examples:
  - input: "VENDOR-DIAG 17 sprocket gear jammed sensor self test"
  - input: "VENDOR-DIAG 18 flange sensor self test"
`,
    'mem:gearbox-vendor',
  );

  it('abstains with one line saying what the text looks like when a lookalike outranks every playbook', () => {
    const base = synthetic([]);
    const set = createPlaybookSet(base.playbooks, 'synthetic', { lookalikes: [look] });
    const text = 'VENDOR-DIAG 17 sprocket gear jammed sensor self test failed';
    expect(diagnose(text, base).playbook).toBe('sprocket-jam');
    const d = diagnose(text, set);
    expect(d.playbook).toBeNull();
    expect(d.notes).toContain("this looks like the gearbox vendor's own diagnostics, not a sprocket problem: no Helm playbook applies");
    expect(d.decision?.lookalike?.id).toBe('gearbox-vendor');
    // A plain sprocket error is still diagnosed.
    expect(diagnose(SPROCKET_ERROR, set).playbook).toBe('sprocket-jam');
  });

  it('lets choosePrimary stay the one place of the decision', () => {
    const m = (score: number, noise = false): { score: number; noise: boolean } => ({ score, noise });
    expect(choosePrimary([m(0.9)], 0.5, { score: 0.95 })).toBeUndefined();
    expect(choosePrimary([m(0.9)], 0.5, { score: 0.6 })).toEqual(m(0.9));
    expect(choosePrimary([m(0.4)], 0.5, { score: 0.3 })).toBeUndefined();
    expect(choosePrimary([m(0.7, true), m(0.6)], 0.5)).toEqual(m(0.6));
  });
});
