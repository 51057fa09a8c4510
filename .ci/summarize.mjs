// Prints vitest's JSON report as one line "N passed, N failed, N skipped"; exits 1 unless it passed.
// A missing report (the type check or lint failed before vitest ran) counts as one failure.
import { existsSync, readFileSync } from 'node:fs';

const path = process.argv[2] ?? 'test-results.json';
if (!existsSync(path)) {
  console.log('no test report: the checks before vitest failed');
  console.log('0 passed, 1 failed');
  process.exit(1);
}
const report = JSON.parse(readFileSync(path, 'utf8'));
const skipped = (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0);
console.log(`${report.numPassedTests} passed, ${report.numFailedTests} failed, ${skipped} skipped`);
process.exit(report.success && report.numTotalTests > 0 ? 0 : 1);
