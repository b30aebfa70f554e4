import { ServiceError, WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import { type ApplicationError, refusals } from './application-error';

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
 * Maps what the Temporal client throws to refusals: an unreachable server, and one that sheds
 * load (its rate limits), are `unavailable` with a delay to retry after, rather than a fault.
 */
export function toApplicationError(error: unknown): ApplicationError | undefined {
  if (error instanceof WorkflowNotFoundError) return refusals.notFound('No such migration.');
  if (error instanceof WorkflowUpdateFailedError) return undefined;
  const code = grpcCode(error);
  if (code === UNAVAILABLE || code === DEADLINE_EXCEEDED) return refusals.unavailable('Temporal is not reachable; try again shortly.', 5);
  if (code === RESOURCE_EXHAUSTED) return refusals.unavailable('Temporal is busy; try again shortly.', 2);
  return undefined;
}

type AsyncFunctions = Record<string, (...args: never[]) => Promise<unknown>>;

/** The same use cases, each throwing {@link toApplicationError}'s refusal for what Temporal throws. */
export function translatingTemporalErrors<T extends AsyncFunctions>(useCases: T): T {
  const wrapped = Object.entries(useCases).map(([name, useCase]) => [
    name,
    async (...args: never[]) => {
      try {
        return await useCase(...args);
      } catch (error) {
        throw toApplicationError(error) ?? error;
      }
    },
  ]);
  return Object.fromEntries(wrapped) as T;
}
