import { defaultGrpcRetryOptions, makeGrpcRetryInterceptor } from '@temporalio/client';
import type { Interceptor } from '@grpc/grpc-js';

/**
 * The client's retries of failed calls (the SDK's own policy), which a test stack lets run out
 * before it closes its connection: a retry whose timer fired after the close would start a call
 * on a closed channel and fail the whole test file ("Channel has been shut down").
 */
export function drainingRetries(): { interceptor: Interceptor; drain(): Promise<void> } {
  const defaults = defaultGrpcRetryOptions();
  let stopping = false;
  let lastRetryAt = 0;
  return {
    interceptor: makeGrpcRetryInterceptor({
      retryableDecider: (attempt, status) => !stopping && defaults.retryableDecider(attempt, status),
      delayFunction: (attempt, status) => {
        const delay = defaults.delayFunction(attempt, status);
        lastRetryAt = Math.max(lastRetryAt, Date.now() + delay);
        return delay;
      },
    }),
    /** No retry is scheduled from now on; resolves once the timers of those already scheduled have fired. */
    async drain() {
      stopping = true;
      const remaining = lastRetryAt - Date.now();
      if (remaining > 0) await new Promise((resolve) => setTimeout(resolve, remaining + 1));
    },
  };
}
