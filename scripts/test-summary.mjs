// Prints the plain closing line CI reads ("N passed, M failed") from vitest's JSON report.
import { readFileSync } from 'node:fs';

const file = process.argv[2] ?? 'test-results/vitest.json';
try {
  const r = JSON.parse(readFileSync(file, 'utf8'));
  const skipped = (r.numPendingTests ?? 0) + (r.numTodoTests ?? 0);
  // A file that fails to load fails no test by name: count it, so a broken suite never reads as green.
  let failed = r.numFailedTests;
  if (failed === 0 && r.numFailedTestSuites > 0) failed = r.numFailedTestSuites;
  if (failed === 0 && r.success === false) failed = 1;
  console.log(`${r.numPassedTests} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
} catch {
  console.log('0 passed, 1 failed');
}
