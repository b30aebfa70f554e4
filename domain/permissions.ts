/**
 * Who may do what (DESIGN.md, "The API"): one table of role × action, the approver role that
 * decides each approval, and the rule that keeps a customer inside its own runs. The API
 * applies it to requests (api/authorization.ts), the workflow's update validators apply it
 * again to the same verified actor, and the dashboard uses it to show only what a user may do.
 */
import type { ApprovalId } from './classification';
import type { ApproverRole } from './plan';

/** Roles a user's token may carry. */
export const USER_ROLES = ['consultant', 'customer', 'ops'] as const;
/** One of {@link USER_ROLES}. */
export type UserRole = (typeof USER_ROLES)[number];

/** Roles whose holders follow every customer's runs. */
export const STAFF_ROLES = ['consultant', 'ops'] as const satisfies readonly UserRole[];

/**
 * The verified caller of a human decision. The API builds it from the token alone; the
 * workflow records it in the audit trail and checks it again in every validator.
 */
export interface Actor {
  subject: string;
  roles: UserRole[];
  /** Set for customers: the only customer whose runs they may see. */
  customerId?: string;
  approverRoles: string[];
}

/** Every action a caller may perform on Passerelle. */
export const ACTIONS = [
  'plan.validate',
  'migration.start',
  'migration.list',
  'migration.read',
  'migration.events',
  'migration.report',
  'migration.risks',
  'migration.dossier',
  'approval.decide',
  'derogation.request',
  'derogation.decide',
  'derogation.acknowledge',
  'risk.accept',
  'plan.amend',
  'step.retry',
  'step.skip',
  'run.pause',
  'run.resume',
  'run.cancel',
  'run.cleanup',
  'deadline.extend',
  'cutover-window.open',
  'rehearsal.decide',
  'batch.start',
  'batch.read',
  'qualification.notify',
  'payload.encode',
  'payload.decode',
  'draft.import',
  'draft.read',
  'draft.edit',
  'draft.start',
] as const;
/** One of {@link ACTIONS}. */
export type Action = (typeof ACTIONS)[number];

const FOLLOW_RUNS = ['migration.list', 'migration.read', 'migration.events', 'migration.report', 'migration.risks', 'migration.dossier'] as const satisfies readonly Action[];

/**
 * The one permission table. A caller holding several roles may do what any of them allows.
 * Customers decide approvals only for their own runs and only those bound to an approver role
 * their token holds ({@link approvalDecisionRefusal}).
 */
export const PERMISSIONS: Readonly<Record<UserRole, ReadonlySet<Action>>> = {
  consultant: new Set<Action>([
    'plan.validate',
    'migration.start',
    ...FOLLOW_RUNS,
    'plan.amend',
    'derogation.request',
    'run.cancel',
    'draft.import',
    'draft.read',
    'draft.edit',
    'draft.start',
  ]),
  // Customers answer the questionnaire of their own drafts (draftEditRefusal keeps them there).
  // Derogations (R10) are decided by the customer's HOMOLOGATION_AUTHORITY only (domain/derogations checks the approver role);
  // a residual risk is accepted by the customer's approver holding its owner role (domain/risks, acceptRisks).
  // A rehearsal (domain/rehearsals.ts) is confirmed by the customer's approver holding REHEARSAL_APPROVER_ROLE (rehearsalDecisionRefusal).
  customer: new Set<Action>([...FOLLOW_RUNS, 'approval.decide', 'rehearsal.decide', 'derogation.request', 'derogation.decide', 'risk.accept', 'draft.read', 'draft.edit']),
  ops: new Set<Action>([
    ...FOLLOW_RUNS,
    'step.retry',
    'step.skip',
    'run.pause',
    'run.resume',
    'run.cancel',
    'run.cleanup',
    'deadline.extend',
    'derogation.acknowledge',
    'cutover-window.open',
    // Fleet operations (domain/batches.ts): ops only, since a batch reaches every customer's runs.
    'batch.start',
    'batch.read',
    'qualification.notify',
    'payload.encode',
    'payload.decode',
  ]),
};

/** Which approver role decides each approval the classification may ask for (docs/rules.md, approvals). */
export const APPROVAL_DECIDERS: Readonly<Record<ApprovalId, ApproverRole>> = {
  rssi: 'RSSI',
  dpo: 'DPO',
  dpia: 'DPO',
  homologation: 'HOMOLOGATION_AUTHORITY',
  'anssi-notification': 'RSSI',
};

/** Tells whether any of `roles` allows `action`. */
export function mayPerform(roles: readonly UserRole[], action: Action): boolean {
  return roles.some((role) => PERMISSIONS[role].has(action));
}

/** The roles that allow `action`, in {@link USER_ROLES} order. */
export function rolesAllowedTo(action: Action): UserRole[] {
  return USER_ROLES.filter((role) => PERMISSIONS[role].has(action));
}

/** The sentence that refuses `action` to a caller whose roles do not allow it. */
export function forbiddenMessage(roles: readonly UserRole[], action: Action): string {
  return `Your roles (${roles.join(', ')}) do not allow ${action}.`;
}

/** Tells whether a caller may see every customer's runs (staff), rather than only its own. */
export function isStaff(roles: readonly UserRole[]): boolean {
  return roles.some((role) => (STAFF_ROLES as readonly UserRole[]).includes(role));
}

/**
 * Tells whether a caller may see a run of `customerId`: staff see every run, a customer only
 * its own. A caller that may not is answered as for a run that does not exist, so that one
 * customer cannot learn another's run ids.
 */
export function maySeeRun(caller: { roles: readonly UserRole[]; customerId?: string }, customerId: string | undefined): boolean {
  if (isStaff(caller.roles)) return true;
  return customerId !== undefined && caller.customerId === customerId;
}

/** Why a caller may not decide an approval; undefined when it may. */
export type ApprovalDecisionRefusal =
  | { reason: 'action'; message: string }
  | { reason: 'other-customer'; message: string }
  | { reason: 'approver-role'; message: string };

/**
 * Checks that a caller may decide an approval: a customer role, the run's own customer, and the
 * approver role the approval is bound to. Returns why not, or undefined when it may.
 */
export function approvalDecisionRefusal(
  caller: Pick<Actor, 'roles' | 'customerId' | 'approverRoles'>,
  run: { customerId: string | undefined },
  approval: { id: string; role: string },
): ApprovalDecisionRefusal | undefined {
  if (!mayPerform(caller.roles, 'approval.decide')) return { reason: 'action', message: forbiddenMessage(caller.roles, 'approval.decide') };
  if (caller.customerId === undefined || caller.customerId !== run.customerId) {
    return { reason: 'other-customer', message: 'Only approvers of the run’s own customer may decide its approvals.' };
  }
  if (!caller.approverRoles.includes(approval.role)) {
    return { reason: 'approver-role', message: `Approval ${approval.id} is for the ${approval.role} role, which your token does not hold.` };
  }
  return undefined;
}

/**
 * Checks that a caller may confirm a wave's rehearsal or report a problem with it: a customer
 * role, the run's own customer, and the approver role rehearsals are bound to. Returns why not,
 * or undefined when it may.
 */
export function rehearsalDecisionRefusal(
  caller: Pick<Actor, 'roles' | 'customerId' | 'approverRoles'>,
  run: { customerId: string | undefined },
  rehearsal: { approvalId: string; role: string },
): ApprovalDecisionRefusal | undefined {
  if (!mayPerform(caller.roles, 'rehearsal.decide')) return { reason: 'action', message: forbiddenMessage(caller.roles, 'rehearsal.decide') };
  if (caller.customerId === undefined || caller.customerId !== run.customerId) {
    return { reason: 'other-customer', message: 'Only approvers of the run’s own customer may decide its rehearsals.' };
  }
  if (!caller.approverRoles.includes(rehearsal.role)) {
    return { reason: 'approver-role', message: `Rehearsal ${rehearsal.approvalId} is for the ${rehearsal.role} role, which your token does not hold.` };
  }
  return undefined;
}
