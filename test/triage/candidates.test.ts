import { describe, expect, it } from 'vitest';
import type { Finding } from '../../src/checks/types.js';
import { loadPlaybooks } from '../../src/playbooks/load.js';
import { CANDIDATE_FLOOR, MAX_CANDIDATES, planChecks, type Candidate } from '../../src/triage/candidates.js';
import { diagnose } from '../../src/triage/diagnose.js';
import type { Match } from '../../src/triage/types.js';
import { adoptVerdict, judgeCandidates } from '../../src/triage/verdict.js';

const match = (playbook: string, score: number, noise = false): Match => ({ playbook, title: `${playbook} title`, score, evidence: [], ...(noise ? { noise } : {}) });
const f = (check: string, status: Finding['status'], summary: string, decisive = false): Finding => ({ check, status, summary, evidence: [], ...(decisive ? { decisive } : {}) });

const books: Record<string, { checks: string[]; noise: boolean; rootCause: string }> = {
  alpha: { checks: ['a1', 'shared'], noise: false, rootCause: 'alpha cause for {{release}}' },
  beta: { checks: ['b1', 'shared'], noise: false, rootCause: 'beta cause for {{release}}' },
  gamma: { checks: ['g1'], noise: false, rootCause: 'gamma cause' },
  delta: { checks: ['d1'], noise: false, rootCause: 'delta cause' },
  quiet: { checks: [], noise: false, rootCause: 'no checks' },
  cleanup: { checks: ['c1'], noise: true, rootCause: 'noise' },
};
const lookup = { get: (id: string) => books[id] };

describe('planChecks', () => {
  it('checks the winner first, then candidates above the floor, each check once', () => {
    const plan = planChecks({ playbook: 'alpha', confidence: 0.8, checks: ['a1', 'shared'], matches: [match('alpha', 0.8), match('beta', 0.4), match('gamma', 0.3)] }, lookup);
    expect(plan.candidates.map((c) => [c.playbook, c.score, c.primary === true])).toEqual([['alpha', 0.8, true], ['beta', 0.4, false], ['gamma', 0.3, false]]);
    expect(plan.checks).toEqual(['a1', 'shared', 'b1', 'g1']);
  });

  it('plans for an abstention: the low candidates are still checked', () => {
    const plan = planChecks({ playbook: null, confidence: 0, checks: [], matches: [match('beta', 0.35)] }, lookup);
    expect(plan.candidates).toEqual([{ playbook: 'beta', score: 0.35, checks: ['b1', 'shared'] }]);
  });

  it('skips candidates below the floor, noise, playbooks without checks and unknown ones', () => {
    const plan = planChecks({ playbook: null, confidence: 0, checks: [], matches: [match('cleanup', 0.9, true), match('quiet', 0.45), match('unknown', 0.4), match('beta', CANDIDATE_FLOOR - 0.01)] }, lookup);
    expect(plan.candidates).toEqual([]);
    expect(plan.checks).toEqual([]);
  });

  it(`bounds the candidates to ${MAX_CANDIDATES}`, () => {
    const plan = planChecks({ playbook: null, confidence: 0, checks: [], matches: [match('alpha', 0.45), match('beta', 0.4), match('gamma', 0.35), match('delta', 0.3)] }, lookup);
    expect(plan.candidates).toHaveLength(MAX_CANDIDATES);
    expect(plan.candidates.map((c) => c.playbook)).not.toContain('delta');
    expect(planChecks({ playbook: null, confidence: 0, checks: [], matches: [match('alpha', 0.45), match('beta', 0.4)] }, lookup, { max: 1 }).candidates).toHaveLength(1);
  });
});

const cand = (playbook: string, score: number, primary = false): Candidate => ({ playbook, score, checks: books[playbook]?.checks ?? [], ...(primary ? { primary } : {}) });
const input = (playbook: string | null, candidates: Candidate[], confidence = playbook ? 0.8 : 0) => ({
  playbook, confidence, rootCause: playbook ? `${playbook} text cause` : null, facts: { release: 'web' },
  matches: candidates.map((c) => match(c.playbook, c.score)), candidates,
});

describe('judgeCandidates', () => {
  it('promotes a decisively confirmed candidate of an abstention, saying the cluster confirmed it', () => {
    const v = judgeCandidates(input(null, [cand('beta', 0.35)]), [f('b1', 'confirmed', 'image.tag pinned to 11', true), f('shared', 'inconclusive', 'n/a')], lookup);
    expect(v).toMatchObject({ playbook: 'beta', status: 'confirmed', rootCause: 'beta cause for web', firstGuess: { playbook: null, confidence: 0.35 } });
    expect(v.summary).toBe('confirmed by the cluster: image.tag pinned to 11 (the text alone was not conclusive)');
    expect(v.confidence).toBeGreaterThan(0.8);
    expect(v.candidates).toEqual([{ playbook: 'beta', score: 0.35, status: 'confirmed' }]);
  });

  it('keeps an abstention when the candidates are refuted: no diagnosis is claimed', () => {
    const v = judgeCandidates(input(null, [cand('beta', 0.35), cand('gamma', 0.3)]), [f('b1', 'refuted', 'nothing pinned', true), f('shared', 'refuted', 'no'), f('g1', 'refuted', 'no g')], lookup);
    expect(v).toMatchObject({ playbook: null, status: 'refuted', rootCause: null });
    expect(v.firstGuess).toBeUndefined();
    expect(v.summary).toBe('no diagnosis: beta refuted (nothing pinned); gamma refuted (no g)');
  });

  it('does not promote a low candidate on circumstantial (non-decisive) confirmations', () => {
    const v = judgeCandidates(input(null, [cand('gamma', 0.3)]), [f('g1', 'confirmed', 'some webhook is slow')], lookup);
    expect(v).toMatchObject({ playbook: null, status: 'inconclusive' });
    expect(v.summary).toBe('no diagnosis: gamma not confirmed (no decisive evidence)');
  });

  it('keeps a confirmed winner, whatever the other candidates say', () => {
    const v = judgeCandidates(input('alpha', [cand('alpha', 0.8, true), cand('gamma', 0.3)]), [f('a1', 'confirmed', 'alpha seen', true), f('shared', 'confirmed', 'yes'), f('g1', 'confirmed', 'g seen', true)], lookup);
    expect(v).toMatchObject({ playbook: 'alpha', status: 'confirmed' });
    expect(v.firstGuess).toBeUndefined();
    expect(v.summary).toBe('confirmed: alpha seen; yes');
  });

  it('promotes a decisively confirmed candidate when the winner is refuted', () => {
    const v = judgeCandidates(input('alpha', [cand('alpha', 0.8, true), cand('gamma', 0.3)]), [f('a1', 'refuted', 'no alpha', true), f('shared', 'inconclusive', '?'), f('g1', 'confirmed', 'g seen', true)], lookup);
    expect(v).toMatchObject({ playbook: 'gamma', status: 'confirmed', firstGuess: { playbook: 'alpha', confidence: 0.8 } });
    expect(v.summary).toBe('confirmed by the cluster: g seen (alpha refuted: no alpha)');
  });

  it('keeps an inconclusive winner over a low candidate the cluster happens to confirm', () => {
    const v = judgeCandidates(input('alpha', [cand('alpha', 0.8, true), cand('gamma', 0.3)]), [f('a1', 'inconclusive', 'no access'), f('g1', 'confirmed', 'g seen', true)], lookup);
    expect(v).toMatchObject({ playbook: 'alpha', status: 'inconclusive' });
  });

  it('names a checked, refuted alternative no more as "next most likely"', () => {
    const v = judgeCandidates(input('alpha', [cand('alpha', 0.8, true), cand('gamma', 0.6)]), [f('a1', 'refuted', 'no alpha', true), f('g1', 'refuted', 'no g')], lookup);
    expect(v).toMatchObject({ playbook: 'alpha', status: 'refuted' });
    expect(v.summary).toBe('refuted: no alpha');
  });

  it('promotes an above-line alternative on agreeing checks when the winner is refuted', () => {
    const v = judgeCandidates(input('alpha', [cand('alpha', 0.8, true), cand('gamma', 0.6)]), [f('a1', 'refuted', 'no alpha', true), f('g1', 'confirmed', 'g seen')], lookup);
    expect(v).toMatchObject({ playbook: 'gamma', status: 'confirmed' });
  });

  it('answers text-only when nothing was checked', () => {
    expect(judgeCandidates(input(null, []), [], lookup)).toMatchObject({ playbook: null, status: 'text-only' });
  });
});

describe('adoptVerdict', () => {
  const playbooks = loadPlaybooks();
  const text = 'since we moved the pipeline to `helm upgrade orders-db ./postgres -n data --reuse-values`, after every upgrade the pod is back on image postgres:11 although values.yaml says 15';

  it('turns a promoted verdict into the diagnosis people read: title, root cause, commands, and the guess said', () => {
    const d = diagnose(text, playbooks, { minConfidence: 0.9 });
    const adopted = adoptVerdict(d, { playbook: 'persisted-values-revert', status: 'confirmed', confidence: 0.87, summary: 'confirmed by the cluster: …', rootCause: null, firstGuess: { playbook: null, confidence: 0.35 } }, playbooks);
    expect(adopted.playbook).toBe('persisted-values-revert');
    expect(adopted.title).toBe(playbooks.get('persisted-values-revert')?.title);
    expect(adopted.confidence).toBe(0.87);
    expect(adopted.commands[0]?.command).toBe('helm get values orders-db -n data');
    expect(adopted.commands.filter((c) => c.effect === 'changes-cluster').map((c) => [/--reset-values|--reset-then-reuse-values/.test(c.command), typeof c.risk])).toEqual([[true, 'string'], [true, 'string']]);
    expect(adopted.notes[0]).toContain('The first answer was a guess');
    expect(adopted.text).toBe(d.text);
  });

  it('leaves the diagnosis alone when nothing was promoted', () => {
    const d = diagnose(text, playbooks, { minConfidence: 0.9 });
    expect(adoptVerdict(d, { playbook: null, status: 'refuted', confidence: 0, summary: 'no diagnosis', rootCause: null }, playbooks)).toBe(d);
    expect(adoptVerdict(d, null, playbooks)).toBe(d);
  });
});
