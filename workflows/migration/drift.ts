/**
 * DRIFT CHECK, between provisioning and cutover: every landing zone must still be what was
 * provisioned (resource group and vault in the region, key enabled, policies assigned and
 * enforced, log forwarding present) before workloads move into it. A drift fails its step at
 * once (LandingZoneDriftError is not retried) and the run waits for an operator, who repairs
 * the zone and retries, skips with a reason, or aborts.
 */
import { stepIds } from '../../domain';
import type { MigrationContext } from './context';
import { runStep } from './operator';
import { DRIFT_CHECK_PATCH } from './patches';


export async function checkLandingZonesBeforeCutover(context: MigrationContext): Promise<void> {
  const { run, status } = context;
  const zones = status.report!.landingZones.filter((zone) => status.resources[stepIds.landingZone(zone.id)] !== undefined);
  const pending = zones.filter((zone) => {
    const state = run.findStep(stepIds.driftCheck(zone.id))?.state;
    return state !== 'SUCCEEDED' && state !== 'SKIPPED';
  });
  // A run continued as new after its check carries the check's steps: nothing to do (and no marker, in runs recorded before patches-at-start).
  if (pending.length === 0 || !context.patched(DRIFT_CHECK_PATCH)) return;
  for (const zone of pending) {
    const stepId = stepIds.driftCheck(zone.id);
    if (!run.findStep(stepId)) run.step(stepId, 'PROVISIONING', `Drift check ${zone.id} (policies, key, location)`);
  }
  context.refreshStatus();
  // A step an operator skipped provisioned nothing: the check does not expect it.
  const made = (stepId: string) => run.findStep(stepId)?.state === 'SUCCEEDED';
  for (const zone of pending) {
    const landingZoneId = status.resources[stepIds.landingZone(zone.id)]!;
    const provisioned = { keyVault: made(stepIds.keyVault(zone.id)), policies: made(stepIds.policies(zone.id)), logForwarding: made(stepIds.logForwarding(zone.id)) };
    await runStep(context, stepIds.driftCheck(zone.id), () => context.activities.provider.checkLandingZoneDrift({ landingZoneId, level: zone.level, provisioned }));
  }
}
