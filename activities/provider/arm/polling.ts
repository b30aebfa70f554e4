/**
 * How the ARM adapter waits for a long-running operation. The Azure SDK polls once at once and
 * then every 2 s unless ARM's Retry-After says otherwise: an operation that ends a few
 * milliseconds after it was accepted (a key vault on an idle control plane) costs its step 2 s
 * of waiting. The adapter reads it again quickly first, then leaves the SDK to its own schedule.
 */
import { setTimeout as sleep } from 'node:timers/promises';

/** What the adapter needs of an Azure SDK poller (`PollerLike` of @azure/core-lro). */
export interface LongRunningOperation<T> {
  readonly isDone: boolean;
  submitted(): Promise<void>;
  poll(options?: { abortSignal?: AbortSignal }): Promise<unknown>;
  pollUntilDone(options?: { abortSignal?: AbortSignal }): Promise<T>;
}

/**
 * The waits between the first reads of an operation, doubling from 50 ms: about 1.5 s of quick
 * reads (six, the first at once), after which the SDK's schedule takes over (ARM's Retry-After,
 * else 2 s). A handful of reads per operation stays far under ARM's read quota.
 */
export const QUICK_POLL_DELAYS_MS: readonly number[] = [50, 100, 200, 400, 800];

/**
 * The operation's result: read at once, then after each of `delaysMs`, then on the SDK's own
 * schedule. Failures are the SDK's (a failed or cancelled operation throws as `pollUntilDone` does).
 */
export async function untilDone<T>(operation: LongRunningOperation<T>, signal?: AbortSignal, delaysMs: readonly number[] = QUICK_POLL_DELAYS_MS): Promise<T> {
  await operation.submitted();
  for (const delayMs of delaysMs) {
    if (operation.isDone) break;
    await operation.poll({ abortSignal: signal });
    if (operation.isDone) break;
    await sleep(delayMs, undefined, { signal });
  }
  // Reads at once if not done yet (after the last quick wait), then as the SDK does.
  return await operation.pollUntilDone({ abortSignal: signal });
}
