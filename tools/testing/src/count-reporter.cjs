// A jest reporter that writes the run's test counts to <rootDir>/.test-counts.json, which nx keeps
// as the test target's output (so a cached run restores it) and tools/test-summary.mjs adds up.
const { writeFileSync } = require('node:fs');
const { join } = require('node:path');

class CountReporter {
  constructor(globalConfig) {
    this.rootDir = globalConfig.rootDir;
  }

  onRunComplete(_contexts, results) {
    const counts = {
      passed: results.numPassedTests,
      failed: results.numFailedTests + results.numRuntimeErrorTestSuites,
      skipped: results.numPendingTests + results.numTodoTests,
      seconds: (Date.now() - results.startTime) / 1000,
      // The slowest test files, to find what makes the suite long.
      slowest: results.testResults
        .map((r) => ({ file: r.testFilePath.slice(this.rootDir.length + 1), seconds: (r.perfStats.end - r.perfStats.start) / 1000 }))
        .sort((a, b) => b.seconds - a.seconds)
        .slice(0, 5),
    };
    writeFileSync(join(this.rootDir, '.test-counts.json'), JSON.stringify(counts) + '\n');
  }
}

module.exports = CountReporter;
