import { describe, expect, it } from 'vitest';
import { renderCommands, toReplace } from '../../../src/render/html/commands.js';

describe('command placeholders', () => {
  it('asks the reader to replace unfilled facts and the names a playbook leaves to them', () => {
    expect(toReplace({ command: 'kubectl logs -n retail <pod> --previous' })).toEqual(['pod']);
    expect(toReplace({ command: 'helm history <release> -n <namespace>', missing: ['release', 'namespace'] })).toEqual(['release', 'namespace']);
    expect(toReplace({ command: 'helm get values web -n prod --all' })).toEqual([]);
    const html = renderCommands([{ command: 'kubectl logs -n retail <pod> --previous', effect: 'read-only' }], 'c');
    expect(html).toContain('Replace <code>&lt;pod&gt;</code> before running.');
  });
});
