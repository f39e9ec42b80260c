import { describe, expect, it } from 'vitest';
import { placeholders, renderTemplate } from '../../src/playbooks/render.js';

describe('renderTemplate', () => {
  it('fills known facts and keeps unknown ones visible as <name>', () => {
    const r = renderTemplate('helm history {{release}} -n {{namespace}}', { release: 'web' });
    expect(r.text).toBe('helm history web -n <namespace>');
    expect(r.missing).toEqual(['namespace']);
  });

  it('renders the same template afresh for each set of facts, $ patterns and repeats included', () => {
    const template = 'helm rollback {{release}} {{previousRevision}} # {{release}} $& $1';
    expect(renderTemplate(template, { release: 'web', revision: 3 }, { shell: true })).toEqual({ text: 'helm rollback web 2 # web $& $1', missing: [] });
    expect(renderTemplate(template, { release: 'api' }, { shell: true })).toEqual({
      text: 'helm rollback api <previousRevision> # api $& $1',
      missing: ['previousRevision'],
    });
    expect(renderTemplate('no placeholders', {}).text).toBe('no placeholders');
  });

  it('uses a prose fallback only when the fact is unknown', () => {
    expect(renderTemplate('the {{verb|rollback or upgrade}} was rejected', {}).text).toBe('the rollback or upgrade was rejected');
    expect(renderTemplate('the {{verb|rollback or upgrade}} was rejected', { verb: 'rollback' }).text).toBe('the rollback was rejected');
  });

  it('never lets a fallback fill a command', () => {
    const r = renderTemplate('helm rollback {{release|web}}', {}, { shell: true });
    expect(r.text).toBe('helm rollback <release>');
    expect(r.missing).toEqual(['release']);
  });

  it('lists placeholder names, fallbacks aside', () => {
    expect(placeholders('{{release}} {{verb|change}} {{release}}')).toEqual(['release', 'verb']);
  });
});
