// Playbooks and triage records written for the web tests (our own words, not real incidents).
import { createPlaybookSet, type PlaybookSet } from '../../src/playbooks/load.js';
import { playbookSchema, type Playbook, type PlaybookSource } from '../../src/playbooks/schema.js';
import type { Diagnosis } from '../../src/triage/types.js';

export const XSS_SCRIPT = '<script>console.log("XSS-MARKER");alert("xss")</script>';
export const XSS_IMG = '"><img src=x onerror="console.log(\'XSS-MARKER\');alert(2)">';

const sources: PlaybookSource[] = [
  {
    id: 'widget-port-immutable',
    title: 'Service port name cannot change during rollback',
    summary: 'A rollback replaces a Service whose port name was set once by a controller, and the API server refuses.',
    signals: [{ id: 'port-name-immutable', pattern: 'spec\\.ports\\[\\d+\\]\\.name: Invalid value: .*cannot be changed', weight: 0.9 }],
    facts: ['release', 'namespace'],
    checks: ['service-port-names', 'controller-version'],
    rootCause: 'The port name of {{release}} in {{namespace}} was injected by a controller and is not in the older revision.',
    commands: [
      { run: 'helm history {{release}} -n {{namespace}}', description: 'List the revisions of the release', effect: 'read-only' },
      {
        run: 'kubectl -n {{namespace}} get service {{release}} -o jsonpath=\'{.spec.ports[*].name}\' | tr " " "\\n" | sort | uniq -c | sort -rn | head -n 20 # a deliberately long command that must wrap on a phone',
        description: 'Show the live port names',
        effect: 'read-only',
      },
      { run: 'helm rollback {{release}} {{revision}} -n {{namespace}}', description: 'Roll back without --force', effect: 'changes-cluster', risk: 'Restarts pods that differ between revisions.' },
    ],
    runbook: [
      '# Meaning',
      'The API server refused to **replace** a Service because a *set-once* field changed.',
      '',
      '## Diagnosis',
      '- Compare the field in both revisions with `helm get manifest`.',
      '- Read the [controller notes](https://example.com/notes) and this [bad link](javascript:alert(1)).',
      '',
      '```',
      'helm get manifest web --revision 3 | grep -n name:',
      '```',
      '',
      '<script>alert("runbook")</script>',
    ].join('\n'),
    references: ['https://example.com/widget-controller/issues/1', 'javascript:alert(document.domain)'],
    examples: [
      { input: 'Error: UPGRADE FAILED: Service "shop" is invalid: spec.ports[0].name: Invalid value: "web": cannot be changed', expect: 'widget-port-immutable' },
      { input: 'Error: release shop failed: context deadline exceeded', expect: null },
    ],
  },
  {
    id: 'stale-values-override',
    title: 'Stored release values override the new image',
    summary: 'Values kept in the release record win over the chart default, so an old image tag comes back.',
    signals: [{ pattern: 'image tag .* reverted', weight: 0.7 }],
    facts: ['release', 'namespace'],
    checks: ['release-values'],
    rootCause: 'Values stored with release {{release}} set the image tag.',
    commands: [{ run: 'helm get values {{release}} -n {{namespace}}', effect: 'read-only' }],
    runbook: '# Meaning\nThe stored values win.\n\n1. Look at the values.\n2. Upgrade with --reset-values.',
    references: [],
    examples: [{ input: 'warning: image tag 1.2 reverted to 1.0 after upgrade', expect: 'stale-values-override' }],
  },
];

export function fixturePlaybooks(): Playbook[] {
  return sources.map((s) => playbookSchema.parse(s));
}

export function playbookSet(playbooks: Playbook[] = fixturePlaybooks()): PlaybookSet {
  return createPlaybookSet(playbooks, 'test/web/fixtures.ts');
}

export const emptyPlaybooks: PlaybookSet = createPlaybookSet([], 'empty');

export const CHECK_DESCRIPTIONS: Record<string, string> = {
  'service-port-names': 'Reads the live Service and compares its port names with the target revision.',
  'controller-version': 'Reads the controller image tag.',
};

export function fixtureDiagnosis(text: string): Diagnosis {
  return {
    playbook: 'widget-port-immutable',
    title: 'Service port name cannot change during rollback',
    confidence: 0.92,
    facts: { verb: 'rollback', release: 'shop', namespace: 'store', resource: { kind: 'Service', name: 'shop', namespace: 'store' }, flags: ['--force'] },
    rootCause: 'The port name of shop in store was injected by a controller and is not in the older revision.',
    commands: [
      { command: 'helm history shop -n store', description: 'List the revisions of the release', effect: 'read-only' },
      { command: 'helm rollback shop <revision> -n store', effect: 'changes-cluster', risk: 'Restarts pods that differ between revisions.', missing: ['revision'] },
    ],
    matches: [{
      playbook: 'widget-port-immutable', title: 'Service port name cannot change during rollback', score: 0.92,
      evidence: [{ line: 2, text: 'spec.ports[0].name: Invalid value: "web": cannot be changed', signal: 'port-name-immutable', weight: 0.9 }],
    }],
    checks: ['service-port-names', 'controller-version'],
    notes: ['1 secret-looking value was redacted.'],
    input: { bytes: Buffer.byteLength(text), lines: text.split('\n').length, truncated: false, redactions: 1, binary: false },
    text,
  };
}
