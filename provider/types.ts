/**
 * The sovereign cloud's management API as Passerelle's activities see it, and as sim-cloud
 * serves it. It lives here, below both, so that neither imports the other: activities depend
 * on this interface only, and an adapter for the real control plane can replace sim-cloud's.
 */
import type { CloudHostingLevel, ProviderCredentials as Qualifications, SecNumCloudStatus } from '../domain';

export type { SecNumCloudStatus };

/** Hosting levels a landing zone is built for, from least to most trusted. */
export type HostingLevel = CloudHostingLevel;

/** The provider's regions: all of them are in France. */
export type Region = 'francecentral' | 'francesouth';

/** A replication job copies a workload's data while the source stays live, then stops. */
export type ReplicationState = 'RUNNING' | 'COMPLETED';

/** Whether the on-premises source of a workload still accepts writes. */
export type SourceState = 'LIVE' | 'FROZEN';

/** Where a workload's DNS record sends its users. */
export type TrafficTarget = 'cloud' | 'source';

/** Outcome of a validation or smoke test. */
export type CheckOutcome = 'PASSED' | 'FAILED';

/** Every kind of resource the provider keeps, as named in each resource's `type`. */
export type ResourceType =
  | 'm365-tenant'
  | 'replication'
  | 'final-sync'
  | 'validation'
  | 'smoke-test'
  | 'dns-record'
  | 'test-launch';

/** What every resource carries: an id, its kind and when it was created (ISO 8601). */
export interface ResourceBase {
  id: string;
  type: ResourceType;
  createdAt: string;
}

/** The customer's Microsoft 365 tenant, its data located in France. */
export interface M365Tenant extends ResourceBase {
  type: 'm365-tenant';
  tenantId: string;
  name: string;
  dataLocation: 'FR';
  /** The plans (workflow ids) that use it: it is deleted when the last one releases it. */
  usedBy?: string[];
}

/** Replication of one workload's data to a landing zone or a Microsoft 365 tenant. */
export interface Replication extends ResourceBase {
  type: 'replication';
  tenantId: string;
  workloadId: string;
  /** The landing zone or Microsoft 365 tenant that receives the data. */
  targetId: string;
  sizeGb: number;
  bandwidthMbps: number;
  state: ReplicationState;
  /** Share of the data copied, from 0 to 1. */
  progress: number;
  startedAt: string;
  estimatedCompletionAt: string;
  completedAt: string | null;
}

/** The last copy of changes made after a replication, once the source is frozen. */
export interface FinalSync extends ResourceBase {
  type: 'final-sync';
  tenantId: string;
  workloadId: string;
  replicationId: string;
  completedAt: string;
}

/** One named check of a validation or smoke test. */
export interface Check {
  name: string;
  outcome: CheckOutcome;
}

/** Validation of a migrated workload's data against its frozen source. */
export interface Validation extends ResourceBase {
  type: 'validation';
  tenantId: string;
  workloadId: string;
  finalSyncId: string;
  outcome: CheckOutcome;
  checks: Check[];
}

/** A smoke test of a workload once its traffic reaches the cloud. */
export interface SmokeTest extends ResourceBase {
  type: 'smoke-test';
  tenantId: string;
  workloadId: string;
  dnsRecordId: string;
  outcome: CheckOutcome;
  checks: Check[];
}

/** The DNS record that decides whether a workload's users reach the cloud or the source. */
export interface DnsRecord extends ResourceBase {
  type: 'dns-record';
  tenantId: string;
  workloadId: string;
  name: string;
  target: TrafficTarget;
  value: string;
  updatedAt: string;
}

/** The smoke test of a test launch: checks run inside its isolated network. */
export interface TestLaunchSmokeTest {
  outcome: CheckOutcome;
  checks: Check[];
  at: string;
}

/**
 * A rehearsal's test instance of a workload, started from its completed replication in an
 * isolated test network: no route to the source or to production, no DNS record. Launching,
 * smoke-testing and tearing it down never change the source's state or the workload's DNS.
 */
export interface TestLaunch extends ResourceBase {
  type: 'test-launch';
  tenantId: string;
  workloadId: string;
  replicationId: string;
  /** The isolated test network, one per launch. */
  network: string;
  /** Where testers reach the instance inside that network. */
  address: string;
  smokeTest: TestLaunchSmokeTest | null;
}

/** Each resource type's representation. */
export interface ResourceByType {
  'm365-tenant': M365Tenant;
  replication: Replication;
  'final-sync': FinalSync;
  validation: Validation;
  'smoke-test': SmokeTest;
  'dns-record': DnsRecord;
  'test-launch': TestLaunch;
}

/** Any resource the provider keeps. */
export type Resource = ResourceByType[ResourceType];

/** The state of a workload's on-premises source. */
export interface WorkloadSource {
  tenantId: string;
  workloadId: string;
  state: SourceState;
  changedAt: string;
}

/** Where one workload stands in its cutover: the latest of each step, or null before it. */
export interface WorkloadStatus {
  tenantId: string;
  workloadId: string;
  source: WorkloadSource;
  replication: Replication | null;
  finalSync: FinalSync | null;
  validation: Validation | null;
  dnsRecord: DnsRecord | null;
  smokeTest: SmokeTest | null;
}

/** The provider's own qualifications, which the regulatory gate waits on. */
export interface ProviderCredentials extends Qualifications {
  /** When the provider's status last changed (ISO 8601). */
  updatedAt: string;
}

/** Per-call options: activities pass their cancellation signal here. */
export interface ProviderCallOptions {
  signal?: AbortSignal;
}

/**
 * The key that makes a mutating call safe to repeat: the provider answers a repeated key with
 * its first answer. Derive it from the workflow id and the step id so that retries reuse it.
 */
export interface Idempotent {
  idempotencyKey: string;
}

/** Arguments of {@link CloudProvider.createM365Tenant}. */
export interface CreateM365TenantRequest extends Idempotent {
  tenantId: string;
  name: string;
  /** The plan (its workflow id) that uses it. */
  usedBy: string;
}

/** Arguments of {@link CloudProvider.releaseM365Tenant}. */
export interface ReleaseM365TenantRequest extends Idempotent {
  id: string;
  /** The plan (its workflow id) that no longer uses it. */
  usedBy: string;
}

/** What a release did: deleted the Microsoft 365 tenant, or kept it for the other plans that use it. */
export interface M365TenantRelease {
  deleted: boolean;
  /** The other plans still using it, when kept. */
  stillUsedBy: string[];
}

/** Names one workload of a tenant. */
export interface WorkloadRef {
  tenantId: string;
  workloadId: string;
}

/** Arguments of {@link CloudProvider.startReplication}. */
export interface StartReplicationRequest extends Idempotent, WorkloadRef {
  targetId: string;
  sizeGb: number;
  bandwidthMbps: number;
}

/** Arguments of {@link CloudProvider.switchTraffic}. */
export interface SwitchTrafficRequest extends Idempotent, WorkloadRef {
  target: TrafficTarget;
}

/** Arguments of {@link CloudProvider.getResource}. */
export interface GetResourceRequest<T extends ResourceType> {
  type: T;
  id: string;
}

/** Arguments of {@link CloudProvider.deleteResource}. */
export interface DeleteResourceRequest extends Idempotent {
  type: ResourceType;
  id: string;
}

/** Names one test launch, for a call that changes it. */
export interface TestLaunchRef extends Idempotent {
  launchId: string;
}

/**
 * The sovereign cloud's control plane, one method per operation. Mutating methods are
 * idempotent on `idempotencyKey`. Failures are the named errors of `./errors`:
 * `ProviderUnavailableError` (retryable), `ProviderRejectedError` and `ProviderNotFoundError`.
 */
export interface CloudProvider {
  /** The provider's SecNumCloud and HDS status, as the regulatory gate reads it. */
  getQualifications(options?: ProviderCallOptions): Promise<ProviderCredentials>;
  /**
   * The customer's Microsoft 365 tenant (one per customer): found by name under the tenant, or
   * created, and in either case recorded as used by the plan.
   */
  createM365Tenant(request: CreateM365TenantRequest, options?: ProviderCallOptions): Promise<M365Tenant>;
  /** Gives back one plan's use of the Microsoft 365 tenant; deletes it only when no other plan uses it. Releasing what is gone succeeds. */
  releaseM365Tenant(request: ReleaseM365TenantRequest, options?: ProviderCallOptions): Promise<M365TenantRelease>;
  /** Starts copying a workload's data to a landing zone or Microsoft 365 tenant. */
  startReplication(request: StartReplicationRequest, options?: ProviderCallOptions): Promise<Replication>;
  /** A replication job with its current progress. */
  getReplication(request: { replicationId: string }, options?: ProviderCallOptions): Promise<Replication>;
  /** Where a workload stands: source state and the latest result of each cutover step. */
  getWorkload(request: WorkloadRef, options?: ProviderCallOptions): Promise<WorkloadStatus>;
  /** Stops writes on the workload's source so that a final sync can catch up. */
  freezeSource(request: Idempotent & WorkloadRef, options?: ProviderCallOptions): Promise<WorkloadSource>;
  /** Reopens the source for writes; refused while traffic points at the cloud. */
  unfreezeSource(request: Idempotent & WorkloadRef, options?: ProviderCallOptions): Promise<WorkloadSource>;
  /** Copies the last changes; needs a frozen source and a completed replication. */
  finalSync(request: Idempotent & WorkloadRef, options?: ProviderCallOptions): Promise<FinalSync>;
  /** Checks the migrated data against the frozen source; needs a final sync. */
  validateWorkload(request: Idempotent & WorkloadRef, options?: ProviderCallOptions): Promise<Validation>;
  /** Points the workload's DNS record at the cloud (needs a frozen, validated workload) or back at the source. */
  switchTraffic(request: SwitchTrafficRequest, options?: ProviderCallOptions): Promise<DnsRecord>;
  /** Smoke-tests a workload whose traffic reaches the cloud. */
  smokeTest(request: Idempotent & WorkloadRef, options?: ProviderCallOptions): Promise<SmokeTest>;
  /** Launches a test instance of a replicated workload in an isolated network (a rehearsal); touches neither the source nor DNS. */
  launchTestInstance(request: Idempotent & WorkloadRef, options?: ProviderCallOptions): Promise<TestLaunch>;
  /** Smoke-tests a test launch inside its isolated network; answers the launch with its result. */
  smokeTestLaunch(request: TestLaunchRef, options?: ProviderCallOptions): Promise<TestLaunch>;
  /** Tears a test launch and its network down; tearing down what is gone succeeds. */
  tearDownTestLaunch(request: TestLaunchRef, options?: ProviderCallOptions): Promise<void>;
  /** Reads any resource by type and id. */
  getResource<T extends ResourceType>(request: GetResourceRequest<T>, options?: ProviderCallOptions): Promise<ResourceByType[T]>;
  /** Deletes a resource and everything under it; deleting what does not exist succeeds, for compensation. */
  deleteResource(request: DeleteResourceRequest, options?: ProviderCallOptions): Promise<void>;
}
