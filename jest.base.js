// Shared jest settings: TypeScript through SWC as native ES modules (the code runs on
// Node 24's own type stripping in production, so tests must see the same ESM graph).
/** @type {import('jest').Config} */
export default {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts', '.tsx'],
  transform: {
    '^.+\\.tsx?$': [
      '@swc/jest',
      {
        jsc: { parser: { syntax: 'typescript', tsx: true }, target: 'es2023', transform: { react: { runtime: 'automatic' } } },
        module: { type: 'es6' },
      },
    ],
  },
  // A leaked connection (e.g. a queue still reconnecting to a stopped Redis) must fail
  // loudly in its own test, not hang the whole CI run until its time limit.
  forceExit: true,
  testResultsProcessor: new URL('./infra/scripts/jest-results.cjs', import.meta.url).pathname,
  testMatch: ['<rootDir>/src/**/*.test.ts', '<rootDir>/test/**/*.test.ts'],
};
