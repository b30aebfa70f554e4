/**
 * Who may do what: one table of role × action (DESIGN.md, "The API") and the rule that keeps a
 * customer inside its own runs. The workflow checks every human decision again in its
 * validators; this layer answers early and with the right HTTP status.
 */
import type { RequestHandler } from 'express';
import { type Identity, identityOf, type UserRole } from './auth';
import { problems } from './problem';

/** Every action a route performs on behalf of a caller. */
export const ACTIONS = [
  'plan.validate',
  'migration.start',
  'migration.list',
  'migration.read',
  'migration.events',
  'migration.report',
  'approval.decide',
  'plan.amend',
  'step.retry',
  'step.skip',
  'run.pause',
  'run.resume',
  'run.cancel',
  'deadline.extend',
  'qualification.notify',
  'payload.encode',
  'payload.decode',
] as const;
/** An action of {@link ACTIONS}. */
export type Action = (typeof ACTIONS)[number];

/**
 * The one authorization table. A caller holding several roles may do what any of them allows.
 * Customers decide approvals only for their own runs and only those bound to an approver role
 * their token holds ({@link authorizeApprovalDecision}).
 */
export const PERMISSIONS: Readonly<Record<UserRole, ReadonlySet<Action>>> = {
  consultant: new Set<Action>([
    'plan.validate',
    'migration.start',
    'migration.list',
    'migration.read',
    'migration.events',
    'migration.report',
    'plan.amend',
    'run.cancel',
  ]),
  customer: new Set<Action>(['migration.list', 'migration.read', 'migration.events', 'migration.report', 'approval.decide']),
  ops: new Set<Action>([
    'migration.list',
    'migration.read',
    'migration.events',
    'migration.report',
    'step.retry',
    'step.skip',
    'run.pause',
    'run.resume',
    'run.cancel',
    'deadline.extend',
    'qualification.notify',
    'payload.encode',
    'payload.decode',
  ]),
};

/** Roles whose holders follow every customer's runs. */
const STAFF_ROLES: readonly UserRole[] = ['consultant', 'ops'];

/** Tells whether any of the caller's roles allows `action`. */
export function isAllowed(identity: Identity, action: Action): boolean {
  return identity.roles.some((role) => PERMISSIONS[role].has(action));
}

/** Throws a 403 problem naming `action` unless one of the caller's roles allows it. */
export function authorize(identity: Identity, action: Action): void {
  if (!isAllowed(identity, action)) {
    throw problems.forbidden(`Your roles (${identity.roles.join(', ')}) do not allow ${action}.`);
  }
}

/**
 * Tells whether the caller may see a run of `customerId`: staff see every run, a customer only
 * its own. Callers answer 404 when this is false, exactly as for a run that does not exist, so
 * that one customer cannot learn another's run ids.
 */
export function canSeeRun(identity: Identity, customerId: string | undefined): boolean {
  if (identity.roles.some((role) => STAFF_ROLES.includes(role))) return true;
  return customerId !== undefined && identity.customerId === customerId;
}

/**
 * The customer filter a list must carry whatever the caller asked: a customer's own id, or
 * nothing for staff.
 */
export function enforcedCustomerFilter(identity: Identity): string | undefined {
  if (identity.roles.some((role) => STAFF_ROLES.includes(role))) return undefined;
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
  authorize(identity, 'approval.decide');
  if (identity.customerId === undefined || identity.customerId !== run.customerId) {
    throw problems.forbidden('Only approvers of the run’s own customer may decide its approvals.');
  }
  if (!identity.approverRoles.some((role) => role === approval.role)) {
    throw problems.forbidden(`Approval ${approval.id} is for the ${approval.role} role, which your token does not hold.`);
  }
}

/** Middleware form of {@link authorize}: refuses before the request body is even read. */
export function requirePermission(action: Action): RequestHandler {
  return (req, _res, next) => {
    authorize(identityOf(req), action);
    next();
  };
}
