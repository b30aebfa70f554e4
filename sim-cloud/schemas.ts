import { z } from 'zod';

/** SecNumCloud status of the provider: qualification milestones, then QUALIFIED. */
export const SECNUMCLOUD_STATUSES = ['J0', 'J1', 'J2', 'QUALIFIED'] as const;

/** Ways an armed fault can break an operation. */
export const FAULT_MODES = ['error', 'latency', 'hang'] as const;

const label = z.string().trim().min(1).max(200);

/**
 * Body of createM365Tenant: the tenant's name, and the plan (its workflow id) that uses it. A
 * customer has one Microsoft 365 tenant: a second plan's call finds it by name and is recorded
 * as one more user.
 */
export const createM365TenantBody = z.strictObject({ name: label, usedBy: label });

/** Body of releaseM365Tenant: the plan that no longer uses the tenant. */
export const releaseM365TenantBody = z.strictObject({ usedBy: label });

/** Body of startReplication. */
export const startReplicationBody = z.strictObject({
  targetId: label,
  sizeGb: z.number().nonnegative().max(10_000_000),
  bandwidthMbps: z.number().positive().max(1_000_000),
});

/** Body of switchTraffic. */
export const switchTrafficBody = z.strictObject({ target: z.enum(['cloud', 'source']) });

/** Body of the workload steps that take no input (freeze, final sync, validation, smoke test, delete). */
export const emptyBody = z.strictObject({});

/** Body of PUT /admin/credentials. */
export const credentialsBody = z.strictObject({ secnumcloud: z.enum(SECNUMCLOUD_STATUSES), hds: z.boolean() });

/** Body of PUT /admin/settings: the settings given change, the others keep their value. */
export const settingsBody = z.strictObject({
  replicationSpeedFactor: z.number().positive().max(1_000_000_000).optional(),
  /** Workloads whose rehearsal test instances fail their smoke test. */
  brokenTestWorkloads: z.array(label).max(1000).optional(),
});

/** Body of POST /admin/faults; whether `operation` exists is checked against the route table (422). */
export const armFaultBody = z
  .strictObject({
    operation: label,
    mode: z.enum(FAULT_MODES),
    times: z.int().min(1).max(1_000_000).default(1),
    latencyMs: z.int().min(0).max(600_000).optional(),
    status: z.int().min(400).max(599).default(503),
  })
  .refine((fault) => fault.mode !== 'latency' || fault.latencyMs !== undefined, {
    path: ['latencyMs'],
    message: 'a latency fault needs latencyMs',
  });

/** A fault to arm, as validated. */
export type ArmFaultInput = z.infer<typeof armFaultBody>;

/** Body of POST /admin/arm/drift: an out-of-band change to an ARM resource. */
export const armDriftBody = z.strictObject({
  id: z.string().min(1),
  location: z.string().min(1).optional(),
  properties: z.record(z.string(), z.unknown()).optional(),
});

/** Body of POST /admin/arm/remove: an out-of-band deletion of an ARM resource. */
export const armRemoveBody = z.strictObject({ id: z.string().min(1) });
