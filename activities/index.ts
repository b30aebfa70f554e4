import { Context } from '@temporalio/activity';
import {
  assessPlan,
  checkCutoverWindows,
  checkRehearsals,
  classifyPlan,
  type ClassificationReport,
  type CutoverWindowRule,
  LANGUAGES,
  type Message,
  type NextWindow,
  nextCutoverWindow,
  type Plan,
  type AssessmentReport,
  renderStoredMessage,
  validatePlan,
} from '../domain';
import { CheckFailedError, InvalidPlanError, LandingZoneDriftError } from './errors';
import type { CloudProvider, DriftCheckRequest, DriftFinding, HostingLevel, LandingZoneProvider, LandingZoneResourceType, ProviderCredentials, ReleaseOutcome, Replication, ResourceType, TrafficTarget } from '../provider';

/** A message to the people who follow a run: reminders, escalations, calls for an operator. */
export interface Notification {
  workflowId: string;
  customerId: string;
  kind: 'APPROVAL_REMINDER' | 'APPROVAL_OVERDUE' | 'STEP_NEEDS_ATTENTION' | 'RUN_ENDED';
  /** In English; runs with message codes also send {@link text}. */
  message: string;
  /** The same message as a code with parameters (domain/messages), which the webhook receives rendered in each language too. */
  text?: Message;
  approvalId?: string;
  stepId?: string;
  role?: string;
}

export interface ActivityDependencies {
  /** The migration service: qualifications, the Microsoft 365 tenant, replication and cutover. */
  provider: CloudProvider;
  /** The landing zones' control plane (ARM): tenant, landing zones, key vaults, policies, log forwarding. */
  landingZones: LandingZoneProvider;
  /** Optional webhook that receives every notification as JSON. */
  notifyWebhookUrl?: string;
  fetch?: typeof fetch;
  /**
   * The longest wait between two reads (and heartbeats) of a running replication; shorter when the
   * job's own estimate says it completes sooner (see {@link replicationPollDelay}).
   */
  replicationPollMs?: number;
}

/** The shortest wait between two reads of a running replication, so that a job late on its estimate is not read in a tight loop. */
export const MIN_REPLICATION_POLL_MS = 5;
/** Added to a job's remaining time so that the next read falls just after its estimated completion, not just before. */
const REPLICATION_POLL_MARGIN_MS = 2;

/**
 * How long to wait before reading a running replication again: until the job should complete by
 * its own figures (the remaining share of its start-to-estimate duration, which does not depend on
 * the provider's clock agreeing with ours), at least {@link MIN_REPLICATION_POLL_MS} doubled for
 * each read that found it still running past its estimate, and at most `maxMs`.
 */
export function replicationPollDelay(job: Pick<Replication, 'progress' | 'startedAt' | 'estimatedCompletionAt'>, latePolls: number, maxMs: number): number {
  const durationMs = Date.parse(job.estimatedCompletionAt) - Date.parse(job.startedAt);
  const remainingMs = (1 - job.progress) * durationMs;
  if (!Number.isFinite(remainingMs)) return maxMs;
  const floorMs = MIN_REPLICATION_POLL_MS * 2 ** latePolls;
  return Math.min(maxMs, Math.max(floorMs, Math.ceil(remainingMs) + REPLICATION_POLL_MARGIN_MS));
}

/** Arguments common to every call that changes the provider: the key that makes it repeatable. */
interface Keyed {
  idempotencyKey: string;
}

interface WorkloadCall extends Keyed {
  tenantId: string;
  workloadId: string;
}

/** What the landing-zone port provisions and releases; other resources belong to the migration service. */
const LANDING_ZONE_RESOURCE_TYPES: readonly string[] = ['tenant', 'landing-zone', 'key-vault', 'policy-assignment', 'log-forwarding'] satisfies LandingZoneResourceType[];
const isLandingZoneResource = (type: string): type is LandingZoneResourceType => LANDING_ZONE_RESOURCE_TYPES.includes(type);

function signal(): AbortSignal {
  return Context.current().cancellationSignal;
}

/**
 * The plan on whose behalf a shared resource is provisioned or released: the run's workflow id,
 * which stays the same across retries and continue-as-new.
 */
function plan(): string {
  const execution = Context.current().info.workflowExecution;
  if (!execution) throw new Error('Provisioning activities run on behalf of a migration run, not standalone.');
  return execution.workflowId;
}

/**
 * Builds the activities over their dependencies (STYLE.md: factories); the worker passes the
 * HTTP provider, tests pass what they need.
 */
export function createActivities(deps: ActivityDependencies) {
  const { provider, landingZones } = deps;
  const doFetch = deps.fetch ?? fetch;
  const pollMs = deps.replicationPollMs ?? 1000;

  return {
    /** ASSESSMENT and CLASSIFICATION: validates the plan again and applies docs/rules.md. */
    async analysePlan(plan: Plan): Promise<{ plan: Plan; assessment: AssessmentReport; report: ClassificationReport }> {
      const validation = validatePlan(plan);
      if (!validation.ok) throw new InvalidPlanError(validation.errors);
      const report = classifyPlan(validation.plan);
      const windowIssues = [...checkCutoverWindows(validation.plan, report, Date.now()), ...checkRehearsals(validation.plan, report)];
      if (windowIssues.length > 0) throw new InvalidPlanError(windowIssues);
      return { plan: validation.plan, assessment: assessPlan(validation.plan, report), report };
    },

    /**
     * Logs a notification and posts it to the webhook when one is configured, with its message
     * rendered in every language (`texts`) when it carries a message code.
     */
    async notify(notification: Notification): Promise<void> {
      Context.current().log.info('notification', { ...notification });
      if (!deps.notifyWebhookUrl) return;
      const { text } = notification;
      const texts = text === undefined ? undefined : Object.fromEntries(LANGUAGES.map((language) => [language, renderStoredMessage(text, language)]));
      const response = await doFetch(deps.notifyWebhookUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(texts === undefined ? notification : { ...notification, texts }),
        signal: AbortSignal.any([signal(), AbortSignal.timeout(5000)]),
      });
      await response.body?.cancel();
      if (!response.ok) throw new Error(`The notification webhook answered ${response.status}`);
    },

    /**
     * The next cutover window that holds a wave's switchover (domain/cutover-windows.ts). A
     * local activity: the time-zone database it reads may change with the platform, so the
     * wave takes the answer from its history rather than computing it in the workflow.
     */
    async nextCutoverWindow(request: {
      rule: CutoverWindowRule;
      now: string;
      durationMs: number;
      exceptional: Array<{ opensAt: string; closesAt: string }>;
    }): Promise<NextWindow | null> {
      return nextCutoverWindow({ rule: request.rule, nowMs: Date.parse(request.now), durationMs: request.durationMs, exceptional: request.exceptional }) ?? null;
    },

    /** The regulatory gate's input (R9): the provider's qualification and certification. */
    async readProviderCredentials(): Promise<ProviderCredentials> {
      return await provider.getQualifications({ signal: signal() });
    },

    /*
     * Provisioning through the landing-zone port. ARM names are deterministic from customer,
     * level and HDS flag, so a PUT converges and a retry never creates a second resource: the
     * idempotency key and the display names the workflow passes (recorded in histories) are
     * not needed to make these calls safe to repeat.
     */

    /** The customer's tenant, found or created; shared by every plan of the customer. */
    async createTenant(request: Keyed & { customerId: string; name: string }): Promise<string> {
      return (await landingZones.onboardTenant({ customerId: request.customerId, name: request.name, usedBy: plan() }, { signal: signal() })).id;
    },

    /** The landing zone of a level and HDS flag, found or created; shared by the customer's plans that need it. */
    async createLandingZone(request: Keyed & { tenantId: string; name: string; level: HostingLevel; hds: boolean }): Promise<string> {
      const { tenantId, name, level, hds } = request;
      return (await landingZones.createLandingZone({ tenantId, name, level, hds, usedBy: plan() }, { signal: signal() })).id;
    },

    /** Customer-managed keys (HSM), located in France, with purge protection. */
    async createKeyVault(request: Keyed & { landingZoneId: string; name: string }): Promise<string> {
      return (await landingZones.createKeyVault({ landingZoneId: request.landingZoneId, usedBy: plan() }, { signal: signal() })).id;
    },

    /** French locations only; no public network access at SECNUMCLOUD and above (ANSSI guide). */
    async assignPolicies(request: Keyed & { landingZoneId: string; name: string; level: HostingLevel }): Promise<string> {
      return (await landingZones.assignPolicies({ landingZoneId: request.landingZoneId, level: request.level, usedBy: plan() }, { signal: signal() })).id;
    },

    /** The landing zone's logs to the customer's log workspace. */
    async configureLogForwarding(request: Keyed & { landingZoneId: string; siemEndpoint: string }): Promise<string> {
      const { landingZoneId, siemEndpoint } = request;
      return (await landingZones.configureLogForwarding({ landingZoneId, siemEndpoint, usedBy: plan() }, { signal: signal() })).id;
    },

    /** The customer's Microsoft 365 tenant, found or created; shared by every plan of the customer that moves m365 workloads. */
    async createM365Tenant(request: Keyed & { tenantId: string; name: string }): Promise<string> {
      return (await provider.createM365Tenant({ ...request, usedBy: plan() }, { signal: signal() })).id;
    },

    /**
     * Before cutover: the landing zone still matches what was provisioned (policies assigned,
     * key enabled, locations unchanged). Fails, without retry, naming every difference.
     */
    async checkLandingZoneDrift(request: DriftCheckRequest): Promise<DriftFinding[]> {
      const findings = await landingZones.checkDrift(request, { signal: signal() });
      if (findings.length > 0) throw new LandingZoneDriftError(request.landingZoneId, findings);
      return findings;
    },

    /**
     * Compensation: gives back this plan's use of a resource. A landing-zone resource is deleted
     * only when no other plan of the customer uses it; deleting what does not exist succeeds,
     * so it is safe to repeat.
     */
    async deleteResource(request: Keyed & { type: ResourceType | LandingZoneResourceType; id: string }): Promise<void> {
      const { type, id, idempotencyKey } = request;
      if (isLandingZoneResource(type)) {
        await landingZones.release({ type, id, usedBy: plan() }, { signal: signal() });
        return;
      }
      if (type === 'm365-tenant') {
        await provider.releaseM365Tenant({ idempotencyKey, id, usedBy: plan() }, { signal: signal() });
        return;
      }
      await provider.deleteResource({ type, id, idempotencyKey }, { signal: signal() });
    },

    /**
     * A clean-up's undo (workflows/cleanup.ts): gives back the use that `usedBy`, the closed run,
     * made of a resource, since the clean-up's own workflow is not the plan that used it. Says
     * whether the resource went, or which other plans keep it.
     */
    async releaseRunResource(request: Keyed & { type: ResourceType; id: string; usedBy: string }): Promise<ReleaseOutcome> {
      if (LANDING_ZONE_RESOURCE_TYPES.includes(request.type)) {
        return await landingZones.release({ type: request.type as LandingZoneResourceType, id: request.id, usedBy: request.usedBy }, { signal: signal() });
      }
      if (request.type === 'm365-tenant') {
        return await provider.releaseM365Tenant({ idempotencyKey: request.idempotencyKey, id: request.id, usedBy: request.usedBy }, { signal: signal() });
      }
      await provider.deleteResource({ idempotencyKey: request.idempotencyKey, type: request.type, id: request.id }, { signal: signal() });
      return { deleted: true, stillUsedBy: [] };
    },

    /**
     * Copies a workload's data while its source stays live. Long: it heartbeats its progress
     * (which the API shows) at each read, reads again when the job should be done by its estimate
     * (at most `replicationPollMs` later), and resumes the same provider job after a worker crash, since the
     * job is keyed by the step.
     */
    async replicateWorkload(request: WorkloadCall & { targetId: string; sizeGb: number; bandwidthMbps: number }): Promise<string> {
      const context = Context.current();
      let job = await provider.startReplication(request, { signal: signal() });
      let latePolls = 0;
      while (job.state !== 'COMPLETED') {
        context.heartbeat({ workloadId: request.workloadId, progress: job.progress });
        const delayMs = replicationPollDelay(job, latePolls, pollMs);
        const dueBeforeNextRead = delayMs < pollMs;
        await context.sleep(delayMs);
        job = await provider.getReplication({ replicationId: job.id }, { signal: signal() });
        latePolls = dueBeforeNextRead ? latePolls + 1 : 0;
      }
      context.heartbeat({ workloadId: request.workloadId, progress: 1 });
      return job.id;
    },

    async freezeSource(request: WorkloadCall): Promise<void> {
      await provider.freezeSource(request, { signal: signal() });
    },

    async unfreezeSource(request: WorkloadCall): Promise<void> {
      await provider.unfreezeSource(request, { signal: signal() });
    },

    async finalSync(request: WorkloadCall): Promise<string> {
      return (await provider.finalSync(request, { signal: signal() })).id;
    },

    async validateWorkload(request: WorkloadCall): Promise<string> {
      const validation = await provider.validateWorkload(request, { signal: signal() });
      if (validation.outcome !== 'PASSED') {
        const failed = validation.checks.filter((check) => check.outcome !== 'PASSED').map((check) => check.name);
        throw new CheckFailedError(`Validation of ${request.workloadId} failed: ${failed.join(', ') || 'unknown check'}`);
      }
      return validation.id;
    },

    async switchTraffic(request: WorkloadCall & { target: TrafficTarget }): Promise<string> {
      return (await provider.switchTraffic(request, { signal: signal() })).id;
    },

    /**
     * A rehearsal's test instance of a replicated workload, in an isolated network: the source
     * and the DNS record stay as they are. Keyed by the rehearsal's step, so a retry after a
     * lost answer finds the same launch.
     */
    async launchTestInstance(request: WorkloadCall): Promise<{ launchId: string; network: string }> {
      const launch = await provider.launchTestInstance(request, { signal: signal() });
      return { launchId: launch.id, network: launch.network };
    },

    /**
     * Smoke-tests a test launch and answers its checks: a failed check is the rehearsal's
     * result for the customer to see, not an error to retry.
     */
    async smokeTestLaunch(request: Keyed & { launchId: string }): Promise<{ outcome: 'PASSED' | 'FAILED'; checks: Array<{ name: string; outcome: 'PASSED' | 'FAILED' }> }> {
      const launch = await provider.smokeTestLaunch(request, { signal: signal() });
      if (!launch.smokeTest) throw new Error(`The provider answered the smoke test of test launch ${request.launchId} without its result`);
      return { outcome: launch.smokeTest.outcome, checks: launch.smokeTest.checks };
    },

    /** Tears a test launch down; one already gone succeeds, so that the rehearsal's teardown may always be repeated. */
    async tearDownTestLaunch(request: Keyed & { launchId: string }): Promise<void> {
      await provider.tearDownTestLaunch(request, { signal: signal() });
    },

    async smokeTest(request: WorkloadCall): Promise<string> {
      const test = await provider.smokeTest(request, { signal: signal() });
      if (test.outcome !== 'PASSED') {
        const failed = test.checks.filter((check) => check.outcome !== 'PASSED').map((check) => check.name);
        throw new CheckFailedError(`Smoke test of ${request.workloadId} failed: ${failed.join(', ') || 'unknown check'}`);
      }
      return test.id;
    },
  };
}

/** The activities as workflows see them (`import type` only). */
export type MigrationActivities = ReturnType<typeof createActivities>;
