/**
 * PROVISIONING: the tenant, then per landing zone its key vault with customer-managed keys in
 * France, its location and network policies and its log forwarding, then the Microsoft 365
 * tenant if the plan moves any. Every call is idempotent; every resource made is remembered so
 * that a cancellation deletes it.
 */
import { type LandingZone, M365_TENANT_ID, stepIds } from '../../domain';
import type { MigrationContext } from './context';
import { runStep } from './operator';

/** Declares every step from the start, so that the stepper shows what is coming. */
export function declareProvisioningSteps(context: MigrationContext): void {
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

/** The provisioning steps of one gate zone (a landing zone, or `m365-tenant`). */
export function zoneProvisioningStepIds(zoneId: string): string[] {
  if (zoneId === M365_TENANT_ID) return [stepIds.m365Tenant];
  return [stepIds.landingZone(zoneId), stepIds.keyVault(zoneId), stepIds.policies(zoneId), stepIds.logForwarding(zoneId)];
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

/** The customer's tenant: it waits for nothing (R9). */
export async function provisionTenant(context: MigrationContext): Promise<string | undefined> {
  const plan = context.status.plan;
  return await created(context, stepIds.tenant, 'tenant', (idempotencyKey) =>
    context.activities.provider.createTenant({ idempotencyKey, customerId: plan.customer.id, name: plan.customer.name }),
  );
}

/** One landing zone: the zone, its key vault, its policies and its log forwarding. */
export async function provisionLandingZone(context: MigrationContext, zone: Pick<LandingZone, 'id' | 'level' | 'hds'>): Promise<void> {
  const { status } = context;
  const { provider } = context.activities;
  const tenantId = status.resources[stepIds.tenant];
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
    provider.configureLogForwarding({ idempotencyKey, landingZoneId: zoneId ?? '', siemEndpoint: `siem.${status.plan.customer.id}` }),
  );
}

/** The Microsoft 365 tenant of the plan's m365 workloads. */
export async function provisionM365Tenant(context: MigrationContext): Promise<void> {
  const { status } = context;
  const tenantId = status.resources[stepIds.tenant];
  await created(context, stepIds.m365Tenant, 'm365-tenant', (idempotencyKey) =>
    context.activities.provider.createM365Tenant({ idempotencyKey, tenantId: tenantId ?? '', name: `${status.plan.customer.id}-m365` }),
  );
}

/** Provisions everything at once, after the whole-plan gate (runs started before the gate applied per zone). */
export async function provision(context: MigrationContext): Promise<void> {
  const report = context.status.report!;
  context.run.setPhase('PROVISIONING');
  context.refreshStatus();
  declareProvisioningSteps(context);
  await provisionTenant(context);
  for (const zone of report.landingZones) await provisionLandingZone(context, zone);
  if (report.m365Tenant) await provisionM365Tenant(context);
}
