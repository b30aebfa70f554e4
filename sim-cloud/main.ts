import pino from 'pino';
import { describeStartupFailure, loadSimCloudConfig, type SimCloudConfig } from './config';
import { startSimCloud } from './server';

/** Starts sim-cloud from the environment and stops it cleanly on SIGINT or SIGTERM. */
async function main(): Promise<void> {
  let config: SimCloudConfig;
  try {
    config = loadSimCloudConfig(process.env);
  } catch (error) {
    pino({ name: 'sim-cloud' }).fatal(describeStartupFailure(error));
    process.exitCode = 1;
    return;
  }
  const logger = pino({ name: 'sim-cloud', level: config.logLevel });

  let simCloud: Awaited<ReturnType<typeof startSimCloud>>;
  try {
    simCloud = await startSimCloud({ ...config, logger });
  } catch (error) {
    logger.fatal(describeStartupFailure(error));
    process.exitCode = 1;
    return;
  }
  logger.info(
    { url: simCloud.url, port: simCloud.port, armUrl: simCloud.armUrl, armCertificate: simCloud.armCertificateFile, dataFile: config.dataFile, speedup: config.speedup },
    `sim-cloud listening on ${simCloud.url} (ARM and Entra ID on ${simCloud.armUrl})`,
  );

  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) {
      logger.warn({ signal }, 'second signal: exiting without waiting');
      process.exit(1);
    }
    stopping = true;
    logger.info({ signal }, 'sim-cloud shutting down');
    simCloud.close().then(
      () => logger.info('sim-cloud stopped'),
      (error: unknown) => {
        logger.error({ err: error }, 'sim-cloud did not close cleanly');
        process.exitCode = 1;
      },
    );
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

void main();
