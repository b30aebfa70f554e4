import { z } from 'zod';

/** The provider's regions: a sovereign offer has none outside France. */
export const FRENCH_REGIONS = ['francecentral', 'francesouth'] as const;

/** Hosting levels of a landing zone, from least to most trusted. */
export const HOSTING_LEVELS = ['STANDARD', 'SECNUMCLOUD', 'SECNUMCLOUD_DEDICATED'] as const;

/** SecNumCloud status of the provider: qualification milestones, then QUALIFIED. */
export const SECNUMCLOUD_STATUSES = ['J0', 'J1', 'J2', 'QUALIFIED'] as const;

/** Ways an armed fault can break an operation. */
export const FAULT_MODES = ['error', 'latency', 'hang'] as const;

const label = z.string().trim().min(1).max(200);

/** Body of createTenant. */
export const createTenantBody = z.strictObject({ customerId: label, name: label });

/** Body of createLandingZone. */
export const createLandingZoneBody = z.strictObject({
  name: label,
  level: z.enum(HOSTING_LEVELS),
  hds: z.boolean().default(false),
  region: z.enum(FRENCH_REGIONS),
});

/** Body of createKeyVault; whether `location` is in France is a policy rule (422), not a format. */
export const createKeyVaultBody = z.strictObject({
  name: label,
  location: label,
  keys: z
    .array(z.strictObject({ name: label, kty: z.enum(['RSA-HSM', 'EC-HSM']).default('RSA-HSM') }))
    .min(1, 'a key vault holds at least one customer-managed key')
    .max(25)
    .refine((keys) => new Set(keys.map((key) => key.name)).size === keys.length, 'key names must be unique'),
});

/** Body of assignPolicy. */
export const assignPolicyBody = z.strictObject({
  name: label,
  allowedLocations: z.array(label).min(1, 'name at least one allowed location'),
  allowPublicEndpoints: z.boolean(),
});

/** Body of configureLogForwarding. */
export const configureLogForwardingBody = z.strictObject({
  siemEndpoint: label,
  categories: z.array(label).min(1).default(['audit', 'security']),
});

/** Body of createM365Tenant. */
export const createM365TenantBody = z.strictObject({ name: label });

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

/** Body of PUT /admin/settings. */
export const settingsBody = z.strictObject({ replicationSpeedFactor: z.number().positive().max(1_000_000_000) });

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
