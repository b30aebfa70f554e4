import { ServiceError, WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import { type ApiProblem, problems } from './problem';

const UNAVAILABLE_CODES = new Set([14, 4]); // gRPC UNAVAILABLE, DEADLINE_EXCEEDED

/** Maps what the Temporal client throws to problems: unreachable server → 503 with Retry-After. */
export function mapTemporalError(error: unknown): ApiProblem | undefined {
  if (error instanceof WorkflowNotFoundError) return problems.notFound('No such migration.');
  if (error instanceof WorkflowUpdateFailedError) return undefined;
  const code = (error as { code?: unknown })?.code ?? (error as { cause?: { code?: unknown } })?.cause?.code;
  if (typeof code === 'number' && UNAVAILABLE_CODES.has(code)) {
    return problems.unavailable('Temporal is not reachable; try again shortly.', 5);
  }
  if (error instanceof ServiceError) {
    const cause = error.cause as { code?: unknown } | undefined;
    if (typeof cause?.code === 'number' && UNAVAILABLE_CODES.has(cause.code)) {
      return problems.unavailable('Temporal is not reachable; try again shortly.', 5);
    }
  }
  return undefined;
}
