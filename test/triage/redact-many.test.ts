import { describe, expect, it } from 'vitest';
import { redact } from '../../src/triage/redact.js';

describe('redact: pastes with many secrets', () => {
  it('replaces every bearer token and URL password and counts each', () => {
    const n = 2000;
    const text = 'Authorization: Bearer abcdefghijkl0123\nclone https://deploy:hunter22secret@git.example.test/repo.git\n'.repeat(n);
    const out = redact(text);
    expect(out.text).not.toContain('abcdefghijkl0123');
    expect(out.text).not.toContain('hunter22secret');
    expect(out.kinds.authorization).toBe(n);
    expect(out.kinds['url-credentials']).toBe(n);
    expect(out.text.split('\n')[1]).toBe('clone https://deploy:[REDACTED:url-credentials]@git.example.test/repo.git');
  });

  it('does not count a match that is already redacted', () => {
    const out = redact('Authorization: Bearer [REDACTED:bearer]');
    expect(out.count).toBe(0);
  });
});
