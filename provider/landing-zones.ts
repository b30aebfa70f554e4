/**
 * The landing-zone port: what Passerelle provisions for a customer on the provider's control
 * plane (tenant onboarding, landing zones per hosting level and HDS flag, key vaults with
 * customer-managed keys, location and network policies, log forwarding), how it gives it back
 * on cancel, and how it checks that nothing drifted. The ARM adapter implements it over Azure
 * Resource Manager; replication and cutover stay on {@link CloudProvider}.
 *
 * Names are deterministic from customer, level and HDS flag, so every call converges: a retried
 * call never creates a second resource, and a second plan of the customer finds what the first
 * one made. Shared resources carry the plans that use them (`usedBy`), so that releasing one
 * plan's use deletes a resource only when no other plan still uses it.
 */
import type { HostingLevel, ProviderCallOptions, Region } from './types';

/** The plan (its workflow id) on whose behalf a resource is provisioned or released. */
export interface PlanReference {
  usedBy: string;
}

/** What a provisioning call answers: the resource's id, and whether it existed before the call. */
export interface ProvisionedResource {
  id: string;
  name: string;
  /** True when the resource was already there (made by an earlier attempt or another plan). */
  existed: boolean;
}

/** Arguments of {@link LandingZoneProvider.onboardTenant}. */
export interface OnboardTenantRequest extends PlanReference {
  customerId: string;
  name: string;
}

/** Arguments of {@link LandingZoneProvider.createLandingZone}. */
export interface CreateLandingZoneArguments extends PlanReference {
  tenantId: string;
  /** The zone's id in the plan, shown as its display name. */
  name: string;
  level: HostingLevel;
  hds: boolean;
}

/** Arguments of the calls that add to a landing zone. */
export interface LandingZoneRequest extends PlanReference {
  landingZoneId: string;
}

/** The kinds of resource the landing-zone port provisions and releases. */
export type LandingZoneResourceType = 'tenant' | 'landing-zone' | 'key-vault' | 'policy-assignment' | 'log-forwarding';

/** Arguments of {@link LandingZoneProvider.release}. */
export interface ReleaseRequest extends PlanReference {
  type: LandingZoneResourceType;
  id: string;
}

/** What a release did: deleted the resource, or kept it for the other plans that use it. */
export interface ReleaseOutcome {
  deleted: boolean;
  /** The other plans still using it, when kept. */
  stillUsedBy: string[];
}

/** The checks of a drift report. */
export type DriftCheck = 'resource-present' | 'subscription-placement' | 'location' | 'policy-assigned' | 'key-enabled' | 'public-network-access' | 'log-forwarding';

/** One way a landing zone no longer matches what was provisioned. */
export interface DriftFinding {
  check: DriftCheck;
  resourceId: string;
  expected: string;
  actual: string;
}

/** Arguments of {@link LandingZoneProvider.checkDrift}: the zone, its level, and what was provisioned in it. */
export interface DriftCheckRequest {
  landingZoneId: string;
  level: HostingLevel;
  /** What the run provisioned (a step an operator skipped is not expected); everything when unset. */
  provisioned?: { keyVault: boolean; policies: boolean; logForwarding: boolean };
}

/** The landing zone's provider, as the provisioning activities and compensation see it. */
export interface LandingZoneProvider {
  /** The region resources are created in. */
  readonly region: Region;
  /** The customer's tenant: its management group and resource group, found or created. */
  onboardTenant(request: OnboardTenantRequest, options?: ProviderCallOptions): Promise<ProvisionedResource>;
  /** The landing zone of a level and HDS flag under the customer's tenant (with its own subscription, or in the one given), found or created. */
  createLandingZone(request: CreateLandingZoneArguments, options?: ProviderCallOptions): Promise<ProvisionedResource>;
  /** The landing zone's key vault (HSM-backed, purge protection on) with the customer-managed key, in France. */
  createKeyVault(request: LandingZoneRequest, options?: ProviderCallOptions): Promise<ProvisionedResource>;
  /** Allowed locations (France only) and, above STANDARD, a ban on public network access. */
  assignPolicies(request: LandingZoneRequest & { level: HostingLevel }, options?: ProviderCallOptions): Promise<ProvisionedResource>;
  /** Forwards the key vault's logs to the customer's log workspace (`siemEndpoint`). */
  configureLogForwarding(request: LandingZoneRequest & { siemEndpoint: string }, options?: ProviderCallOptions): Promise<ProvisionedResource>;
  /** Gives back one plan's use of a resource; deletes it only when no other plan uses it. */
  release(request: ReleaseRequest, options?: ProviderCallOptions): Promise<ReleaseOutcome>;
  /** What no longer matches in a landing zone of `level`: empty when nothing drifted. */
  checkDrift(request: DriftCheckRequest, options?: ProviderCallOptions): Promise<DriftFinding[]>;
}
