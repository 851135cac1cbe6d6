// jest testResultsProcessor: keeps each package's counts in $JEST_RESULTS_DIR so that
// the test command can print one closing line for the whole suite.
const { writeFileSync } = require('node:fs');
const { basename, join } = require('node:path');

module.exports = (results) => {
  const dir = process.env.JEST_RESULTS_DIR;
  if (dir) {
    const { numPassedTests, numFailedTests, numPendingTests, numRuntimeErrorTestSuites } = results;
    const name = `${basename(join(process.cwd(), '..'))}-${basename(process.cwd())}`;
    writeFileSync(
      join(dir, `${name}.json`),
      JSON.stringify({ numPassedTests, numFailedTests, numPendingTests, numRuntimeErrorTestSuites }),
    );
  }
  return results;
};
