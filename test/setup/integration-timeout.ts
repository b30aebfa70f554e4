// Integration tests drive real servers: their hooks and tests get two minutes, not jest's 5 s.
jest.setTimeout(120_000);

// In CI, a failed integration test runs once more and its first failure is printed, so that a
// failure caused by a starved 2-core machine is told apart from a real one (which fails twice).
if (process.env.CI === 'true') jest.retryTimes(1, { logErrorsBeforeRetry: true });
