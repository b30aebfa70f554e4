/** Two projects: `unit` needs no server; `integration` shares one Temporal dev server per run. */
const transform = { '^.+\\.tsx?$': ['@swc/jest', { jsc: { target: 'es2022' } }] };
const common = { testEnvironment: 'node', transform, moduleFileExtensions: ['ts', 'js', 'json'] };

module.exports = {
  // Both cores: integration files run in parallel, each on a task queue of its own.
  maxWorkers: 2,
  testSequencer: '<rootDir>/test/setup/sequencer.mjs',
  projects: [
    {
      ...common,
      displayName: 'unit',
      testMatch: ['<rootDir>/test/{domain,discovery,activities,unit,sim-cloud,cli,client}/**/*.test.ts'],
      setupFilesAfterEnv: ['<rootDir>/test/setup/ci-retry.ts'],
    },
    {
      ...common,
      displayName: 'integration',
      testMatch: ['<rootDir>/test/{workflows,api,replay,reliability,e2e,browser}/**/*.test.ts'],
      globalSetup: '<rootDir>/test/setup/global-setup.ts',
      globalTeardown: '<rootDir>/test/setup/global-teardown.ts',
      setupFilesAfterEnv: ['<rootDir>/test/setup/integration-timeout.ts', '<rootDir>/test/setup/ci-retry.ts'],
    },
  ],
};
