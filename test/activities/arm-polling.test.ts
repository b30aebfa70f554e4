import { type LongRunningOperation, untilDone } from '../../activities/provider/arm/polling';

/**
 * An operation that ends at its `doneAtRead`-th read, recording which reads were quick (ours)
 * and whether the SDK's own schedule (`pollUntilDone`) had to read it at all.
 */
function operationDoneAtRead(doneAtRead: number): LongRunningOperation<string> & { reads: number; sdkReads: number; submittedCalls: number } {
  const operation = {
    reads: 0,
    sdkReads: 0,
    submittedCalls: 0,
    get isDone() {
      return operation.reads >= doneAtRead;
    },
    async submitted() {
      operation.submittedCalls += 1;
    },
    async poll() {
      operation.reads += 1;
      return {};
    },
    async pollUntilDone() {
      while (!operation.isDone) {
        operation.sdkReads += 1;
        await operation.poll();
      }
      return 'vault';
    },
  };
  return operation;
}

describe('reading a long-running ARM operation', () => {
  it('reads at once and after each quick wait, and returns as soon as a read finds the operation done', async () => {
    const operation = operationDoneAtRead(3);
    await expect(untilDone(operation, undefined, [1, 1, 1, 1, 1])).resolves.toBe('vault');
    expect(operation.submittedCalls).toBe(1);
    expect(operation.reads).toBe(3);
    expect(operation.sdkReads).toBe(0);
  });

  it("leaves an operation still running after the quick reads to the SDK's own schedule", async () => {
    const operation = operationDoneAtRead(9);
    await expect(untilDone(operation, undefined, [1, 1, 1])).resolves.toBe('vault');
    expect(operation.reads).toBe(9);
    // Three quick reads, then the SDK reads until the operation is done.
    expect(operation.sdkReads).toBe(6);
  });

  it('reads nothing when the creation answered the operation done', async () => {
    const operation = operationDoneAtRead(0);
    await expect(untilDone(operation)).resolves.toBe('vault');
    expect(operation.reads).toBe(0);
  });

  it('stops waiting when the call is cancelled', async () => {
    const operation = operationDoneAtRead(100);
    const controller = new AbortController();
    const waiting = untilDone(operation, controller.signal, [60_000]);
    await new Promise((resolve) => setImmediate(resolve));
    controller.abort(new Error('activity cancelled'));
    await expect(waiting).rejects.toMatchObject({ name: 'AbortError' });
    expect(operation.reads).toBe(1);
  });
});
