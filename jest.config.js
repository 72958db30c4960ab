/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  testMatch: ['<rootDir>/test/**/*.test.ts'],
  // tsconfig has isolatedModules, so ts-jest only transpiles (fast); `npm run typecheck` type-checks.
  transform: { '^.+\\.ts$': ['ts-jest', {}] },
  moduleFileExtensions: ['ts', 'js', 'json'],
  // .data holds the Temporal CLI and database files: nothing for Jest's file crawler there.
  modulePathIgnorePatterns: ['<rootDir>/.data/'],
  // Fault tests (killed workers, restarted servers, a 30 s outage) take minutes: `npm run test:faults`.
  testPathIgnorePatterns: ['/node_modules/', '<rootDir>/.data/', ...(process.env.SOJOURN_TEST_FAULTS ? [] : ['<rootDir>/test/faults/'])],
  testTimeout: 120000,
  globalSetup: '<rootDir>/test/global-setup.ts',
  globalTeardown: '<rootDir>/test/global-teardown.ts',
  // Two cores are shared by Temporal, PostgreSQL and each test's Temporal worker: more Jest workers only
  // compete for them (package.json's --runInBand says the same).
  maxWorkers: 1,
};
