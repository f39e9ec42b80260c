// Runs every example of every playbook, and the rules every playbook must keep.
import { describe, expect, it } from 'vitest';
import { loadPlaybooks } from '../../src/playbooks/load.js';
import { placeholders } from '../../src/playbooks/render.js';
import { diagnose } from '../../src/triage/diagnose.js';

const set = loadPlaybooks();
const FOUNDING: Record<string, string[]> = {
  'immutable-load-balancer-class': ['service-load-balancer-class', 'aws-lbc-webhook-operations', 'aws-lbc-version'],
  'immutable-cluster-ip': ['server-version', 'service-cluster-ip-manifests'],
  'rollback-cleanup-noise': ['release-history', 'cleanup-targets'],
  'persisted-values-revert': ['persisted-values', 'live-image'],
  'orphaned-pods-webhook': ['orphaned-workloads', 'failing-webhooks', 'finalizer-holds'],
};
const KNOWN_PLACEHOLDERS = new Set([
  'verb', 'release', 'namespace', 'chart', 'revision', 'previousRevision', 'resource', 'resource.kind', 'resource.name',
  'resource.namespace', 'resources', 'field', 'webhook', 'webhookService', 'webhookService.namespace', 'webhookService.name',
  'apiVersion', 'kind', 'kubeVersion', 'flags', 'setValues', 'image',
]);

describe('lookalike examples', () => {
  it('loads the lookalikes that keep wrapping tools and application errors negative', () => {
    expect(set.lookalikes.map((l) => l.lookalike.id)).toEqual(expect.arrayContaining(['helmfile-config', 'terraform-config', 'argocd-status', 'flux-source', 'app-runtime']));
  });

  for (const { lookalike } of set.lookalikes) {
    describe(lookalike.id, () => {
      lookalike.examples.forEach((ex, i) => {
        it(`example ${i}${ex.name !== undefined ? ` (${ex.name})` : ''} → abstain`, () => {
          expect(diagnose(ex.input, set).playbook).toBeNull();
        });
      });

      it('says in one line what the text looks like', () => {
        expect(lookalike.looksLike).not.toContain('\n');
        const noted = lookalike.examples.filter((ex) => diagnose(ex.input, set).notes.some((n) => n.includes(lookalike.looksLike)));
        // Most of its own examples are recognised as this lookalike (not merely abstained on).
        expect(noted.length).toBeGreaterThanOrEqual(Math.ceil(lookalike.examples.length / 2));
      });
    });
  }
});

describe('playbook examples', () => {
  it('loads at least the five founding playbooks with their checks', () => {
    for (const [id, checks] of Object.entries(FOUNDING)) expect(set.get(id)?.checks).toEqual(checks);
  });

  for (const p of set.playbooks) {
    describe(p.id, () => {
      p.examples.forEach((ex, i) => {
        it(`example ${i}${ex.name !== undefined ? ` (${ex.name})` : ''} → ${ex.expect ?? 'abstain'}`, () => {
          expect(diagnose(ex.input, set).playbook).toBe(ex.expect);
        });
      });

      it('has positive and negative examples', () => {
        expect(p.examples.filter((e) => e.expect === p.id).length).toBeGreaterThanOrEqual(2);
        expect(p.examples.filter((e) => e.expect !== p.id).length).toBeGreaterThanOrEqual(1);
      });

      it('lists read-only commands before changes-cluster ones, each change with a risk', () => {
        const effects = p.commands.map((c) => c.effect);
        const firstChange = effects.indexOf('changes-cluster');
        if (firstChange >= 0) expect(effects.slice(firstChange).every((e) => e === 'changes-cluster')).toBe(true);
        for (const c of p.commands) if (c.effect === 'changes-cluster') expect(c.risk?.trim()).toBeTruthy();
        if (p.commands.length > 0) expect(p.commands[0]?.effect).toBe('read-only');
      });

      it('only uses placeholders the renderer knows', () => {
        const used = [p.rootCause, ...p.commands.flatMap((c) => [c.run, c.description ?? ''])].flatMap(placeholders);
        expect(used.filter((u) => !KNOWN_PLACEHOLDERS.has(u))).toEqual([]);
      });

      it('has a runbook with Meaning, Impact, Diagnosis and Mitigation', () => {
        for (const section of ['Meaning', 'Impact', 'Diagnosis', 'Mitigation']) expect(p.runbook).toMatch(new RegExp(`^#+\\s*${section}`, 'm'));
      });

      it('cites at least one reference', () => {
        expect(p.references.length).toBeGreaterThan(0);
      });
    });
  }
});
