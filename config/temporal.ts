import { Client, Connection } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import type { Config } from './env';

function connectionOptions(config: Config) {
  return {
    address: config.temporal.address,
    tls: config.temporal.tls || config.temporal.apiKey !== undefined ? {} : undefined,
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
