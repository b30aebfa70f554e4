/**
 * The regulatory gate per landing zone (R9), for runs started since it applies per zone: once
 * the plan is approved the tenant is provisioned (it waits for nothing); each check of the
 * provider plans the gate (domain/gate.ts, planGate), provisions the zones that may proceed and
 * cuts over the workloads that may proceed (their zone and the zones of what they rely on are
 * clear), then waits for the next check while other zones wait. A derogation in force (R10,
 * workflows/migration/derogations.ts) lets its zone through as planGate says. The run is done when every
 * zone is provisioned and every migrating workload has moved. Every piece of progress lives in
 * the status (steps, waves, gate), so that a wait that continues as new resumes where it was.
 */
import { isCancellation } from '@temporalio/workflow';
import { type GatePlan, gateStatus, isStepSettled, M365_TENANT_ID, message, planGate, stepIds } from '../../domain';
import { describeFailure, nowIso } from '../run-state';
import type { MigrationContext } from './context';
import { boundedWait } from './continuation';
import { cutoverPlannedWaves, planWaveBatch, wavesLeft } from './cutover';
import { derogationsOf, endDerogationsIfQualified } from './derogations';
import { declareProvisioningSteps, provisionLandingZone, provisionM365Tenant, provisionTenant, zoneProvisioningStepIds } from './provisioning';

/** Whether every provisioning step of a gate zone is done (succeeded, or skipped by an operator). */
function zoneProvisioned(context: MigrationContext, zoneId: string): boolean {
  return zoneProvisioningStepIds(zoneId).every((stepId) => {
    const step = context.run.findStep(stepId);
    return step !== undefined && isStepSettled(step.state);
  });
}

/**
 * One check of the provider, planned per zone: the gate in the status (per zone what it waits
 * for), or undefined when the provider could not be read (the status then says why, and the
 * run checks again later).
 */
async function checkGate(context: MigrationContext): Promise<GatePlan | undefined> {
  const { status } = context;
  const gate = (status.gate ??= { waitingFor: [], checks: 0 });
  let result: GatePlan | undefined;
  try {
    const credentials = await context.activities.checks.readProviderCredentials();
    gate.credentials = { secnumcloud: credentials.secnumcloud, hds: credentials.hds };
    endDerogationsIfQualified(context, credentials);
    // R10: a derogation in force lets its zone past the SecNumCloud need.
    result = planGate({ plan: status.plan, report: status.report!, provider: credentials, derogations: derogationsOf(context), at: nowIso() });
    const shown = gateStatus(result, credentials, (zoneId) => zoneProvisioned(context, zoneId));
    gate.waitingFor = shown.waitingFor;
    if (context.run.messageCodes) gate.waitingForText = shown.waitingForText;
    gate.zones = shown.zones;
  } catch (error) {
    if (isCancellation(error)) throw error;
    const reason = describeFailure(error).message;
    gate.waitingFor = [`the provider's credentials could not be read (${reason})`];
    if (context.run.messageCodes) gate.waitingForText = [message('GATE_CREDENTIALS_UNREADABLE', { error: reason })];
  }
  gate.checks += 1;
  gate.lastCheckedAt = nowIso();
  return result;
}

/** Provisions the clear zones not yet provisioned; true if it provisioned any. */
async function provisionClearZones(context: MigrationContext, gate: GatePlan): Promise<boolean> {
  const report = context.status.report!;
  const pending = gate.zones.filter((zone) => zone.state === 'CLEAR' && !zoneProvisioned(context, zone.zoneId));
  if (pending.length === 0) return false;
  context.run.setPhase('PROVISIONING');
  context.refreshStatus();
  for (const zone of pending) {
    if (zone.zoneId === M365_TENANT_ID) await provisionM365Tenant(context);
    else await provisionLandingZone(context, report.landingZones.find((candidate) => candidate.id === zone.zoneId)!);
  }
  return true;
}

/** Shows the provisioned zones as such in the gate's status, without waiting for the next check. */
function refreshProvisioned(context: MigrationContext): void {
  for (const zone of context.status.gate?.zones ?? []) zone.provisioned = zoneProvisioned(context, zone.zoneId);
}

/**
 * From approval to the last zone: the tenant, then per check of the provider the zones and
 * workloads that may proceed, and a bounded wait for the next check while any zone waits.
 */
export async function deliverByZone(context: MigrationContext): Promise<void> {
  const { run, status } = context;
  const gateStep = run.step(stepIds.qualification, 'AWAITING_QUALIFICATION', 'Provider qualification (R9)');
  declareProvisioningSteps(context);
  const tenantDone = () => isStepSettled(run.findStep(stepIds.tenant)!.state);
  if (!tenantDone()) run.setPhase('AWAITING_QUALIFICATION');
  const interval = context.durations().qualificationCheckIntervalMs;
  for (;;) {
    const gate = await checkGate(context);
    if (!tenantDone()) {
      run.setPhase('PROVISIONING');
      context.refreshStatus();
      await provisionTenant(context);
    }
    if (gate) {
      const provisioned = await provisionClearZones(context, gate);
      const planned = new Set(status.waves.flatMap((wave) => wave.workloadIds));
      const batch = planWaveBatch(context, gate.proceedingWorkloadIds.filter((id) => !planned.has(id)));
      if (wavesLeft(context)) await cutoverPlannedWaves(context, new Set(gate.proceedingWorkloadIds));
      refreshProvisioned(context);
      if (gate.allClear) {
        if (gateStep.state !== 'SUCCEEDED') run.setStepState(gateStep.id, 'SUCCEEDED');
        // A wave left waits for the owners of its open residual risks (workflows/migration/risks.ts).
        if (!wavesLeft(context)) return;
      }
      // Something moved: look again at once, since the provider may have changed meanwhile.
      if (provisioned || batch > 0) continue;
    }
    if (gate?.allClear) run.setPhase('CUTOVER');
    else {
      run.setPhase('AWAITING_QUALIFICATION');
      if (gateStep.state !== 'WAITING') run.setStepState(gateStep.id, 'WAITING');
      else run.touch();
    }
    context.refreshStatus();
    const seenSignals = context.qualificationSignals;
    const seenChanges = context.changes;
    await boundedWait(context, () => context.qualificationSignals !== seenSignals || context.changes !== seenChanges, interval);
  }
}
