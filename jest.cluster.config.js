/**
 * The cluster suite (`npm run test:cluster`): Passerelle on the topology of `npm run cluster`
 * (PostgreSQL, each Temporal service its own process, two workers, two API replicas). Minutes
 * long, so kept out of `npm test`; `.ci/run` runs both.
 */
const transform = { '^.+\\.tsx?$': ['@swc/jest', { jsc: { target: 'es2022' } }] };

module.exports = {
  displayName: 'cluster',
  testEnvironment: 'node',
  transform,
  moduleFileExtensions: ['ts', 'js', 'json'],
  testMatch: ['<rootDir>/test/cluster/**/*.test.ts'],
  // One cluster at a time: it already fills both cores.
  maxWorkers: 1,
};
