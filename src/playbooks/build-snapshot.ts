// `npm run build` step: node dist/playbooks/build-snapshot.js validates the bundled playbooks and writes
// dist/playbooks.snapshot.json (see snapshot.ts). A broken playbook fails the build, naming file and field.
import { defaultSnapshotPath, writeSnapshot } from './snapshot.js';

try {
  const snapshot = await writeSnapshot();
  console.log(`playbooks: ${snapshot.playbooks.length} compiled into ${defaultSnapshotPath()}`);
} catch (err) {
  console.error(`playbooks: ${err instanceof Error ? err.message : String(err)}`);
  process.exitCode = 1;
}
