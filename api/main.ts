import type { Server } from 'node:http';
import { Client, Connection } from '@temporalio/client';
import { loadOrCreateDevSecret } from '../config/dev-secret';
import { loadConfig } from '../config/env';
import { createLogger } from '../config/logger';
import { createApp } from './app';
import { type Authenticator, createDevAuthenticator, createOidcAuthenticator } from './auth';
import { createMigrationsRouter } from './migrations-router';
import { createPlansRouter } from './plans-router';

async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger('api', config.env.LOG_LEVEL);
  const authenticator: Authenticator =
    config.auth.mode === 'oidc'
      ? createOidcAuthenticator(config.auth)
      : createDevAuthenticator(config.auth.secret ? new TextEncoder().encode(config.auth.secret) : await loadOrCreateDevSecret(config.dataDir));
  // Lazy: the API starts and answers /healthz (and 503 elsewhere) while Temporal is still coming up.
  const connection = Connection.lazy({
    address: config.temporal.address,
    tls: config.temporal.tls || config.temporal.apiKey !== undefined ? {} : undefined,
    apiKey: config.temporal.apiKey,
  });
  const client = new Client({ connection, namespace: config.temporal.namespace });
  const app = createApp({
    client,
    authenticator,
    logger,
    taskQueue: config.temporal.taskQueue,
    routers: [createPlansRouter(), createMigrationsRouter({ client, taskQueue: config.temporal.taskQueue })],
  });
  const server: Server = app.listen(config.api.port, config.api.host);
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(error.code === 'EADDRINUSE' ? new Error(`Port ${config.api.port} is already in use (set API_PORT to another port).`) : error),
    );
  });
  logger.info({ url: config.api.publicUrl }, 'API listening');
  process.send?.({ type: 'ready', url: config.api.publicUrl });

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'API stopping');
    server.closeIdleConnections();
    server.close(() => {
      void connection.close().finally(() => process.exit(0));
    });
    // Streams (SSE) keep connections open: give them a moment, then end them.
    setTimeout(() => server.closeAllConnections(), 3_000).unref();
  };
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));
}

main().catch((error: unknown) => {
  process.stderr.write(`API failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
