import type { Client } from '@temporalio/client';
import express, { type Router } from 'express';
import type { Logger } from 'pino';
import { authenticate, type Authenticator } from './auth';
import { problemMiddleware, problems } from './problem';
import { mapTemporalError } from './temporal-errors';

export interface AppDependencies {
  client: Client;
  authenticator: Authenticator;
  logger: Logger;
  taskQueue: string;
  /** Routers mounted under /v1, behind authentication. */
  routers?: Router[];
}

/** Builds the Express application; `api/main.ts` listens, tests use it on port 0. */
export function createApp(deps: AppDependencies): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', false);

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

  const v1 = express.Router();
  v1.use(authenticate(deps.authenticator));
  for (const router of deps.routers ?? []) v1.use(router);
  app.use('/v1', v1);

  app.use((req, _res, next) => next(problems.notFound(`No route for ${req.method} ${req.path}.`)));
  app.use(
    problemMiddleware({
      mapExternal: mapTemporalError,
      onInternalError: (error) => deps.logger.error({ err: error }, 'request failed'),
    }),
  );
  return app;
}
