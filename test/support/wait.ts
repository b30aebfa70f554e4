import { setTimeout as delay } from 'node:timers/promises';

/**
 * How long a test's client waits for the Temporal server to answer its first call: the SDK's 10 s
 * default is short on a 2-core CI machine running two jest workers, a benchmark and the server,
 * where one connection took longer (`Failed to connect to Temporal server`, deadline exceeded)
 * and took a whole test file with it. The wait ends as soon as the server answers.
 */
export const TEST_CONNECT_TIMEOUT = '60s';

/** How long to wait and how often to look. */
export interface WaitOptions {
  /** 10 s unless set. */
  timeoutMs?: number;
  /** 20 ms unless set. */
  intervalMs?: number;
  /**
   * A read that throws counts as "not yet" instead of failing the wait (a process the test
   * killed, a database restarting, a workflow whose first task has not run); the last error is
   * named if the wait times out.
   */
  retryErrors?: boolean;
  /** What to add to the time-out's message: the last state seen, say. */
  lastSeen?: () => string;
}

/**
 * Reads `read` until it answers a value other than `undefined`, and answers that value; throws
 * after `timeoutMs` naming `what`. Tests synchronise on state with it, never on a fixed sleep.
 */
export async function waitFor<T>(what: string, read: () => T | undefined | Promise<T | undefined>, options: WaitOptions = {}): Promise<T> {
  const { timeoutMs = 10_000, intervalMs = 20, retryErrors = false, lastSeen } = options;
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await read();
      if (value !== undefined) return value;
    } catch (error) {
      if (!retryErrors) throw error;
      lastError = error;
    }
    if (Date.now() > deadline) {
      const seen = lastSeen ? `; last seen: ${lastSeen()}` : '';
      const failed = lastError === undefined ? '' : `; last error: ${lastError instanceof Error ? lastError.message : JSON.stringify(lastError)}`;
      throw new Error(`${what}: still not so after ${timeoutMs} ms${seen}${failed}`);
    }
    await delay(intervalMs);
  }
}

/**
 * Waits until `probe` holds, reading it again every `intervalMs`; throws after `timeoutMs`
 * naming `what`.
 */
export async function waitUntil(what: string, probe: () => boolean | Promise<boolean>, options: WaitOptions = {}): Promise<void> {
  await waitFor(what, async () => ((await probe()) ? true : undefined), options);
}
