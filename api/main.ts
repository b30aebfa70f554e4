import type { Server } from 'node:http';
import { Client } from '@temporalio/client';
import { createDataConverter, loadCodecKeyRing } from '../codec/data-converter';
import { AesGcmPayloadCodec } from '../codec/payload-codec';
import { loadOrCreateDevSecret } from '../config/dev-secret';
import { loadConfig } from '../config/env';
import { createLogger } from '../config/logger';
import { lazyApiConnection } from '../config/temporal';
import { createApp } from './app';
import { type Authenticator, createDevAuthenticator, createOidcAuthenticator } from './auth';

async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger('api', config.env.LOG_LEVEL);
  const devTokenSecret =
    config.auth.mode === 'dev' ? (config.auth.secret ? new TextEncoder().encode(config.auth.secret) : await loadOrCreateDevSecret(config.dataDir)) : undefined;
  const policy = config.auth.tokenPolicy;
  const authenticator: Authenticator =
    config.auth.mode === 'oidc' ? createOidcAuthenticator(config.auth, { policy }) : createDevAuthenticator(devTokenSecret!, { policy });
  const codec = new AesGcmPayloadCodec(await loadCodecKeyRing(config));
  const connection = lazyApiConnection(config);
  const client = new Client({ connection, namespace: config.temporal.namespace, dataConverter: createDataConverter(codec) });
  const app = createApp({
    client,
    authenticator,
    logger,
    taskQueue: config.temporal.taskQueue,
    tuning: config.runTuning,
    codecEndpoint: { codec, uiOrigins: config.codec.uiOrigins, loopbackOnly: config.auth.mode === 'dev' },
    rateLimits: { requestsPerMinute: config.api.rateLimitPerMinute, authFailures: config.api.authFailureLimit },
    events: { ...config.api.events, maxStreamsPerCaller: config.api.maxStreamsPerCaller },
    trustedProxyHops: config.api.trustedProxyHops,
    publicUrl: config.api.publicUrl,
    devTokenSecret,
    dashboardDir: config.api.dashboardDir,
  });
  const server: Server = app.listen(config.api.port, config.api.host);
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(error.code === 'EADDRINUSE' ? new Error(`Port ${config.api.port} is already in use (set API_PORT to another port).`) : error),
    );
  });
  logger.info({ url: config.api.publicUrl, codecKey: codec.currentKeyId }, 'API listening');
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
