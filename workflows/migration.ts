/**
 * A migration run (DESIGN.md, "The run"): this module only sequences the phases. Each phase
 * and each group of handlers lives in workflows/migration/: assessment, approvals, the
 * regulatory gate, provisioning, cutover, operator controls and compensation, over the state
 * they share (context.ts).
 */
import { allHandlersFinished, ApplicationFailure, CancellationScope, condition, isCancellation, setHandler } from '@temporalio/workflow';
import { FAILURE_TYPES, type Message, message, type MigrationOverview, type MigrationStatus, runOverview, type RunStatus } from '../domain';
import { compensationsQuery, type MigrationInput, statusQuery } from './messages';
import { awaitApprovals, openApprovalRound, registerApprovalHandlers, rejectionReason } from './migration/approvals';
import { analyse } from './migration/assessment';
import { compensate } from './migration/compensation';
import { MigrationContext } from './migration/context';
import { cutover, registerCutoverHandlers } from './migration/cutover';
import { registerDerogationHandlers, startDerogationTimer } from './migration/derogations';
import { awaitQualification, registerGateHandlers } from './migration/gate';
import { registerOperatorHandlers } from './migration/operator';
import { COMPACT_RESULT, FAILED_RUNS_SAY_SO } from './migration/patches';
import { provision } from './migration/provisioning';
import { registerReadHandlers } from './migration/reads';
import { registerRiskHandlers } from './migration/risks';
import { deliverByZone } from './migration/zones';
import { registerRehearsalHandlers } from './migration/rehearsals';
import { registerCutoverWindowHandlers } from './migration/windows';
import { describeFailure, nowIso } from './run-state';

/** Assessment, classification, approvals and the gate, provisioning, cutover: the run's forward path. */
async function drive(context: MigrationContext): Promise<RunStatus> {
  if (!context.input.carried) {
    await analyse(context, context.status.plan);
    openApprovalRound(context);
  }
  while (!context.provisioningStarted()) {
    const decision = await awaitApprovals(context);
    if (decision === 'REJECTED') return 'REJECTED';
    if (context.gatePerZone) break;
    if (await awaitQualification(context)) break;
  }
  if (context.gatePerZone) {
    await deliverByZone(context);
    return 'COMPLETED';
  }
  // A run continued as new between waves has provisioned already: its phase stays CUTOVER.
  if (context.status.phase !== 'CUTOVER') await provision(context);
  await cutover(context);
  return 'COMPLETED';
}


/**
 * Ends the run: its final status, outcome and timeline entry. `failure` is what failed, alone,
 * for the message code (`reason` says it in an English sentence of its own).
 */
function end(context: MigrationContext, final: RunStatus, reason?: string, failure?: string): void {
  const { run, status } = context;
  if (final === 'COMPLETED') run.setPhase('DONE');
  status.attention = [];
  run.setStatus(final);
  status.endedAt = nowIso();
  const text = endMessage(context, final, failure ?? reason);
  status.outcome = { status: final, ...(reason ? { reason } : {}), ...run.coded(text) };
  run.record('ENDED', `Run ${final.toLowerCase()}${reason ? `: ${reason}` : ''}`, undefined, text);
}

/** How the run ended, as a message code: who rejected or cancelled it and why, or what failed. */
function endMessage(context: MigrationContext, final: RunStatus, failure: string | undefined): Message | undefined {
  if (final === 'COMPLETED') return message('RUN_COMPLETED', {});
  if (final === 'FAILED') return message('RUN_FAILED', { error: failure ?? '' });
  if (final === 'REJECTED') {
    const rejection = context.currentApprovals().find((approval) => approval.state === 'REJECTED');
    const comment = rejection?.decision?.comment;
    return message('RUN_REJECTED', { approvalId: rejection?.id ?? '', actor: rejection?.decision?.by ?? '', ...(comment ? { comment } : {}) });
  }
  if (final === 'CANCELLED') {
    const request = context.cancelRequest;
    return message('RUN_CANCELLED', request ? { actor: request.actor.subject, ...(request.reason ? { reason: request.reason } : {}) } : {});
  }
  return undefined;
}

/** Why a cancelled run was cancelled, and by whom. */
function cancellationReason(context: MigrationContext): string {
  const request = context.cancelRequest;
  return request ? `cancelled by ${request.actor.subject}${request.reason ? `: ${request.reason}` : ''}` : 'the workflow was cancelled';
}

/**
 * A migration run: assessment, classification, approvals, the regulatory gate, provisioning and
 * cutover. Every human decision is an Update whose validator refuses what the caller may not
 * do; every wait is a durable timer or condition, so a run survives restarts of any process.
 * A cancellation compensates what was done. Returns its final overview (the whole status in
 * runs recorded before compact results).
 */
export async function migrationWorkflow(input: MigrationInput): Promise<MigrationOverview | MigrationStatus> {
  const context = new MigrationContext(input);
  setHandler(statusQuery, () => context.status);
  setHandler(compensationsQuery, () => context.compensations);
  registerReadHandlers(context);
  registerGateHandlers(context);
  registerCutoverHandlers(context);
  registerApprovalHandlers(context);
  registerOperatorHandlers(context);
  registerDerogationHandlers(context);
  registerRiskHandlers(context);
  startDerogationTimer(context);
  registerCutoverWindowHandlers(context);
  registerRehearsalHandlers(context);

  let outcome: RunStatus;
  let reason: string | undefined;
  try {
    outcome = await context.main.run(() => drive(context));
    if (outcome === 'REJECTED') reason = rejectionReason(context);
  } catch (error) {
    if (!isCancellation(error)) {
      if (error instanceof ApplicationFailure && error.type === FAILURE_TYPES.invalidPlan) {
        end(context, 'FAILED', error.message);
        await condition(allHandlersFinished);
      } else if (context.patched(FAILED_RUNS_SAY_SO)) {
        const failure = describeFailure(error).message;
        end(context, 'FAILED', `the run failed: ${failure}`, failure);
      }
      throw error;
    }
    await CancellationScope.nonCancellable(async () => {
      context.run.record('COMPENSATING', 'Undoing what was done', undefined, message('COMPENSATING', {}));
      await compensate(context);
    });
    outcome = 'CANCELLED';
    reason = cancellationReason(context);
  }
  end(context, outcome, reason);
  await condition(allHandlersFinished);
  return context.patched(COMPACT_RESULT) ? runOverview(context.status) : context.status;
}
