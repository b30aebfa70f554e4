import { setTimeout as delay } from 'node:timers/promises';

/**
 * Waits until `probe` holds, reading it again every `intervalMs`; throws after `timeoutMs`
 * naming `what`. Tests synchronise on state with it, never on a fixed sleep.
 */
export async function waitUntil(what: string, probe: () => boolean | Promise<boolean>, { timeoutMs = 10_000, intervalMs = 20 } = {}): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error(`${what}: still not so after ${timeoutMs} ms`);
    await delay(intervalMs);
  }
}
