import { ServiceError, WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import { type ApiProblem, problems } from './problem';

// gRPC status codes of a server that cannot answer now, but may in a moment.
const UNAVAILABLE = 14;
const DEADLINE_EXCEEDED = 4;
const RESOURCE_EXHAUSTED = 8;

function grpcCode(error: unknown): number | undefined {
  const direct = (error as { code?: unknown })?.code;
  if (typeof direct === 'number') return direct;
  const cause = (error instanceof ServiceError ? error.cause : (error as { cause?: unknown })?.cause) as { code?: unknown } | undefined;
  return typeof cause?.code === 'number' ? cause.code : undefined;
}

/**
 * Maps what the Temporal client throws to problems: an unreachable server, and one that sheds
 * load (its rate limits), answer 503 with Retry-After rather than an opaque 500.
 */
export function mapTemporalError(error: unknown): ApiProblem | undefined {
  if (error instanceof WorkflowNotFoundError) return problems.notFound('No such migration.');
  if (error instanceof WorkflowUpdateFailedError) return undefined;
  const code = grpcCode(error);
  if (code === UNAVAILABLE || code === DEADLINE_EXCEEDED) return problems.unavailable('Temporal is not reachable; try again shortly.', 5);
  if (code === RESOURCE_EXHAUSTED) return problems.unavailable('Temporal is busy; try again shortly.', 2);
  return undefined;
}
