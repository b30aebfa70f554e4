/**
 * Applies the permission table of domain/permissions.ts to requests: a 403 problem for an
 * action the caller's roles do not allow, the filter that keeps a customer inside its own
 * runs, and the approval rule. The workflow's validators check every human decision again with
 * the same table; this layer answers early and with the right HTTP status.
 */
import type { RequestHandler } from 'express';
import { type Action, approvalDecisionRefusal, forbiddenMessage, isStaff, mayPerform, maySeeRun } from '../domain/permissions';
import { type Identity, identityOf } from './auth';
import { problems } from './problem';

/** Tells whether any of the caller's roles allows `action`. */
export function isAllowed(identity: Identity, action: Action): boolean {
  return mayPerform(identity.roles, action);
}

/** Throws a 403 problem naming `action` unless one of the caller's roles allows it. */
export function authorize(identity: Identity, action: Action): void {
  if (!isAllowed(identity, action)) throw problems.forbidden(forbiddenMessage(identity.roles, action));
}

/**
 * Tells whether the caller may see a run of `customerId`: staff see every run, a customer only
 * its own. Callers answer 404 when this is false, exactly as for a run that does not exist, so
 * that one customer cannot learn another's run ids.
 */
export function canSeeRun(identity: Identity, customerId: string | undefined): boolean {
  return maySeeRun(identity, customerId);
}

/**
 * The customer filter a list must carry whatever the caller asked: a customer's own id, or
 * nothing for staff.
 */
export function enforcedCustomerFilter(identity: Identity): string | undefined {
  if (isStaff(identity.roles)) return undefined;
  // A customer token always carries customerId (auth.ts); an impossible match keeps the rule closed if not.
  return identity.customerId ?? '';
}

/**
 * Throws a 403 problem unless the caller is an approver of the run's own customer holding the
 * approval's role. The workflow's validator checks the same again with the same actor.
 */
export function authorizeApprovalDecision(
  identity: Identity,
  run: { customerId: string | undefined },
  approval: { id: string; role: string },
): void {
  const refusal = approvalDecisionRefusal(identity, run, approval);
  if (refusal) throw problems.forbidden(refusal.message);
}

/** Middleware form of {@link authorize}: refuses before the request body is even read. */
export function requirePermission(action: Action): RequestHandler {
  return (req, _res, next) => {
    authorize(identityOf(req), action);
    next();
  };
}
