/**
 * Rehearsals (domain/rehearsals.ts): the customer's approver confirms a wave's rehearsal or
 * reports a problem with it. The decision is an Update, validated against the permission table
 * and the verified actor, audited, and forwarded to the wave that waits for it.
 */
import { getExternalWorkflowHandle, setHandler } from '@temporalio/workflow';
import { FAILURE_TYPES, rehearsalAttentionId, rehearsalDecisionRefusal, type RehearsalView } from '../../domain';
import { MAX_REHEARSAL_ATTEMPTS } from '../cutover-wave/rehearsal';
import { type DecideRehearsalInput, decideRehearsalUpdate, waveControlSignal } from '../messages';
import { nowIso } from '../run-state';
import { type MigrationContext, refuse } from './context';

function validateRehearsalDecision(context: MigrationContext, { waveId, decision, comment, actor }: DecideRehearsalInput): RehearsalView {
  const { status } = context;
  context.refuseIfFinal();
  if (actor.customerId !== status.customerId) refuse(FAILURE_TYPES.notFound, 'No such migration.');
  const wave = status.waves.find((candidate) => candidate.id === waveId);
  if (!wave) refuse(FAILURE_TYPES.notFound, `This run has no wave "${waveId}".`);
  const rehearsal = wave.rehearsal;
  if (!rehearsal) refuse(FAILURE_TYPES.notFound, `Wave "${waveId}" has no rehearsal${wave.state === 'PENDING' ? ' yet' : ''}.`);
  const refusal = rehearsalDecisionRefusal(actor, status, rehearsal);
  if (refusal) refuse(FAILURE_TYPES.forbidden, refusal.message);
  if (rehearsal.state !== 'AWAITING_DECISION') refuse(FAILURE_TYPES.conflict, `The rehearsal of ${waveId} does not wait for a decision (${rehearsal.state}).`);
  if (decision !== 'CONFIRM' && decision !== 'REPORT_PROBLEM') refuse(FAILURE_TYPES.invalid, `decision must be CONFIRM or REPORT_PROBLEM, not "${String(decision)}".`);
  if (decision === 'REPORT_PROBLEM' && !comment?.trim()) refuse(FAILURE_TYPES.invalid, 'Reporting a problem with a rehearsal needs a comment saying what went wrong.');
  return rehearsal;
}

/**
 * Refuses an operator's retry of a rehearsal that has run {@link MAX_REHEARSAL_ATTEMPTS} times:
 * each costs the wave's history, so past that the operator skips it with a reason.
 */
export function refuseRetryPastRehearsalLimit(context: MigrationContext, stepId: string): void {
  const wave = context.status.waves.find((candidate) => candidate.rehearsal && rehearsalAttentionId(candidate.id) === stepId);
  if (wave?.rehearsal && wave.rehearsal.attempt >= MAX_REHEARSAL_ATTEMPTS) {
    refuse(FAILURE_TYPES.conflict, `The rehearsal of ${wave.id} has run ${wave.rehearsal.attempt} times, the most a wave runs: skip it with a reason, or cancel the run.`);
  }
}

/** Registers the Update by which the customer's approver decides a wave's rehearsal. */
export function registerRehearsalHandlers(context: MigrationContext): void {
  const { run, status } = context;
  setHandler(
    decideRehearsalUpdate,
    async (input) => {
      const wave = status.waves.find((candidate) => candidate.id === input.waveId)!;
      const rehearsal = wave.rehearsal!;
      const comment = input.comment?.trim();
      const action = input.decision === 'CONFIRM' ? 'CONFIRM_REHEARSAL' : 'REPORT_REHEARSAL_PROBLEM';
      run.audit(input.actor, action, rehearsal.approvalId, comment);
      const decision = { decision: input.decision, by: input.actor.subject, at: nowIso(), ...(comment ? { comment } : {}) };
      // The wave sends its own view back; until then the status shows the decision as given.
      wave.rehearsal = { ...rehearsal, decision };
      if (wave.workflowId) await getExternalWorkflowHandle(wave.workflowId).signal(waveControlSignal, { action: 'rehearsal-decision', rehearsal: decision });
      context.changed();
      return wave.rehearsal;
    },
    { validator: (input: DecideRehearsalInput) => void validateRehearsalDecision(context, input) },
  );
}
