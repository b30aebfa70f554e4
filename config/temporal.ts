import { Client, Connection, defaultGrpcRetryOptions, makeGrpcRetryInterceptor } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import type { Config } from './env';

function connectionOptions(config: Pick<Config, 'temporal'>) {
  return {
    address: config.temporal.address,
    tls: config.temporal.tls || config.temporal.apiKey !== undefined ? (config.temporal.tlsFiles ?? {}) : undefined,
    apiKey: config.temporal.apiKey,
  };
}

/** A client connection for the API and scripts, configured for a local or a remote cluster. */
export async function connectClient(config: Config): Promise<Client> {
  const connection = await Connection.connect({ ...connectionOptions(config), connectTimeout: '5s' });
  return new Client({ connection, namespace: config.temporal.namespace });
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
