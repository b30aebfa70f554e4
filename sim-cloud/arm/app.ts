import { randomUUID } from 'node:crypto';
import express, { type Express, type Request, type Response } from 'express';
import type { Logger } from 'pino';
import type { SimCloudDatabase } from '../database';
import type { FaultInjector, InjectedErrorAnswer } from '../faults';
import type { SimCloudStore } from '../store';
import { createTokenAuthority, audienceOf } from './entra';
import { armErrors, createArmErrorMiddleware, sendArmError, ArmError } from './errors';
import { parseArmPath } from './paths';
import { createArmResources, type ArmAnswer, type ArmCall, type ArmDirectory } from './resources';
import { createArmStore } from './store';

/** The fault operation that breaks token requests. */
export const TOKEN_OPERATION = 'entra.token';
/** The fault operation that breaks polls of long-running operations. */
export const POLL_OPERATION = 'arm.operations.get';
/** The fault operation that breaks the cancellation of a subscription. */
export const CANCEL_SUBSCRIPTION_OPERATION = 'arm.subscriptions.cancel';

const CANCEL_PATH = /^\/subscriptions\/([^/]+)\/providers\/Microsoft\.Subscription\/cancel$/i;
const SUBSCRIPTION_API = '2021-10-01';

const METHODS = ['PUT', 'PATCH', 'GET', 'DELETE'] as const;


/** Injected ARM faults answer ARM's envelope; a 429 says when to come back, as ARM's throttling does. */
const answerArmFault: InjectedErrorAnswer = (res, status, detail) => {
  const headers: Record<string, string> = status === 429 ? { 'retry-after': '1' } : {};
  sendArmError(res, new ArmError(status, status === 429 ? 'TooManyRequests' : 'InjectedFault', detail, headers));
};

const answerTokenFault: InjectedErrorAnswer = (res, status, detail) => {
  if (status === 429) res.setHeader('retry-after', '1');
  res.status(status).json({ error: status >= 500 ? 'temporarily_unavailable' : 'invalid_request', error_description: detail });
};

/**
 * sim-cloud's Azure Resource Manager: the Entra ID token endpoint and the ARM routes for the
 * resources Passerelle provisions (management groups, resource groups and their tags, key
 * vaults and keys, policy definitions and assignments, diagnostic settings), with ARM's
 * api-version check, bearer authentication, error envelope and long-running operations.
 */
export function createArmApp({
  db,
  simStore,
  faults,
  logger,
  directory,
  now,
}: {
  db: SimCloudDatabase;
  simStore: SimCloudStore;
  faults: FaultInjector;
  logger: Logger;
  directory: ArmDirectory;
  now: () => string;
}): { armApp: Express; operationNames: string[] } {
  const store = createArmStore(db);
  const resources = createArmResources({ store, directory, now, onGroupDeleted: (groupId) => simStore.deleteTenantData(groupId) });
  const authority = createTokenAuthority({ store: simStore, directory });

  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.use((req, res, next) => {
    const startedAt = process.hrtime.bigint();
    res.setHeader('x-ms-request-id', randomUUID());
    res.on('finish', () => {
      const entry = { operation: (res.locals.operation as string | undefined) ?? null, method: req.method, path: req.path, status: res.statusCode, durationMs: Number(process.hrtime.bigint() - startedAt) / 1e6 };
      if (req.method === 'GET') logger.debug(entry, 'ARM request');
      else logger.info(entry, 'ARM request');
    });
    next();
  });
  app.post('/:tenant/oauth2/v2.0/token', faults.breakCallsTo(TOKEN_OPERATION, answerTokenFault));
  app.use(authority.router);
  app.use(express.json({ type: ['application/json', 'application/*+json'] }));
  app.use(async (req: Request, res: Response) => {
    const apiVersion = req.query['api-version'];
    if (typeof apiVersion !== 'string' || apiVersion === '') throw armErrors.missingApiVersion();
    await authority.authenticate(req);
    const requestPath = req.path.replace(/\/{2,}/g, '/');
    const baseUrl = audienceOf(req);
    const cancel = CANCEL_PATH.exec(requestPath);
    if (cancel?.[1] && req.method === 'POST') {
      // The one action (POST) these routes serve: Microsoft.Subscription's cancel.
      if (apiVersion !== SUBSCRIPTION_API) throw armErrors.unsupportedApiVersion(apiVersion, 'Microsoft.Subscription/cancel', [SUBSCRIPTION_API]);
      res.locals.operation = CANCEL_SUBSCRIPTION_OPERATION;
      if (!(await proceedUnlessFaulted(CANCEL_SUBSCRIPTION_OPERATION, req, res))) return;
      answer(res, simStore.transaction(() => resources.cancelSubscription(decodeURIComponent(cancel[1]!))));
      return;
    }
    const method = req.method.toUpperCase() as ArmCall['method'];
    const path = parseArmPath(method, requestPath);
    const lowerType = path.type.toLowerCase();
    if (lowerType === 'microsoft.resources/operationstatuses' || lowerType === 'microsoft.resources/operationresults' || lowerType === 'microsoft.subscription/subscriptionoperations') {
      res.locals.operation = POLL_OPERATION;
      if (!(await proceedUnlessFaulted(POLL_OPERATION, req, res))) return;
      answer(
        res,
        lowerType.endsWith('operationstatuses')
          ? resources.operationStatus(path.name)
          : lowerType.endsWith('subscriptionoperations')
            ? resources.subscriptionOperationResult(path.name, { baseUrl, apiVersion })
            : resources.operationResult(path.name, { baseUrl, apiVersion }),
      );
      return;
    }
    const kind = resources.kindOf(path);
    if (!kind) throw armErrors.routeNotFound(method, req.path);
    if (!kind.apiVersions.includes(apiVersion)) throw armErrors.unsupportedApiVersion(apiVersion, kind.type, kind.apiVersions);
    if (path.subscriptionId !== undefined) {
      const state = resources.subscriptionState(path.subscriptionId);
      if (!state) throw armErrors.subscriptionNotFound(path.subscriptionId);
      if (state === 'Disabled' && method !== 'GET') throw armErrors.readOnlySubscription(path.subscriptionId);
    }
    if (!METHODS.includes(method) || !kind[method.toLowerCase() as 'put']) throw armErrors.methodNotAllowed(method, kind.type);
    const operation = `arm.${kind.short}.${method.toLowerCase()}`;
    res.locals.operation = operation;
    if (!(await proceedUnlessFaulted(operation, req, res))) return;
    const body = req.body && typeof req.body === 'object' && !Array.isArray(req.body) ? (req.body as Record<string, unknown>) : {};
    answer(res, simStore.transaction(() => resources.handle(kind, { method, path, body, apiVersion, baseUrl })));
  });
  app.use(createArmErrorMiddleware(logger));
  // Every fault operation of these routes: `arm.<type>.<method>`, the polls, and the token endpoint.
  const operationNames = [
    ...resources.kinds.flatMap((kind) => METHODS.filter((method) => kind[method.toLowerCase() as 'put'] !== undefined).map((method) => `arm.${kind.short}.${method.toLowerCase()}`)),
    POLL_OPERATION,
    CANCEL_SUBSCRIPTION_OPERATION,
    TOKEN_OPERATION,
  ];

  /** Lets an armed fault break the call first; answers whether the call should go on. */
  async function proceedUnlessFaulted(operation: string, req: Request, res: Response): Promise<boolean> {
    let proceed = false;
    await faults.breakCallsTo(operation, answerArmFault)(req, res, () => {
      proceed = true;
    });
    return proceed;
  }

  return { armApp: app, operationNames };
}

function answer(res: Response, result: ArmAnswer): void {
  for (const [name, value] of Object.entries(result.headers ?? {})) res.setHeader(name, value);
  if (result.body === undefined) res.status(result.status).end();
  else res.status(result.status).json(result.body);
}
