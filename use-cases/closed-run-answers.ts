/**
 * What closed runs answered their readers. A closed run never changes, so its answer to a query
 * (with the same arguments) holds for as long as the workflow id still names that run: a second
 * read of a finished run, a dashboard's polls, SSE's, are served without the worker replaying the
 * run's whole history for each. Bounded: the least recently read answer goes first.
 */

/** How many answers are kept, whatever their run: a 10,000-workload overview is about 110 KiB. */
export const CLOSED_RUN_ANSWERS = 256;

export interface ClosedRunAnswers {
  /** The run id of `workflowId` last seen closed, if any: only then may a read look for an answer. */
  closedRunOf(workflowId: string): string | undefined;
  /** The answer the closed run `runId` gave to `read`, if kept. */
  answerOf(runId: string, read: string): { answer: unknown } | undefined;
  /** Keeps what the closed run `runId` of `workflowId` answered to `read`. */
  remember(workflowId: string, runId: string, read: string, answer: unknown): void;
}

export function createClosedRunAnswers(capacity = CLOSED_RUN_ANSWERS): ClosedRunAnswers {
  const answers = new Map<string, unknown>();
  const closedRuns = new Map<string, string>();
  const keyOf = (runId: string, read: string) => `${runId}\n${read}`;
  return {
    closedRunOf: (workflowId) => closedRuns.get(workflowId),
    answerOf(runId, read) {
      const key = keyOf(runId, read);
      if (!answers.has(key)) return undefined;
      const answer = answers.get(key);
      answers.delete(key);
      answers.set(key, answer);
      return { answer };
    },
    remember(workflowId, runId, read, answer) {
      closedRuns.delete(workflowId);
      closedRuns.set(workflowId, runId);
      answers.delete(keyOf(runId, read));
      answers.set(keyOf(runId, read), answer);
      for (const oldest of answers.keys()) {
        if (answers.size <= capacity) break;
        answers.delete(oldest);
      }
      for (const oldest of closedRuns.keys()) {
        if (closedRuns.size <= capacity) break;
        closedRuns.delete(oldest);
      }
    },
  };
}
