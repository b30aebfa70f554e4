import type { PayloadCodec } from '@temporalio/common';
import express from 'express';
import helmet from 'helmet';
import type { Logger } from 'pino';
import { dashboardDirFrom } from '../config/paths';
import type { BatchUseCases } from '../use-cases/batches';
import type { DraftUseCases } from '../use-cases/drafts';
import type { MigrationUseCases } from '../use-cases/migrations';
import { authenticate, type Authenticator } from './auth';
import { authorizeCodecCaller, corsForUi } from './codec-endpoint';
import { createDashboardRouter } from './dashboard-router';
import { requireLoopbackHost } from './dev-mode';
import { type ApiMetrics, createApiMetrics, recordHttpMetrics } from './metrics';
import { createMigrationEventStreams, type MigrationEventsOptions } from './migration-events';
import { buildOpenApiDocument } from './openapi';
import { problemMiddleware, problems } from './problem';
import { createAuthFailureThrottle, DEFAULT_RATE_LIMITS, type RateLimits, requestRateLimit } from './rate-limits';
import { requestLog } from './request-log';
import { registerRoutes } from './route-table';
import { type ApiServices, ROUTES } from './routes';

/** The API's version, as `/openapi.json` states it. */
const API_VERSION = '1.0.0';

/** The remote codec endpoint's settings (api/codec-endpoint.ts); without them `/codec` is not served. */
export interface CodecEndpointSettings {
  codec: PayloadCodec;
  /** Origins of the Temporal Web UI (CODEC_CORS_ORIGINS). */
  uiOrigins: readonly string[];
  /** Development only: answer only requests addressed to a loopback host name. */
  loopbackOnly: boolean;
}

export interface AppDependencies {
  /** The use cases the routes call: `createMigrationUseCases` over a Temporal client, or a fake in route tests. */
  migrations: MigrationUseCases;
  /** The draft plans' use cases (`createDraftUseCases`); without them the draft routes answer 503 (route tests of other routes). */
  drafts?: DraftUseCases;
  /** Fleet operations (`createBatchUseCases`); without them the batch routes answer 503. */
  batches?: BatchUseCases;
  authenticator: Authenticator;
  logger: Logger;
  codecEndpoint?: CodecEndpointSettings;
  rateLimits?: Partial<RateLimits>;
  /** Live progress streams: polling and heartbeat intervals. */
  events?: Partial<MigrationEventsOptions>;
  /** A registry of the app's own by default; pass one to read it in a test. */
  metrics?: ApiMetrics;
  /** Proxies in front of the API whose X-Forwarded-For to believe (rate limits count per client address). */
  trustedProxyHops?: number;
  /** Where the API answers, as `/openapi.json` states it. */
  publicUrl?: string;
  /** Development only: the dev token secret, so that the dashboard's sign-in page offers demo identities. */
  devTokenSecret?: Uint8Array;
  /** The built dashboard served at `/`; the project's dist/dashboard by default. */
  dashboardDir?: string;
}

/** Builds the Express application from the route table (api/routes.ts); `api/server.ts` listens. */
export function createApp(deps: AppDependencies): express.Express {
  const app = express();
  const metrics = deps.metrics ?? createApiMetrics();
  const rateLimits = { ...DEFAULT_RATE_LIMITS, ...deps.rateLimits };
  const limitRequests = requestRateLimit(rateLimits);
  const authThrottle = createAuthFailureThrottle(rateLimits);
  const services: ApiServices = {
    migrations: deps.migrations,
    ...(deps.drafts === undefined ? {} : { drafts: deps.drafts }),
    ...(deps.batches === undefined ? {} : { batches: deps.batches }),
    eventStreams: createMigrationEventStreams((runId) => deps.migrations.pollMigrationOverview(runId), deps.events),
    metrics,
    codec: deps.codecEndpoint?.codec,
    openApiDocument: JSON.stringify(buildOpenApiDocument({ version: API_VERSION, serverUrl: deps.publicUrl })),
  };
  app.disable('x-powered-by');
  app.set('trust proxy', deps.trustedProxyHops ?? false);

  app.use(requestLog(deps.logger), recordHttpMetrics(metrics));
  // Same-origin pages only; no upgrade-insecure-requests, which would break the plain-HTTP development server.
  app.use(helmet({ contentSecurityPolicy: { directives: { upgradeInsecureRequests: null } } }));

  // Every request under /v1 and /codec is rate limited, and every one under /v1 authenticated, before its route runs.
  app.use('/v1', limitRequests, authenticate(deps.authenticator, authThrottle));
  const codecEndpoint = deps.codecEndpoint;
  if (codecEndpoint) {
    app.use('/codec', limitRequests, ...(codecEndpoint.loopbackOnly ? [requireLoopbackHost()] : []), corsForUi(codecEndpoint.uiOrigins));
  }
  registerRoutes(app, ROUTES, services, {
    codec: codecEndpoint ? (action) => authorizeCodecCaller({ ...codecEndpoint, authenticator: deps.authenticator, authThrottle }, action) : undefined,
  });
  app.use(createDashboardRouter({ dashboardDir: deps.dashboardDir ?? dashboardDirFrom({}), devTokenSecret: deps.devTokenSecret }));

  app.use((req, _res, next) => next(problems.notFound(`No route for ${req.method} ${req.path}.`)));
  app.use(problemMiddleware({ onInternalError: (error) => deps.logger.error({ err: error }, 'request failed') }));
  return app;
}
