import type { Client } from '@temporalio/client';
import type { PayloadCodec } from '@temporalio/common';
import express from 'express';
import helmet from 'helmet';
import type { Logger } from 'pino';
import { dashboardDirFrom } from '../config/paths';
import type { RunTuning } from '../workflows/tuning';
import { authenticate, type Authenticator } from './auth';
import { createCodecRouter } from './codec-router';
import { createDashboardRouter } from './dashboard-router';
import { createDocsRouter } from './docs-page';
import { type ApiMetrics, createApiMetrics, recordHttpMetrics, rememberRouteBase, serveMetrics } from './metrics';
import type { MigrationEventsOptions } from './migration-events';
import { createMigrationsRouter } from './migrations-router';
import { buildOpenApiDocument } from './openapi';
import { createPlansRouter } from './plans-router';
import { problemMiddleware, problems } from './problem';
import { createAuthFailureThrottle, DEFAULT_RATE_LIMITS, type RateLimits, requestRateLimit } from './rate-limits';
import { requestLog } from './request-log';
import { mapTemporalError } from './temporal-errors';

/** The API's version, as `/openapi.json` states it. */
const API_VERSION = '1.0.0';

/** The remote codec endpoint's settings (api/codec-router.ts); without them `/codec` is not served. */
export interface CodecEndpointSettings {
  codec: PayloadCodec;
  /** Origins of the Temporal Web UI (CODEC_CORS_ORIGINS). */
  uiOrigins: readonly string[];
  /** Development only: answer only requests addressed to a loopback host name. */
  loopbackOnly: boolean;
}

export interface AppDependencies {
  client: Client;
  authenticator: Authenticator;
  logger: Logger;
  taskQueue: string;
  /** Step timeouts and retries for new runs; production keeps the workflow's defaults. */
  tuning?: Partial<RunTuning>;
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

/** Builds the Express application; `api/main.ts` listens, tests use it on port 0. */
export function createApp(deps: AppDependencies): express.Express {
  const app = express();
  const metrics = deps.metrics ?? createApiMetrics();
  const rateLimits = { ...DEFAULT_RATE_LIMITS, ...deps.rateLimits };
  const limitRequests = requestRateLimit(rateLimits);
  const authThrottle = createAuthFailureThrottle(rateLimits);
  const openApiDocument = JSON.stringify(buildOpenApiDocument({ version: API_VERSION, serverUrl: deps.publicUrl }));
  app.disable('x-powered-by');
  app.set('trust proxy', deps.trustedProxyHops ?? false);

  app.use(requestLog(deps.logger), recordHttpMetrics(metrics));
  // Same-origin pages only; no upgrade-insecure-requests, which would break the plain-HTTP development server.
  app.use(helmet({ contentSecurityPolicy: { directives: { upgradeInsecureRequests: null } } }));

  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/readyz', async (_req, res, next) => {
    try {
      await deps.client.workflowService.getSystemInfo({});
      res.json({ status: 'ready', temporal: 'reachable' });
    } catch {
      next(problems.unavailable('Temporal is not reachable.'));
    }
  });
  app.get('/metrics', serveMetrics(metrics));
  app.get('/openapi.json', (_req, res) => {
    res.type('json').send(openApiDocument);
  });
  app.use(createDocsRouter());

  if (deps.codecEndpoint) {
    app.use('/codec', limitRequests, createCodecRouter({ ...deps.codecEndpoint, authenticator: deps.authenticator, authThrottle }));
  }

  const v1 = express.Router();
  v1.use(limitRequests, rememberRouteBase, authenticate(deps.authenticator, authThrottle));
  v1.use(createPlansRouter());
  v1.use(
    createMigrationsRouter({ client: deps.client, taskQueue: deps.taskQueue, tuning: deps.tuning, events: deps.events, metrics }),
  );
  app.use('/v1', v1);
  app.use(createDashboardRouter({ dashboardDir: deps.dashboardDir ?? dashboardDirFrom({}), devTokenSecret: deps.devTokenSecret }));

  app.use((req, _res, next) => next(problems.notFound(`No route for ${req.method} ${req.path}.`)));
  app.use(
    problemMiddleware({
      mapExternal: mapTemporalError,
      onInternalError: (error) => deps.logger.error({ err: error }, 'request failed'),
    }),
  );
  return app;
}
