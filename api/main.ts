import { Client } from '@temporalio/client';
import { createDataConverter, loadCodecKeyRing } from '../codec/data-converter';
import { AesGcmPayloadCodec } from '../codec/payload-codec';
import { loadOrCreateDevSecret } from '../config/dev-secret';
import { loadConfig } from '../config/env';
import { createLogger } from '../config/logger';
import { CLIENT_INTERCEPTORS, lazyApiConnection } from '../config/temporal';
import { createMigrationUseCases } from '../use-cases/migrations';
import { createBatchUseCases } from '../use-cases/batches';
import { createDraftUseCases } from '../use-cases/drafts';
import { createApp } from './app';
import { type Authenticator, createDevAuthenticator, createOidcAuthenticator } from './auth';
import { startServer, stopServer } from './server';

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
  const client = new Client({ connection, namespace: config.temporal.namespace, dataConverter: createDataConverter(codec), interceptors: CLIENT_INTERCEPTORS });
  const app = createApp({
    migrations: createMigrationUseCases({ client, taskQueue: config.temporal.taskQueue, tuning: config.runTuning }),
    drafts: createDraftUseCases({ client, taskQueue: config.temporal.taskQueue, tuning: config.runTuning }),
    batches: createBatchUseCases({ client, taskQueue: config.temporal.taskQueue }),
    authenticator,
    logger,
    codecEndpoint: { codec, uiOrigins: config.codec.uiOrigins, loopbackOnly: config.auth.mode === 'dev' },
    rateLimits: { requestsPerMinute: config.api.rateLimitPerMinute, authFailures: config.api.authFailureLimit },
    events: { ...config.api.events, maxStreamsPerCaller: config.api.maxStreamsPerCaller },
    trustedProxyHops: config.api.trustedProxyHops,
    publicUrl: config.api.publicUrl,
    devTokenSecret,
    dashboardDir: config.api.dashboardDir,
  });
  const { server } = await startServer(app, { port: config.api.port, host: config.api.host });
  logger.info({ url: config.api.publicUrl, codecKey: codec.currentKeyId }, 'API listening');
  process.send?.({ type: 'ready', url: config.api.publicUrl });

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'API stopping');
    // Streams (SSE) keep connections open: give them a moment, then end them.
    void stopServer(server, 3_000)
      .then(() => connection.close())
      .finally(() => process.exit(0));
  };
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));
}

main().catch((error: unknown) => {
  process.stderr.write(`API failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
