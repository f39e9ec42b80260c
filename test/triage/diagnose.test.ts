import { describe, expect, it } from 'vitest';
import { createPlaybookSet, loadPlaybooks, parsePlaybook } from '../../src/playbooks/load.js';
import { diagnose } from '../../src/triage/diagnose.js';

const set = loadPlaybooks();
const LBC = 'Error: failed to replace object: Service "shop-lb" is invalid: spec.loadBalancerClass: Invalid value: "null": may not change once set';

describe('diagnose', () => {
  it('diagnoses a plain paste with facts, root cause and ordered commands', () => {
    const d = diagnose(`$ helm rollback shop 4 -n retail --force\n${LBC}`, set);
    expect(d.playbook).toBe('immutable-load-balancer-class');
    expect(d.confidence).toBeGreaterThan(0.9);
    expect(d.facts).toMatchObject({ release: 'shop', namespace: 'retail', revision: 4, verb: 'rollback' });
    expect(d.rootCause).toContain('shop-lb');
    expect(d.commands[0]?.effect).toBe('read-only');
    const firstChange = d.commands.findIndex((c) => c.effect === 'changes-cluster');
    expect(d.commands.slice(firstChange).every((c) => c.effect === 'changes-cluster' && (c.risk ?? '') !== '')).toBe(true);
    expect(d.matches[0]?.evidence[0]?.line).toBe(2);
    expect(d.checks).toEqual(['service-load-balancer-class', 'aws-lbc-webhook-operations', 'aws-lbc-version']);
  });

  it('leaves unknown facts visible as <placeholders>', () => {
    const d = diagnose(LBC, set);
    const rollback = d.commands.find((c) => c.command.startsWith('helm rollback'));
    expect(rollback?.command).toContain('<release>');
    expect(rollback?.missing).toContain('release');
  });

  it('lets explicit overrides win over extracted facts', () => {
    const d = diagnose(`helm rollback shop 4 -n retail\n${LBC}`, set, { overrides: { namespace: 'other' } });
    expect(d.facts.namespace).toBe('other');
  });

  it('never puts unsafe pasted values into commands', () => {
    const d = diagnose(`helm rollback shop 4 -n 'prod;rm -rf /'\n${LBC}`, set);
    expect(d.commands.map((c) => c.command).join('\n')).not.toContain('rm -rf');
  });

  it('abstains on unrelated text', () => {
    const d = diagnose('npm ERR! code ENOENT\nnpm ERR! syscall open\nnpm ERR! path /app/package.json', set);
    expect(d.playbook).toBeNull();
    expect(d.rootCause).toBeNull();
    expect(d.commands).toEqual([]);
  });

  it('abstains below the confidence threshold it is given', () => {
    expect(diagnose(LBC, set, { minConfidence: 1.01 }).playbook).toBeNull();
  });

  it('puts the real error first and flags cleanup noise', () => {
    const text = [
      'client.go:490: [debug] Ignoring delete failure for "api" /v1, Kind=Service: services "api" not found',
      'object not found, skipping delete',
      'Error: an error occurred while cleaning up resources. original rollback error: failed to replace object: Service "api" is invalid: spec.clusterIP: Invalid value: "": field is immutable',
    ].join('\n');
    const d = diagnose(text, set);
    expect(d.playbook).toBe('immutable-cluster-ip');
    expect(d.matches.find((m) => m.playbook === 'rollback-cleanup-noise')?.noise).toBe(true);
    expect(d.notes.join(' ')).toMatch(/noise/);
  });

  it('makes the noise playbook primary when the paste is only noise', () => {
    const d = diagnose('Error: UPGRADE FAILED: Upgrade --force successfully deleted the previous release, but encountered 2 error(s) and cannot continue: object not found, skipping delete; object not found, skipping delete', set);
    expect(d.playbook).toBe('rollback-cleanup-noise');
  });

  describe('bad input', () => {
    it('handles empty input', () => {
      const d = diagnose('', set);
      expect(d.playbook).toBeNull();
      expect(d.notes.join(' ')).toMatch(/empty/);
    });

    it('handles binary input with a clear note', () => {
      const d = diagnose('\u0000\u0001\u0002ELF\u0000\u0000', set);
      expect(d.playbook).toBeNull();
      expect(d.input.binary).toBe(true);
      expect(d.notes.join(' ')).toMatch(/binary/);
    });

    it('diagnoses the tail of a 6 MiB paste and says it was cut', () => {
      const text = `${'x'.repeat(100)}\n`.repeat(62_000) + LBC;
      const d = diagnose(text, set);
      expect(d.input.truncated).toBe(true);
      expect(d.playbook).toBe('immutable-load-balancer-class');
      expect(d.notes.join(' ')).toMatch(/cut/);
    });

    it('sees through ANSI, CRLF and Slack escaping', () => {
      const text = `&gt; \x1b[1mhelm rollback shop 4 -n retail\x1b[0m\r\n&gt; ${LBC.replace(/"/g, '&quot;')}\r\n`;
      expect(diagnose(text, set).playbook).toBe('immutable-load-balancer-class');
    });

    it('sees through escaped JSON logs', () => {
      const text = `{"level":"error","error":"Service \\"shop-lb\\" is invalid: spec.loadBalancerClass: Invalid value: \\"null\\": may not change once set"}`;
      const d = diagnose(text, set);
      expect(d.playbook).toBe('immutable-load-balancer-class');
      expect(d.facts.resource).toEqual({ kind: 'Service', name: 'shop-lb' });
    });

    it('keeps <!channel> as text', () => {
      const d = diagnose(`<!channel> help\n${LBC}`, set);
      expect(d.text).toContain('@channel help');
    });

    it('never throws on random input', () => {
      let seed = 42;
      const rand = (): number => { seed = (seed * 1103515245 + 12345) % 2147483648; return seed / 2147483648; };
      const alphabet = ['"', '\\', '\n', '<', '>', '|', '`', '│', ' ', 'a', 'Error: ', 'helm ', '-----BEGIN ', 'password=', '\x1b[', '&gt;', '\u200b', 'é'];
      for (let i = 0; i < 300; i++) {
        let text = '';
        const n = Math.floor(rand() * 200);
        for (let j = 0; j < n; j++) text += alphabet[Math.floor(rand() * alphabet.length)];
        expect(() => diagnose(text, set)).not.toThrow();
      }
    });
  });

  it('never lets a pasted token reach the diagnosis JSON', () => {
    const token = ['xoxb', '999999999999', '8888888888888', 'ZyXwVuTsRqPoNmLkJiHgFeDc'].join('-');
    const password = 'Sup3rS3cretPassw0rd';
    const text = `helm upgrade shop ./shop -n retail --set db.password=${password} --set slack.token=${token}\n${LBC}\nAuthorization: Bearer ${token}`;
    const d = diagnose(text, set);
    const json = JSON.stringify(d);
    expect(d.playbook).toBe('immutable-load-balancer-class');
    expect(json).not.toContain(token);
    expect(json).not.toContain(password);
    expect(d.input.redactions).toBeGreaterThanOrEqual(2);
  });

  it('completes adversarial inputs correctly (abstains, no crash)', () => {
    const MiB = 1024 * 1024;
    const inputs = [
      'a'.repeat(MiB), ' '.repeat(MiB), '"'.repeat(MiB), '-'.repeat(MiB), '['.repeat(MiB / 2) + ']'.repeat(MiB / 2),
      '\\"'.repeat(MiB / 2), 'x\n'.repeat(MiB / 2), '<http://a|'.repeat(MiB / 10), 'failed calling webhook '.repeat(MiB / 23),
    ];
    for (const text of inputs) {
      const d = diagnose(text, set);
      expect(d.playbook).toBeNull();
    }
  });

  it('works with an in-memory playbook set', () => {
    const p = parsePlaybook([
      'id: demo', 'title: Demo failure', 'summary: demo summary', 'signals:', '  - pattern: "demo failure happened"', '    weight: 0.9',
      'rootCause: The demo failed for {{release}}.', 'runbook: "## Meaning\\ndemo"', 'examples:', '  - input: demo failure happened', '    expect: demo',
    ].join('\n'), 'demo.yaml');
    const d = diagnose('helm install web ./x\ndemo failure happened', createPlaybookSet([p]));
    expect(d.playbook).toBe('demo');
    expect(d.rootCause).toBe('The demo failed for web.');
  });

  it('fills a fact from the diagnosed playbook\'s own patterns, only where nothing else did', () => {
    const p = parsePlaybook([
      'id: bad-name', 'title: Invalid release name', 'summary: demo summary', 'signals:', '  - pattern: "invalid release name"', '    weight: 0.9',
      'factPatterns:', '  - fact: release', "    pattern: 'helm (?:install|upgrade) ([A-Za-z0-9_.]{1,100})'",
      'rootCause: The name {{release}} is not a valid release name.', 'runbook: "## Meaning\\ndemo"', 'examples:', '  - input: invalid release name', '    expect: bad-name',
    ].join('\n'), 'bad-name.yaml');
    const set1 = createPlaybookSet([p]);
    const paste = '$ helm install My_App ./chart\nError: INSTALLATION FAILED: invalid release name, must match regex ^[a-z0-9]([-a-z0-9]*[a-z0-9])?$';
    const d = diagnose(paste, set1);
    expect(d.playbook).toBe('bad-name');
    expect(d.facts.release).toBe('My_App');
    expect(d.rootCause).toBe('The name My_App is not a valid release name.');
    // Explicit facts win; other playbooks' patterns are not used when they are not the diagnosis.
    expect(diagnose(paste, set1, { overrides: { release: 'given' } }).facts.release).toBe('given');
    expect(diagnose('$ helm install My_App ./chart\ndemo failure happened', createPlaybookSet([p, parsePlaybook([
      'id: demo', 'title: Demo failure', 'summary: demo summary', 'signals:', '  - pattern: "demo failure happened"', '    weight: 0.9',
      'rootCause: The demo failed for {{release}}.', 'runbook: "## Meaning\\ndemo"', 'examples:', '  - input: demo failure happened', '    expect: demo',
    ].join('\n'), 'demo.yaml')])).facts.release).toBeUndefined();
  });
});
