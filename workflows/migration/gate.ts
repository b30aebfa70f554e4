/**
 * AWAITING_QUALIFICATION, the regulatory gate (R9): provisioning waits, durably, until the
 * provider holds the qualification the landing zones need. It checks on a timer and again
 * whenever it is told that the qualification may have changed.
 */
import { isCancellation, setHandler } from '@temporalio/workflow';
import { type Message, message, planGate, type ProviderCredentials, type QualificationNeeds, qualificationSatisfied, stepIds } from '../../domain';
import { qualificationChangedSignal } from '../messages';
import { describeFailure, nowIso } from '../run-state';
import type { MigrationContext } from './context';
import { boundedWait } from './continuation';
import { derogationsOf, endDerogationsIfQualified } from './derogations';

/** Counts the signals that tell the gate to look again. */
export function registerGateHandlers(context: MigrationContext): void {
  setHandler(qualificationChangedSignal, () => {
    context.qualificationSignals += 1;
    context.run.record('QUALIFICATION_SIGNAL', 'Told that the provider qualification may have changed', undefined, message('QUALIFICATION_SIGNALLED', {}));
  });
}

/** Asks the provider for its qualifications: what is still missing, or why it could not be read. */
async function missingQualifications(context: MigrationContext, needs: QualificationNeeds): Promise<{ missing: string[]; texts: Message[] }> {
  const { status } = context;
  try {
    // A check is a local activity in runs with bounded waits: a marker in history rather than an activity's six events.
    const read = context.boundedWaits ? context.activities.checks : context.activities.analysis;
    const credentials = await read.readProviderCredentials();
    status.gate!.credentials = { secnumcloud: credentials.secnumcloud, hds: credentials.hds };
    endDerogationsIfQualified(context, credentials);
    return qualificationSatisfied(derogationsOf(context).length === 0 ? needs : needsNotDerogated(context, credentials), credentials);
  } catch (error) {
    if (isCancellation(error)) throw error;
    const reason = describeFailure(error).message;
    return { missing: [`the provider's credentials could not be read (${reason})`], texts: [message('GATE_CREDENTIALS_UNREADABLE', { error: reason })] };
  }
}

/**
 * What the zones still need once the derogations in force are applied (R10, domain/gate.ts):
 * a zone that a derogation lets past the SecNumCloud need asks nothing more of the provider.
 */
function needsNotDerogated(context: MigrationContext, provider: ProviderCredentials): QualificationNeeds {
  const { status } = context;
  const gate = planGate({ plan: status.plan, report: status.report!, provider, derogations: derogationsOf(context), at: nowIso() });
  const waiting = gate.zones.filter((zone) => zone.state === 'WAITING');
  const secnumcloudNeededBy = waiting.filter((zone) => zone.needs.includes('SECNUMCLOUD_QUALIFICATION')).map((zone) => zone.zoneId);
  const hdsNeededBy = waiting.filter((zone) => zone.needs.includes('HDS_CERTIFICATE')).map((zone) => zone.zoneId);
  return { secnumcloud: secnumcloudNeededBy.length > 0, hds: hdsNeededBy.length > 0, secnumcloudNeededBy, hdsNeededBy };
}

/**
 * Waits until the provider holds what the landing zones need; false if the plan changed
 * meanwhile. The wait may last months: it continues as new once its history is long
 * (continuation.ts), and its step stays WAITING between checks rather than adding a timeline
 * entry per check.
 */
export async function awaitQualification(context: MigrationContext): Promise<boolean> {
  const { run, status } = context;
  const round = status.round;
  const needs = status.report!.qualificationNeeds;
  const planChanged = () => status.round !== round || context.amending;
  run.setPhase('AWAITING_QUALIFICATION');
  const step = run.step(stepIds.qualification, 'AWAITING_QUALIFICATION', 'Provider qualification (R9)');
  status.gate ??= { waitingFor: [], checks: 0 };
  const interval = context.durations().qualificationCheckIntervalMs;
  for (;;) {
    if (planChanged()) return false;
    if (!context.boundedWaits || step.state !== 'WAITING') run.setStepState(step.id, 'RUNNING');
    const { missing, texts } = await missingQualifications(context, needs);
    status.gate.checks += 1;
    status.gate.lastCheckedAt = nowIso();
    status.gate.waitingFor = missing;
    if (run.messageCodes) status.gate.waitingForText = texts;
    if (planChanged()) return false;
    if (missing.length === 0) {
      run.setStepState(step.id, 'SUCCEEDED');
      return true;
    }
    if (!context.boundedWaits || step.state !== 'WAITING') run.setStepState(step.id, 'WAITING');
    else run.touch();
    context.refreshStatus();
    const seenSignals = context.qualificationSignals;
    const seenChanges = context.changes;
    await boundedWait(context, () => context.qualificationSignals !== seenSignals || context.changes !== seenChanges, interval);
  }
}
