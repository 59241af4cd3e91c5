// Only this folder's files: leakrun's own `*.test.ts` suites elsewhere are not Jest's.
module.exports = {
  rootDir: __dirname,
  testMatch: ['<rootDir>/*.test.cjs'],
  // A leak check samples the heap after each of its runs: seconds, not milliseconds.
  testTimeout: 120000,
};
