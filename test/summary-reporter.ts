/**
 * Prints one plain closing line after vitest's own summary — `tests: N passed, N failed, N skipped` —
 * so CI logs and scripts can read the outcome without parsing vitest's formatting.
 */
import type { Reporter } from 'vitest/reporters';

type Task = { type: string; mode?: string; result?: { state?: string }; tasks?: Task[] };

export default class SummaryReporter implements Reporter {
  onFinished(files: Task[] = [], errors: unknown[] = []): void {
    let passed = 0;
    let failed = 0;
    let skipped = 0;
    const visit = (t: Task) => {
      if (t.tasks) {
        // A file or suite that failed before running any test (an import error) still failed.
        if (t.type !== 'test' && t.result?.state === 'fail' && t.tasks.length === 0) failed++;
        t.tasks.forEach(visit);
        return;
      }
      if (t.mode === 'skip' || t.mode === 'todo') skipped++;
      else if (t.result?.state === 'pass') passed++;
      else if (t.result?.state === 'fail') failed++;
      else skipped++;
    };
    files.forEach(visit);
    // An unhandled error fails the run too.
    failed += errors.length;
    process.stdout.write(`\ntests: ${passed} passed, ${failed} failed, ${skipped} skipped\n`);
  }
}
