// Vitest reporter: after the run's summary, one line per reason a test was skipped (test/support/needs.ts),
// e.g. "skipped 6 tests: chromium not found on PATH (not root: not installed automatically); install it with: …".
import type { Reporter, TestModule } from 'vitest/node';

export default class SkipSummary implements Reporter {
  onTestRunEnd(modules: ReadonlyArray<TestModule>): void {
    const byReason = new Map<string, { tests: number; files: Set<string> }>();
    for (const mod of modules) {
      for (const test of mod.children.allTests()) {
        const reason = test.meta().missing;
        if (reason === undefined || test.result().state !== 'skipped') continue;
        const entry = byReason.get(reason) ?? { tests: 0, files: new Set<string>() };
        entry.tests += 1;
        entry.files.add(mod.relativeModuleId);
        byReason.set(reason, entry);
      }
    }
    for (const [reason, { tests, files }] of byReason) {
      process.stdout.write(` skipped ${tests} test${tests === 1 ? '' : 's'} in ${[...files].sort().join(', ')}: ${reason}\n`);
    }
  }
}
