import { cpSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { PlaybookError } from '../../src/errors.js';
import { defaultPlaybooksDir, loadPlaybooks } from '../../src/playbooks/load.js';
import { openPlaybooks, readFreshSnapshot, writeSnapshot, type PlaybookSnapshot } from '../../src/playbooks/snapshot.js';
import { diagnose } from '../../src/triage/diagnose.js';

const tmp: string[] = [];
afterEach(() => { for (const d of tmp.splice(0)) rmSync(d, { recursive: true, force: true }); });

/** A copy of the bundled playbooks standing in for the package's playbooks/, and where its snapshot goes. */
function bundledCopy(): { dir: string; snapshotPath: string } {
  const root = mkdtempSync(join(tmpdir(), 'ht-snapshot-'));
  tmp.push(root);
  const dir = join(root, 'playbooks');
  cpSync(defaultPlaybooksDir(), dir, { recursive: true, preserveTimestamps: true });
  return { dir, snapshotPath: join(root, 'playbooks.snapshot.json') };
}

function tamperTitle(path: string, id: string, title: string): void {
  const s = JSON.parse(readFileSync(path, 'utf8')) as PlaybookSnapshot;
  const p = s.playbooks.find((x) => x.id === id);
  if (p === undefined) throw new Error(`no ${id} in snapshot`);
  p.title = title;
  writeFileSync(path, JSON.stringify(s));
}

const paste = readFileSync(new URL('../../examples/rollback-load-balancer-class.txt', import.meta.url), 'utf8');

describe('build-time playbook snapshot', () => {
  it('a set reopened from the snapshot diagnoses exactly like one parsed from the YAML', async () => {
    const { dir, snapshotPath } = bundledCopy();
    await writeSnapshot(dir, snapshotPath);
    const fromSnapshot = await openPlaybooks({ bundledDir: dir, snapshotPath });
    const fromYaml = loadPlaybooks(dir);
    expect(fromSnapshot.playbooks).toEqual(fromYaml.playbooks);
    expect(fromSnapshot.compiled.map((c) => c.signals.map((s) => [s.source, s.regex.source, s.literals])))
      .toEqual(fromYaml.compiled.map((c) => c.signals.map((s) => [s.source, s.regex.source, s.literals])));
    for (const p of fromYaml.playbooks) {
      for (const ex of p.examples) {
        const a = diagnose(ex.input, fromSnapshot);
        const b = diagnose(ex.input, fromYaml);
        expect({ playbook: a.playbook, confidence: a.confidence, matches: a.matches }).toEqual({ playbook: b.playbook, confidence: b.confidence, matches: b.matches });
      }
    }
  });

  it('is what a fresh open of the bundled folder reads (the YAML is not parsed)', async () => {
    const { dir, snapshotPath } = bundledCopy();
    await writeSnapshot(dir, snapshotPath);
    tamperTitle(snapshotPath, 'immutable-load-balancer-class', 'Title only the snapshot has');
    const set = await openPlaybooks({ bundledDir: dir, snapshotPath });
    expect(set.get('immutable-load-balancer-class')?.title).toBe('Title only the snapshot has');
    expect(diagnose(paste, set).title).toBe('Title only the snapshot has');
  });

  it('is stale once a playbook file is edited, added or removed: the YAML is loaded instead', async () => {
    const { dir, snapshotPath } = bundledCopy();
    await writeSnapshot(dir, snapshotPath);
    tamperTitle(snapshotPath, 'immutable-load-balancer-class', 'Title only the snapshot has');
    const file = join(dir, 'immutable-load-balancer-class.yaml');
    const later = new Date(Date.now() + 5000);
    utimesSync(file, later, later);
    expect(readFreshSnapshot(snapshotPath, dir)).toBeUndefined();
    expect((await openPlaybooks({ bundledDir: dir, snapshotPath })).get('immutable-load-balancer-class')?.title).not.toBe('Title only the snapshot has');

    await writeSnapshot(dir, snapshotPath);
    expect(readFreshSnapshot(snapshotPath, dir)).toBeDefined();
    const extra = readFileSync(join(dir, 'missing-crd.yaml'), 'utf8').replace('id: missing-crd', 'id: missing-crd-copy');
    writeFileSync(join(dir, 'missing-crd-copy.yaml'), extra);
    expect(readFreshSnapshot(snapshotPath, dir)).toBeUndefined();
    expect((await openPlaybooks({ bundledDir: dir, snapshotPath })).get('missing-crd-copy')).toBeDefined();

    await writeSnapshot(dir, snapshotPath);
    rmSync(join(dir, 'missing-crd-copy.yaml'));
    expect((await openPlaybooks({ bundledDir: dir, snapshotPath })).get('missing-crd-copy')).toBeUndefined();
  });

  it('a playbook broken after the build still names its file and field', async () => {
    const { dir, snapshotPath } = bundledCopy();
    await writeSnapshot(dir, snapshotPath);
    const file = join(dir, 'missing-crd.yaml');
    writeFileSync(file, readFileSync(file, 'utf8').replace(/weight: [0-9.]+/, 'weight: 7'));
    const err = await openPlaybooks({ bundledDir: dir, snapshotPath }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PlaybookError);
    expect(String((err as Error).message)).toMatch(/missing-crd\.yaml[\s\S]*signals\[\d+\]\.weight/);
  });

  it('another folder (--playbooks, PLAYBOOKS_DIR) is loaded from its YAML, whatever the snapshot says', async () => {
    const { dir, snapshotPath } = bundledCopy();
    await writeSnapshot(dir, snapshotPath);
    tamperTitle(snapshotPath, 'immutable-load-balancer-class', 'Title only the snapshot has');
    const other = bundledCopy().dir;
    const set = await openPlaybooks({ dir: other, bundledDir: dir, snapshotPath });
    expect(set.source).toBe(other);
    expect(set.get('immutable-load-balancer-class')?.title).not.toBe('Title only the snapshot has');
  });

  it('a missing, unreadable or older-format snapshot falls back to the YAML', async () => {
    const { dir, snapshotPath } = bundledCopy();
    expect((await openPlaybooks({ bundledDir: dir, snapshotPath })).playbooks.length).toBeGreaterThan(5);
    writeFileSync(snapshotPath, '{not json');
    expect(readFreshSnapshot(snapshotPath, dir)).toBeUndefined();
    await writeSnapshot(dir, snapshotPath);
    const s = JSON.parse(readFileSync(snapshotPath, 'utf8')) as Record<string, unknown>;
    writeFileSync(snapshotPath, JSON.stringify({ ...s, v: 0 }));
    expect(readFreshSnapshot(snapshotPath, dir)).toBeUndefined();
  });

  it('refuses to snapshot a broken folder, naming file and field', async () => {
    const { dir, snapshotPath } = bundledCopy();
    const file = join(dir, 'missing-crd.yaml');
    writeFileSync(file, readFileSync(file, 'utf8').replace(/weight: [0-9.]+/, 'weight: 7'));
    await expect(writeSnapshot(dir, snapshotPath)).rejects.toThrow(/missing-crd\.yaml[\s\S]*weight/);
  });
});
