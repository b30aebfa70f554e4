// In CI, a failed test runs once more and its first failure is printed, so that a failure
// caused by a starved 2-core machine is told apart from a real one (which fails twice).
if (process.env.CI === 'true') jest.retryTimes(1, { logErrorsBeforeRetry: true });
