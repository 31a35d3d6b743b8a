// Prints one plain closing line, "tests: N passed, N failed, N skipped", after every vitest run,
// so CI tooling that reads closing lines (not vitest's own format) can count the run.
import type { Reporter } from 'vitest/reporters';
import type { RunnerTask, RunnerTestFile } from 'vitest';

function collect(tasks: readonly RunnerTask[], counts: { passed: number; failed: number; skipped: number }): void {
  for (const task of tasks) {
    if (task.type === 'suite') {
      collect(task.tasks, counts);
      continue;
    }
    const state = task.result?.state;
    if (state === 'pass') counts.passed += 1;
    else if (state === 'fail') counts.failed += 1;
    else counts.skipped += 1;
  }
}

export default class SummaryReporter implements Reporter {
  onFinished(files: readonly RunnerTestFile[] = [], errors: readonly unknown[] = []): void {
    const counts = { passed: 0, failed: 0, skipped: 0 };
    for (const file of files) {
      if (file.result?.state === 'fail' && file.tasks.length === 0) counts.failed += 1;
      collect(file.tasks, counts);
    }
    counts.failed += errors.length;
    process.stdout.write(`\ntests: ${counts.passed} passed, ${counts.failed} failed, ${counts.skipped} skipped\n`);
  }
}
