/**
 * AWAITING_APPROVAL: every sign-off the classification asks for, each bound to an approver role
 * and the customer; deadlines, reminders and escalations by durable timers; a plan amended
 * before provisioning is classified again and asks every approval again.
 */
import { setHandler } from '@temporalio/workflow';
import { approvalDecisionRefusal, AUDIT_TEXTS, message, type ApprovalView, FAILURE_TYPES, runOverview, stepIds, tryParseIsoDuration, validatePlan } from '../../domain';
import {
  type AmendPlanInput,
  amendPlanUpdate,
  type DecideApprovalInput,
  decideApprovalUpdate,
  type ExtendDeadlineInput,
  extendDeadlineUpdate,
} from '../messages';
import { nowIso } from '../run-state';
import { analyse } from './assessment';
import { type MigrationContext, refuse, requirePermission } from './context';
import { boundedWait } from './continuation';
import { acceptRisksOnHomologation } from './risks';

/** Asks every approval the report needs, superseding those of an earlier round. */
export function openApprovalRound(context: MigrationContext): void {
  const { run, status } = context;
  for (const approval of status.approvals) {
    if (approval.round === status.round && approval.state !== 'APPROVED' && approval.state !== 'REJECTED') approval.state = 'SUPERSEDED';
  }
  status.round += 1;
  const { approvalDeadlineMs } = context.durations();
  const now = Date.now();
  for (const required of status.report?.approvals ?? []) {
    status.approvals.push({
      id: required.id,
      role: required.role,
      rules: [...required.rules],
      state: 'PENDING',
      round: status.round,
      requestedAt: new Date(now).toISOString(),
      dueAt: new Date(now + approvalDeadlineMs).toISOString(),
    });
    const step = run.step(stepIds.approval(required.id), 'AWAITING_APPROVAL', `Approval ${required.id} (${required.role})`);
    run.setStepState(step.id, 'WAITING');
  }
  const approvalIds = context.currentApprovals().map((approval) => approval.id);
  run.record('APPROVALS_REQUESTED', `Round ${status.round}: ${approvalIds.join(', ')}`, undefined, message('APPROVALS_REQUESTED', { round: status.round, approvalIds }));
}

function reminderAt(context: MigrationContext, approval: ApprovalView): number {
  const { reminderBeforeMs } = context.durations();
  return Math.max(Date.parse(approval.requestedAt), Date.parse(approval.dueAt) - reminderBeforeMs);
}

/** When the next reminder or escalation is due, if any. */
function nextApprovalTimer(context: MigrationContext): number | undefined {
  let next: number | undefined;
  for (const approval of context.currentApprovals()) {
    if (approval.state !== 'PENDING') continue;
    const candidates = [...(approval.remindedAt ? [] : [reminderAt(context, approval)]), ...(approval.escalatedAt ? [] : [Date.parse(approval.dueAt)])];
    for (const at of candidates) next = next === undefined ? at : Math.min(next, at);
  }
  return next;
}

/** Sends the reminders and escalations whose time has come (durable timers fire them). */
async function fireDueApprovalTimers(context: MigrationContext): Promise<void> {
  const { run } = context;
  const now = Date.now();
  for (const approval of context.currentApprovals()) {
    if (approval.state !== 'PENDING') continue;
    if (!approval.remindedAt && now >= reminderAt(context, approval) && now < Date.parse(approval.dueAt)) {
      approval.remindedAt = nowIso();
      const due = { approvalId: approval.id, role: approval.role, dueAt: approval.dueAt };
      run.record('APPROVAL_REMINDER', `Reminder: approval ${approval.id} (${approval.role}) is due ${approval.dueAt}`, undefined, message('APPROVAL_REMINDER', due));
      await context.notify({
        kind: 'APPROVAL_REMINDER',
        approvalId: approval.id,
        role: approval.role,
        message: `Approval ${approval.id} is due ${approval.dueAt}`,
        text: message('NOTIFY_APPROVAL_DUE', { approvalId: approval.id, dueAt: approval.dueAt }),
      });
    }
    if (!approval.escalatedAt && now >= Date.parse(approval.dueAt)) {
      approval.remindedAt ??= nowIso();
      approval.escalatedAt = nowIso();
      run.record('APPROVAL_OVERDUE', `Approval ${approval.id} (${approval.role}) is overdue: escalated`, undefined, message('APPROVAL_ESCALATED', { approvalId: approval.id, role: approval.role, dueAt: approval.dueAt }));
      await context.notify({
        kind: 'APPROVAL_OVERDUE',
        approvalId: approval.id,
        role: approval.role,
        message: `Approval ${approval.id} was due ${approval.dueAt}; an operator must extend the deadline or cancel`,
        text: message('NOTIFY_APPROVAL_OVERDUE', { approvalId: approval.id, dueAt: approval.dueAt }),
      });
    }
  }
  context.refreshStatus();
}

/** The round's outcome once every approval is given or one is refused; undefined while it waits (or an amendment is classified). */
function approvalsDecision(context: MigrationContext): 'APPROVED' | 'REJECTED' | undefined {
  if (context.amending) return undefined;
  const approvals = context.currentApprovals();
  if (approvals.some((approval) => approval.state === 'REJECTED')) return 'REJECTED';
  if (approvals.length > 0 && approvals.every((approval) => approval.state === 'APPROVED')) return 'APPROVED';
  return undefined;
}

/** Waits until every approval of the current round is given, one is refused, or the plan changes. */
export async function awaitApprovals(context: MigrationContext): Promise<'APPROVED' | 'REJECTED'> {
  const { run, status } = context;
  // A run continued as new at the gate has its approvals: it goes back to the gate without passing through AWAITING_APPROVAL.
  if (!(context.boundedWaits && context.input.carried && approvalsDecision(context) === 'APPROVED')) run.setPhase('AWAITING_APPROVAL');
  for (;;) {
    context.refreshStatus();
    const decision = approvalsDecision(context);
    if (decision) return decision;
    const seen = context.changes;
    const next = nextApprovalTimer(context);
    await boundedWait(context, () => context.changes !== seen, next === undefined ? undefined : Math.max(1, next - Date.now()));
    if (status.phase !== 'AWAITING_APPROVAL' && !context.amending) run.setPhase('AWAITING_APPROVAL');
    await fireDueApprovalTimers(context);
  }
}

/** Why a rejected run was rejected: which approval, by whom, and the approver's comment. */
export function rejectionReason(context: MigrationContext): string {
  const rejection = context.currentApprovals().find((approval) => approval.state === 'REJECTED');
  return `approval ${rejection?.id ?? ''} rejected by ${rejection?.decision?.by ?? 'an approver'}: ${rejection?.decision?.comment ?? ''}`;
}

function validateDecision(context: MigrationContext, { approvalId, decision, comment, actor }: DecideApprovalInput): void {
  const { status } = context;
  context.refuseIfFinal();
  if (actor.customerId !== status.customerId) refuse(FAILURE_TYPES.notFound, 'No such migration.');
  const approval = context.currentApprovals().find((candidate) => candidate.id === approvalId);
  if (!approval) refuse(FAILURE_TYPES.notFound, `This run has no approval "${approvalId}".`);
  const refusal = approvalDecisionRefusal(actor, status, approval);
  if (refusal) refuse(FAILURE_TYPES.forbidden, refusal.message);
  if (approval.state !== 'PENDING') refuse(FAILURE_TYPES.conflict, `Approval "${approvalId}" is not pending (${approval.state}).`);
  if (context.currentApprovals().some((candidate) => candidate.state === 'CHANGES_REQUESTED')) {
    refuse(FAILURE_TYPES.conflict, 'Changes were requested: the run waits for an amended plan before any other decision.');
  }
  if (decision !== 'APPROVE' && !comment?.trim()) refuse(FAILURE_TYPES.invalid, `A ${decision} decision needs a comment saying why.`);
}

function validateAmendment(context: MigrationContext, { plan, actor }: AmendPlanInput): void {
  const { status } = context;
  context.refuseIfFinal();
  requirePermission(actor, 'plan.amend');
  if (context.provisioningStarted()) refuse(FAILURE_TYPES.conflict, 'Provisioning has begun: the plan can no longer be amended.');
  if (context.amending) refuse(FAILURE_TYPES.conflict, 'Another amendment is being classified; try again in a moment.');
  const validation = validatePlan(plan);
  if (!validation.ok) refuse(FAILURE_TYPES.invalid, `The amended plan is not valid: ${validation.errors.slice(0, 3).map((error) => `${error.path || '(plan)'}: ${error.message}`).join('; ')}`);
  if (plan.customer.id !== status.customerId) refuse(FAILURE_TYPES.invalid, `An amended plan must keep the customer "${status.customerId}".`);
  if ((plan.planId ?? status.planId) !== status.planId) refuse(FAILURE_TYPES.invalid, `An amended plan must keep the planId "${status.planId ?? ''}".`);
}

function validateExtension(context: MigrationContext, { approvalId, extendBy, actor }: ExtendDeadlineInput): void {
  context.refuseIfFinal();
  requirePermission(actor, 'deadline.extend');
  const extension = tryParseIsoDuration(extendBy);
  if (extension === undefined || extension <= 0) refuse(FAILURE_TYPES.invalid, `"${extendBy}" is not a positive ISO 8601 duration (for example P7D).`);
  const pending = context.currentApprovals().filter((approval) => approval.state === 'PENDING');
  if (pending.length === 0) refuse(FAILURE_TYPES.conflict, 'No approval is pending.');
  if (approvalId !== undefined && !pending.some((approval) => approval.id === approvalId)) {
    refuse(FAILURE_TYPES.conflict, `Approval "${approvalId}" is not pending.`);
  }
}

/** The updates of people who decide: approvers, the consultant who amends, ops who extend deadlines. */
export function registerApprovalHandlers(context: MigrationContext): void {
  const { run, status } = context;

  setHandler(
    decideApprovalUpdate,
    ({ approvalId, decision, comment, actor }) => {
      const approval = context.currentApprovals().find((candidate) => candidate.id === approvalId)!;
      approval.state = decision === 'APPROVE' ? 'APPROVED' : decision === 'REJECT' ? 'REJECTED' : 'CHANGES_REQUESTED';
      approval.decision = { decision, ...(comment ? { comment } : {}), by: actor.subject, at: nowIso() };
      if (approvalId === 'homologation' && decision === 'APPROVE') acceptRisksOnHomologation(context, approval.decision);
      run.audit(actor, decision, AUDIT_TEXTS.approvalTarget(approvalId), comment);
      run.setStepState(stepIds.approval(approvalId), decision === 'APPROVE' ? 'SUCCEEDED' : 'FAILED');
      context.changed();
      return approval;
    },
    { validator: (input: DecideApprovalInput) => validateDecision(context, input) },
  );

  setHandler(
    amendPlanUpdate,
    async ({ plan, actor, comment }) => {
      context.amending = true;
      try {
        run.audit(actor, 'AMEND_PLAN', undefined, comment);
        await analyse(context, plan);
        openApprovalRound(context);
        context.changed();
        return runOverview(status);
      } finally {
        context.amending = false;
      }
    },
    { validator: (input: AmendPlanInput) => validateAmendment(context, input) },
  );

  setHandler(
    extendDeadlineUpdate,
    ({ approvalId, extendBy, actor, reason }) => {
      const extension = tryParseIsoDuration(extendBy)!;
      const targets = context.currentApprovals().filter((approval) => approval.state === 'PENDING' && (approvalId === undefined || approval.id === approvalId));
      const now = Date.now();
      for (const approval of targets) {
        approval.dueAt = new Date(now + extension).toISOString();
        delete approval.remindedAt;
        delete approval.escalatedAt;
      }
      run.audit(actor, 'EXTEND_DEADLINE', approvalId ? AUDIT_TEXTS.approvalTarget(approvalId) : AUDIT_TEXTS.everyPendingApproval, AUDIT_TEXTS.extensionComment(extendBy, reason));
      context.changed();
      return targets;
    },
    { validator: (input: ExtendDeadlineInput) => validateExtension(context, input) },
  );
}
