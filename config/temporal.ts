import { Client, type ClientInterceptors, Connection, defaultGrpcRetryOptions, isGrpcServiceError, makeGrpcRetryInterceptor, ServiceError } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import type { Config } from './env';

function connectionOptions(config: Pick<Config, 'temporal'>) {
  return {
    address: config.temporal.address,
    tls: config.temporal.tls || config.temporal.apiKey !== undefined ? (config.temporal.tlsFiles ?? {}) : undefined,
    apiKey: config.temporal.apiKey,
  };
}

/** gRPC's FAILED_PRECONDITION status code. */
const FAILED_PRECONDITION = 9;

/** How often an Update lost to a failed workflow task is sent again before its caller sees the error. */
const LOST_UPDATE_ATTEMPTS = 5;

/**
 * True for the error the server answers when the workflow task that carried an Update failed
 * before the Update was accepted (since Temporal 1.27): most often a run that completes in that
 * task while an activity's result arrives (UnhandledCommand). Nothing of the Update was applied,
 * so it may be sent again with the same id.
 */
export function isUpdateLostToFailedTask(error: unknown): boolean {
  const cause = error instanceof ServiceError ? error.cause : error;
  return isGrpcServiceError(cause) && (cause.code as number) === FAILED_PRECONDITION && /unexpected workflow task failure/i.test(cause.details);
}

/**
 * The interceptors of every client of the product (API, worker, scripts, tests): an Update lost
 * to a failed workflow task is sent again under the same id, so that the caller sees the
 * workflow's answer (or its refusal of the Update in the run's new state), not a 500.
 */
export const CLIENT_INTERCEPTORS: ClientInterceptors = {
  workflow: [
    {
      async startUpdate(input, next) {
        for (let attempt = 1; ; attempt += 1) {
          try {
            return await next(input);
          } catch (error) {
            if (attempt >= LOST_UPDATE_ATTEMPTS || !isUpdateLostToFailedTask(error)) throw error;
          }
        }
      },
    },
  ],
};

/** A client connection for the API and scripts, configured for a local or a remote cluster. */
export async function connectClient(config: Config): Promise<Client> {
  const connection = await Connection.connect({ ...connectionOptions(config), connectTimeout: '5s' });
  return new Client({ connection, namespace: config.temporal.namespace, interceptors: CLIENT_INTERCEPTORS });
}

/** The worker's native connection, with the same address, TLS and API key as the client. */
export async function connectWorker(config: Config): Promise<NativeConnection> {
  return await NativeConnection.connect(connectionOptions(config));
}

/**
 * The API's connection: lazy, so the API starts (and answers /healthz, and 503 elsewhere)
 * while Temporal is still coming up, and with a short retry budget (about half a second
 * instead of the SDK's twenty), so that a request fails fast with 503 rather than hanging
 * when Temporal is unreachable.
 */
export function lazyApiConnection(config: Pick<Config, 'temporal'>): Connection {
  return Connection.lazy({
    ...connectionOptions(config),
    interceptors: [makeGrpcRetryInterceptor(defaultGrpcRetryOptions({ maxAttempts: 3, initialIntervalMs: () => 100, maxIntervalMs: () => 500 }))],
  });
}
