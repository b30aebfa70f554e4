import { createServer, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { dirname, join } from 'node:path';
import { tmpdir } from 'node:os';
import express, { type Express, type RequestHandler } from 'express';
import pino, { type Logger } from 'pino';
import type { ProviderCredentials } from '../provider/types';
import { SIM_CLOUD_DIRECTORY, SIM_CLOUD_TLS_FOLDER } from '../config/sim-cloud-directory';
import { createAdministration, writeProviderCredentials, writeSettings } from './admin';
import { createAdminRouter } from './admin-router';
import { createArmApp } from './arm/app';
import type { ArmDirectory } from './arm/resources';
import { createArmStore } from './arm/store';
import { loadOrCreateSelfSignedCertificate, type TlsIdentity } from './arm/tls';
import { createCatalog } from './catalog';
import { systemClock, type Clock } from './clock';
import { createCutover } from './cutover';
import { migrateSimCloudDatabase, openSimCloudDatabase, type SimCloudDatabase } from './database';
import { createFaultInjector } from './faults';
import { createIdempotencyLedger } from './idempotency';
import { createProviderRoutes } from './operations';
import { createProblemMiddleware, problems } from './problems';
import { createProviderRouter } from './provider-router';
import { createProvisioning } from './provisioning';
import { createSimCloudStore } from './store';

/** What sim-cloud's Express app is built from. */
export interface SimCloudAppOptions {
  /** An open database; its schema is brought up to date here. */
  db: SimCloudDatabase;
  /** The clock replication progress is measured with; the system clock unless set. */
  clock?: Clock;
  /** How many times faster than real time simulated time runs (1 = real time). */
  speedup: number;
  /** Silent unless set. */
  logger?: Logger;
  /** When aborted, calls delayed by a latency fault stop waiting (the server is closing). */
  shutdownSignal?: AbortSignal;
  /** The Entra ID directory and subscriptions of the ARM routes; {@link DEFAULT_ARM_DIRECTORY} unless set. */
  directory?: ArmDirectory;
}

/** The directory sim-cloud serves unless told otherwise: the one Passerelle's configuration defaults to. */
export const DEFAULT_ARM_DIRECTORY: ArmDirectory = SIM_CLOUD_DIRECTORY;

/** sim-cloud's two apps: the provider API (HTTP) and its Azure Resource Manager (HTTPS). */
export interface SimCloudApps {
  /** The provider API under /v1, test controls under /admin, and /healthz. */
  app: Express;
  /** Entra ID's token endpoint and the ARM routes. */
  armApp: Express;
}

/** sim-cloud's HTTP app: the provider API under /v1, test controls under /admin, and /healthz. */
export function createSimCloudApp(options: SimCloudAppOptions): Express {
  return createSimCloudApps(options).app;
}

/** Both of sim-cloud's apps over one database, one fault injector and one clock. */
export function createSimCloudApps(options: SimCloudAppOptions): SimCloudApps {
  const { db, speedup } = options;
  const clock = options.clock ?? systemClock;
  const logger = options.logger ?? pino({ level: 'silent' });
  if (!(speedup > 0)) throw new RangeError(`speedup must be a positive number, got ${speedup}`);

  migrateSimCloudDatabase(db, new Date(clock.now()).toISOString());
  const store = createSimCloudStore(db);
  const armStore = createArmStore(db);
  const catalog = createCatalog({ store, clock, arm: armStore });
  const routes = createProviderRoutes({
    provisioning: createProvisioning({ store, clock, catalog }),
    cutover: createCutover({ store, clock, catalog, speedup }),
    catalog,
  });
  const faults = createFaultInjector({ db, clock, logger, shutdownSignal: options.shutdownSignal });
  const ledger = createIdempotencyLedger(db, clock);
  const directory = options.directory ?? DEFAULT_ARM_DIRECTORY;
  const { armApp, operationNames } = createArmApp({ db, simStore: store, faults, logger, directory, now: () => new Date(clock.now()).toISOString() });
  const arm = { operationNames, store: armStore };

  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.use(logRequests(logger));
  app.use(express.json({ type: ['application/json', 'application/*+json'] }));
  app.get('/healthz', (_req, res) => {
    db.prepare('SELECT 1').get();
    res.json({ status: 'ok' });
  });
  app.use(createProviderRouter({ routes, faults, ledger }));
  app.use('/admin', createAdminRouter(createAdministration({ db, store, clock, catalog, faults, routes, arm })));
  app.use((req) => {
    throw problems.routeNotFound(req.method, req.path);
  });
  app.use(createProblemMiddleware(logger));
  return { app, armApp };
}

function logRequests(logger: Logger): RequestHandler {
  return (req, res, next) => {
    const startedAt = process.hrtime.bigint();
    res.on('finish', () => {
      const entry = {
        operation: (res.locals.operation as string | undefined) ?? null,
        method: req.method,
        path: req.originalUrl,
        status: res.statusCode,
        durationMs: Number(process.hrtime.bigint() - startedAt) / 1e6,
      };
      // Polling reads would drown the log: only changes are worth an info line.
      if (req.method === 'GET') logger.debug(entry, 'request');
      else logger.info(entry, 'request');
    });
    next();
  };
}

/** How to start a sim-cloud server. */
export interface StartSimCloudOptions {
  /** 0 picks a free port. */
  port: number;
  /** 127.0.0.1 unless set. */
  host?: string;
  /** The SQLite file that keeps the state (created with its folder if missing). */
  dataFile: string;
  speedup: number;
  clock?: Clock;
  logger?: Logger;
  /** Overrides the stored provider credentials at start. */
  credentials?: Omit<ProviderCredentials, 'updatedAt'>;
  /** Overrides the stored replication speed factor at start. */
  replicationSpeedFactor?: number;
  /** The HTTPS port of the ARM routes and token endpoint; 0 (a free port) unless set. */
  armPort?: number;
  /** The ARM endpoint's certificate; a self-signed one kept next to the data file unless set. */
  tls?: Omit<TlsIdentity, 'certFile'> & { certFile?: string };
  directory?: ArmDirectory;
}

/** A running sim-cloud. */
export interface RunningSimCloud {
  /** For example `http://127.0.0.1:4010`. */
  url: string;
  port: number;
  /** The ARM endpoint and Entra ID authority host, for example `https://127.0.0.1:4011`. */
  armUrl: string;
  armPort: number;
  /** The ARM endpoint's certificate (PEM), which clients must trust, and its file when there is one. */
  armCertificate: string;
  armCertificateFile: string | undefined;
  directory: ArmDirectory;
  /** Stops listening, drops open connections (hung calls included) and closes the database. */
  close(): Promise<void>;
}

/** The port sim-cloud was asked to listen on is taken. */
export class SimCloudPortInUseError extends Error {
  override readonly name = 'SimCloudPortInUseError';

  constructor(
    readonly host: string,
    readonly port: number,
    /** The variable that chose the port. */
    readonly variable: 'SIM_CLOUD_PORT' | 'SIM_CLOUD_ARM_PORT' = 'SIM_CLOUD_PORT',
  ) {
    super(`port ${port} on ${host} is already in use`);
  }
}

/** Starts sim-cloud on `host:port` over the SQLite file `dataFile`. */
export async function startSimCloud(options: StartSimCloudOptions): Promise<RunningSimCloud> {
  const host = options.host ?? '127.0.0.1';
  const clock = options.clock ?? systemClock;
  const db = openSimCloudDatabase(options.dataFile);
  const shutdown = new AbortController();
  const directory = options.directory ?? DEFAULT_ARM_DIRECTORY;
  let server: Server;
  let armServer: Server;
  let tls: StartSimCloudOptions['tls'];
  try {
    tls =
      options.tls ??
      loadOrCreateSelfSignedCertificate(join(options.dataFile === ':memory:' ? tmpdir() : dirname(options.dataFile), SIM_CLOUD_TLS_FOLDER), host);
    const { app, armApp } = createSimCloudApps({ db, clock, speedup: options.speedup, logger: options.logger, shutdownSignal: shutdown.signal, directory });
    const store = createSimCloudStore(db);
    if (options.credentials) writeProviderCredentials(store, clock, options.credentials);
    if (options.replicationSpeedFactor !== undefined) writeSettings(store, { replicationSpeedFactor: options.replicationSpeedFactor });
    server = createServer(app);
    await listen(server, options.port, host);
    armServer = createHttpsServer({ cert: tls.cert, key: tls.key }, armApp);
    try {
      await listen(armServer, options.armPort ?? 0, host, 'SIM_CLOUD_ARM_PORT');
    } catch (error) {
      server.close();
      throw error;
    }
  } catch (error) {
    db.close();
    throw error;
  }

  const { port } = server.address() as AddressInfo;
  const { port: armPort } = armServer.address() as AddressInfo;
  const hostInUrl = host.includes(':') ? `[${host}]` : host;
  const closeServer = (target: Server) =>
    new Promise<void>((resolve, reject) => {
      target.close((error) => (error ? reject(error) : resolve()));
      // Hung calls never end by themselves, and idle keep-alive sockets would hold close() open.
      target.closeAllConnections();
    });
  let closing: Promise<void> | undefined;
  return {
    url: `http://${hostInUrl}:${port}`,
    port,
    armUrl: `https://${hostInUrl}:${armPort}`,
    armPort,
    armCertificate: tls.cert,
    armCertificateFile: tls.certFile,
    directory,
    close() {
      closing ??= (async () => {
        shutdown.abort();
        try {
          await Promise.all([closeServer(server), closeServer(armServer)]);
        } finally {
          db.close();
        }
      })();
      return closing;
    },
  };
}

function listen(server: Server, port: number, host: string, variable: SimCloudPortInUseError['variable'] = 'SIM_CLOUD_PORT'): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException) => {
      server.off('listening', onListening);
      reject(error.code === 'EADDRINUSE' ? new SimCloudPortInUseError(host, port, variable) : error);
    };
    const onListening = () => {
      server.off('error', onError);
      resolve();
    };
    server.once('error', onError);
    server.once('listening', onListening);
    server.listen(port, host);
  });
}
