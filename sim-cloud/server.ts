import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express, { type Express, type RequestHandler } from 'express';
import pino, { type Logger } from 'pino';
import type { ProviderCredentials } from '../provider/types';
import { createAdministration, writeProviderCredentials, writeSettings } from './admin';
import { createAdminRouter } from './admin-router';
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
}

/** sim-cloud's HTTP app: the provider API under /v1, test controls under /admin, and /healthz. */
export function createSimCloudApp(options: SimCloudAppOptions): Express {
  const { db, speedup } = options;
  const clock = options.clock ?? systemClock;
  const logger = options.logger ?? pino({ level: 'silent' });
  if (!(speedup > 0)) throw new RangeError(`speedup must be a positive number, got ${speedup}`);

  migrateSimCloudDatabase(db, new Date(clock.now()).toISOString());
  const store = createSimCloudStore(db);
  const catalog = createCatalog({ store, clock });
  const routes = createProviderRoutes({
    provisioning: createProvisioning({ store, clock, catalog }),
    cutover: createCutover({ store, clock, catalog, speedup }),
    catalog,
  });
  const faults = createFaultInjector({ db, clock, logger, shutdownSignal: options.shutdownSignal });
  const ledger = createIdempotencyLedger(db, clock);

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
  app.use('/admin', createAdminRouter(createAdministration({ db, store, clock, catalog, faults, routes })));
  app.use((req) => {
    throw problems.routeNotFound(req.method, req.path);
  });
  app.use(createProblemMiddleware(logger));
  return app;
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
}

/** A running sim-cloud. */
export interface RunningSimCloud {
  /** For example `http://127.0.0.1:4010`. */
  url: string;
  port: number;
  /** Stops listening, drops open connections (hung calls included) and closes the database. */
  close(): Promise<void>;
}

/** The port sim-cloud was asked to listen on is taken. */
export class SimCloudPortInUseError extends Error {
  override readonly name = 'SimCloudPortInUseError';

  constructor(
    readonly host: string,
    readonly port: number,
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
  let server: Server;
  try {
    const app = createSimCloudApp({ db, clock, speedup: options.speedup, logger: options.logger, shutdownSignal: shutdown.signal });
    const store = createSimCloudStore(db);
    if (options.credentials) writeProviderCredentials(store, clock, options.credentials);
    if (options.replicationSpeedFactor !== undefined) writeSettings(store, { replicationSpeedFactor: options.replicationSpeedFactor });
    server = createServer(app);
    await listen(server, options.port, host);
  } catch (error) {
    db.close();
    throw error;
  }

  const { port } = server.address() as AddressInfo;
  let closing: Promise<void> | undefined;
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
    port,
    close() {
      closing ??= new Promise<void>((resolve, reject) => {
        shutdown.abort();
        server.close((error) => {
          db.close();
          if (error) reject(error);
          else resolve();
        });
        // Hung calls never end by themselves, and idle keep-alive sockets would hold close() open.
        server.closeAllConnections();
      });
      return closing;
    },
  };
}

function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException) => {
      server.off('listening', onListening);
      reject(error.code === 'EADDRINUSE' ? new SimCloudPortInUseError(host, port) : error);
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
