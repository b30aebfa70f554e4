import { isRestError } from '@azure/core-rest-pipeline';
import { ProviderNotFoundError, ProviderRejectedError, ProviderUnavailableError, type ProviderError } from '../../../provider';

/**
 * Maps what an Azure SDK client threw to the provider's named errors: 404 is NotFound, 408,
 * 429, 5xx and network failures are Unavailable (the SDK's own retries are spent: Temporal's
 * take over), any other 4xx is Rejected with ARM's code and message. A cancellation passes through.
 */
export function toProviderError(error: unknown, operation: string, signal?: AbortSignal): unknown {
  if (signal?.aborted) return signal.reason ?? error;
  if (!isRestError(error)) {
    if (error instanceof Error && error.name === 'AbortError') return error;
    const message = error instanceof Error ? error.message : String(error);
    // Token acquisition failures (CredentialUnavailableError, AuthenticationError) come here too.
    if (error instanceof Error && /AuthenticationError|AuthenticationRequiredError|CredentialUnavailableError/.test(error.name)) {
      return new ProviderRejectedError(`${operation}: could not authenticate to the provider: ${message}`, {
        operation,
        status: 401,
        problem: { title: error.name, detail: message, status: 401 },
      });
    }
    return new ProviderUnavailableError(`${operation}: the provider could not be reached: ${message}`, { operation, cause: error });
  }
  const status = error.statusCode;
  const body = error.details as { error?: { code?: string; message?: string } } | undefined;
  const code = body?.error?.code ?? error.code ?? 'Unknown';
  const message = body?.error?.message ?? error.message;
  const problem = { title: code, detail: message, status };
  let mapped: ProviderError;
  if (status === 404) mapped = new ProviderNotFoundError(`${operation} answered 404 (${code}): ${message}`, { operation, problem });
  else if (status === undefined || status === 408 || status === 429 || status >= 500) {
    mapped = new ProviderUnavailableError(`${operation} answered ${status ?? 'nothing'} (${code}): ${message}`, { operation, status, problem, cause: error });
  } else mapped = new ProviderRejectedError(`${operation}: ${code}: ${message}`, { operation, status, problem });
  return mapped;
}

/** Whether ARM answered 404 for the resource (a delete of what is gone succeeds; a read finds nothing). */
export function isNotFound(error: unknown): boolean {
  return isRestError(error) && error.statusCode === 404;
}
