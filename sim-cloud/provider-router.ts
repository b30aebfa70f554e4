import { Router, type Request, type RequestHandler, type Response } from 'express';
import type { FaultInjector } from './faults';
import { hashRequest, parseIdempotencyKey, type Answer, type IdempotencyLedger } from './idempotency';
import type { ProviderRoute } from './operations';
import { problems } from './problems';

/** Response header set on an answer replayed from the idempotency ledger. */
export const REPLAYED_HEADER = 'Idempotent-Replayed';

/**
 * The `/v1` router: each route names its operation (for logs and faults), lets an armed fault
 * break the call first, then runs its use case, once per Idempotency-Key when it changes state.
 */
export function createProviderRouter({
  routes,
  faults,
  ledger,
}: {
  routes: ProviderRoute[];
  faults: FaultInjector;
  ledger: IdempotencyLedger;
}): Router {
  const router = Router();
  for (const route of routes) {
    const nameOperation: RequestHandler = (_req, res, next) => {
      res.locals.operation = route.operation;
      next();
    };
    const handlers = [nameOperation, faults.breakCallsTo(route.operation), (req: Request, res: Response) => answerCall(route, ledger, req, res)];
    switch (route.method) {
      case 'GET':
        router.get(route.path, ...handlers);
        break;
      case 'POST':
        router.post(route.path, ...handlers);
        break;
      case 'PUT':
        router.put(route.path, ...handlers);
        break;
      case 'DELETE':
        router.delete(route.path, ...handlers);
        break;
    }
  }
  return router;
}

function answerCall(route: ProviderRoute, ledger: IdempotencyLedger, req: Request, res: Response): void {
  const key = route.mutating ? parseIdempotencyKey(req.get('idempotency-key')) : undefined;
  if (route.mutating && key === undefined) throw problems.missingIdempotencyKey(route.operation);
  const call = route.prepare(req.params, req.body);
  const run = (): Answer => ({ status: route.successStatus, body: call.execute() });
  const answer =
    key === undefined
      ? { ...run(), replayed: false }
      : ledger.runOnce({ key, operation: route.operation, requestHash: hashRequest(route.operation, call.input) }, run);
  if (answer.replayed) res.setHeader(REPLAYED_HEADER, 'true');
  if (answer.body === undefined) res.status(answer.status).end();
  else res.status(answer.status).json(answer.body);
}
