/**
 * PROVISIONING: the tenant, then per landing zone its key vault with customer-managed keys in
 * France, its location and network policies and its log forwarding, then the Microsoft 365
 * tenant if the plan moves any. Every call is idempotent; every resource made is remembered so
 * that a cancellation deletes it.
 */
import { stepIds } from '../../domain';
import type { MigrationContext } from './context';
import { runStep } from './operator';

/** Declares every step from the start, so that the stepper shows what is coming. */
function declareProvisioningSteps(context: MigrationContext): void {
  const { run } = context;
  const report = context.status.report!;
  run.step(stepIds.tenant, 'PROVISIONING', 'Tenant');
  for (const zone of report.landingZones) {
    run.step(stepIds.landingZone(zone.id), 'PROVISIONING', `Landing zone ${zone.id}`);
    run.step(stepIds.keyVault(zone.id), 'PROVISIONING', `Key vault ${zone.id} (customer-managed keys, France)`);
    run.step(stepIds.policies(zone.id), 'PROVISIONING', `Location and network policies ${zone.id}`);
    run.step(stepIds.logForwarding(zone.id), 'PROVISIONING', `Log forwarding ${zone.id}`);
  }
  if (report.m365Tenant) run.step(stepIds.m365Tenant, 'PROVISIONING', 'Microsoft 365 tenant');
}

/** Runs a step that creates a resource, and remembers the resource so that an abort deletes it. */
async function created(context: MigrationContext, stepId: string, resourceType: string, create: (key: string) => Promise<string>): Promise<string | undefined> {
  const { status } = context;
  const id = await runStep(context, stepId, create);
  if (id !== undefined && status.resources[stepId] === undefined) {
    status.resources[stepId] = id;
    context.compensations.push({ kind: 'delete', stepId, resourceType, resourceId: id });
  }
  return id;
}

export async function provision(context: MigrationContext): Promise<void> {
  const report = context.status.report!;
  const plan = context.status.plan;
  const { provider } = context.activities;
  context.run.setPhase('PROVISIONING');
  context.refreshStatus();
  declareProvisioningSteps(context);

  const tenantId = await created(context, stepIds.tenant, 'tenant', (idempotencyKey) =>
    provider.createTenant({ idempotencyKey, customerId: plan.customer.id, name: plan.customer.name }),
  );
  for (const zone of report.landingZones) {
    const zoneId = await created(context, stepIds.landingZone(zone.id), 'landing-zone', (idempotencyKey) =>
      provider.createLandingZone({ idempotencyKey, tenantId: tenantId ?? '', name: zone.id, level: zone.level, hds: zone.hds }),
    );
    await created(context, stepIds.keyVault(zone.id), 'key-vault', (idempotencyKey) =>
      provider.createKeyVault({ idempotencyKey, landingZoneId: zoneId ?? '', name: `kv-${zone.id}` }),
    );
    await created(context, stepIds.policies(zone.id), 'policy-assignment', (idempotencyKey) =>
      provider.assignPolicies({ idempotencyKey, landingZoneId: zoneId ?? '', name: `policies-${zone.id}`, level: zone.level }),
    );
    await created(context, stepIds.logForwarding(zone.id), 'log-forwarding', (idempotencyKey) =>
      provider.configureLogForwarding({ idempotencyKey, landingZoneId: zoneId ?? '', siemEndpoint: `siem.${plan.customer.id}` }),
    );
  }
  if (report.m365Tenant) {
    await created(context, stepIds.m365Tenant, 'm365-tenant', (idempotencyKey) =>
      provider.createM365Tenant({ idempotencyKey, tenantId: tenantId ?? '', name: `${plan.customer.id}-m365` }),
    );
  }
}
