/**
 * The migration plan: its zod schema (the single source of truth for the type, the API's
 * validation and its OpenAPI document) and {@link validatePlan}, which adds the checks that
 * span several fields (duplicate ids, dangling or cyclic dependencies, SIIV on a non-OIV).
 *
 * Pure and deterministic: no I/O, no clock, no randomness, so the workflow sandbox can import it.
 */
import { z } from 'zod';
import { builtSchema } from './lazy-schemas';
import { hasCycle, shortestCycleThrough, stronglyConnectedComponents } from './dependency-graph';
import { tryParseIsoDuration } from './duration';
import { isKnownTimeZone } from './time-zones';

/** Customer types of docs/rules.md. */
export const CUSTOMER_TYPES = ['OIV', 'OSE', 'STATE', 'HOSPITAL', 'LOCAL_AUTHORITY', 'PRIVATE'] as const;
/** A customer type of docs/rules.md. */
export type CustomerType = (typeof CUSTOMER_TYPES)[number];

/** The twelve data categories of docs/rules.md. */
export const DATA_CATEGORIES = [
  'PUBLIC',
  'INTERNAL',
  'IDENTITY',
  'PERSONAL',
  'PERSONAL_SPECIAL',
  'HEALTH',
  'BUSINESS_SECRET',
  'LEGALLY_PROTECTED',
  'ESSENTIAL_MISSION',
  'DIFFUSION_RESTREINTE',
  'SIIV',
  'CLASSIFIED',
] as const;
/** A data category of docs/rules.md. */
export type DataCategory = (typeof DATA_CATEGORIES)[number];

/** The categories that docs/rules.md calls "sensitive" (they trigger R4 and R5). */
export const SENSITIVE_CATEGORIES = [
  'HEALTH',
  'PERSONAL_SPECIAL',
  'BUSINESS_SECRET',
  'LEGALLY_PROTECTED',
  'ESSENTIAL_MISSION',
] as const satisfies readonly DataCategory[];

/** Workload kinds: `m365` goes to the customer's Microsoft 365 tenant, the others to landing zones. */
export const WORKLOAD_KINDS = ['vm', 'database', 'storage', 'm365', 'app', 'kubernetes', 'ot'] as const;
/** A workload kind. */
export type WorkloadKind = (typeof WORKLOAD_KINDS)[number];

/** Business criticality levels of a workload. */
export const CRITICALITY_LEVELS = ['LOW', 'MEDIUM', 'HIGH'] as const;
/** A workload's business criticality. */
export type Criticality = (typeof CRITICALITY_LEVELS)[number];

/** Roles that may decide an approval (docs/rules.md, approvals table). */
export const APPROVER_ROLES = ['RSSI', 'DPO', 'HOMOLOGATION_AUTHORITY'] as const;
/** An approver role. */
export type ApproverRole = (typeof APPROVER_ROLES)[number];

/** Most workloads a plan may hold. */
export const MAX_WORKLOADS = 10_000;
/** Largest workload size accepted, one exabyte in decimal GB: beyond it transfer arithmetic loses meaning. */
export const MAX_SIZE_GB = 1_000_000_000;

/** URL-safe slug for customer ids: they end up in search attributes, resource names and URLs. */
export const SLUG_PATTERN = /^[a-z0-9][a-z0-9._-]{0,63}$/;
/**
 * Plan ids name runs (`migration-<planId>`), and every workflow id the product derives from a
 * run's id (its waves, batches, drafts) adds a separator that this alphabet lacks (".", ":" or
 * "/"): no plan id can name another run's derived workflow, so none can squat it.
 */
export const PLAN_ID_PATTERN = /^[a-z0-9][a-z0-9_-]{0,63}$/;
/** Most errors a validation reports; {@link PlanValidationResult} says how many there were in all. */
export const MAX_REPORTED_ERRORS = 100;
/**
 * Workload ids are slugs without dots, because step ids use dots as separators
 * (`cutover.wave-2.dpi.switch`) and must stay unambiguous.
 */
export const WORKLOAD_ID_PATTERN = /^[a-z0-9][a-z0-9_-]{0,63}$/;

const slugSchema = z.lazy(() =>
  z
    .string()
    .regex(SLUG_PATTERN, {
      error: 'must be a URL-safe slug of 1 to 64 characters: lower-case letters, digits, ".", "_" or "-", starting with a letter or digit',
    }),
);

const planIdSchema = z.lazy(() =>
  z.string().regex(PLAN_ID_PATTERN, {
    error: 'must be a plan id of 1 to 64 characters: lower-case letters, digits, "_" or "-", starting with a letter or digit',
  }),
);

const workloadIdSchema = z.lazy(() =>
  z
    .string()
    .regex(WORKLOAD_ID_PATTERN, {
      error: 'must be a workload id of 1 to 64 characters: lower-case letters, digits, "_" or "-", starting with a letter or digit',
    }),
);

const nameSchema = z.lazy(() => z.string().trim().min(1, { error: 'must not be empty' }).max(200));

const positiveDurationSchema = z.lazy(() =>
  z.string().superRefine((text, context) => {
    const milliseconds = tryParseIsoDuration(text);
    if (milliseconds === undefined) {
      context.addIssue({
        code: 'custom',
        message: `must be an ISO 8601 duration such as P30D, PT1H or P1DT12H, not ${quote(text)}`,
      });
    } else if (milliseconds === 0) {
      context.addIssue({ code: 'custom', message: 'must be longer than zero' });
    }
  }).meta({ description: 'ISO 8601 duration (PnYnMnWnDTnHnMnS; a year counts 365 days, a month 30)', examples: ['P30D', 'PT1H'] }),
);

const dateTimeSchema = z.lazy(() =>
  z.iso.datetime({
    offset: true,
    error: 'must be an ISO 8601 date-time with a time zone, such as 2027-03-06T22:00:00Z or 2027-03-06T23:00:00+01:00',
  }),
);

/** The customer: `id` is a slug with no personal data, since it lands in search attributes. */
export const CustomerSchema = z.lazy(() =>
  z.strictObject({
    id: slugSchema,
    name: nameSchema,
    type: z.enum(CUSTOMER_TYPES),
  }),
);

/** One workload of the estate. */
export const WorkloadSchema = z.lazy(() =>
  z.strictObject({
    id: workloadIdSchema,
    name: nameSchema,
    kind: z.enum(WORKLOAD_KINDS),
    /** Size in decimal gigabytes (10^9 bytes). */
    sizeGb: z.number().min(0).max(MAX_SIZE_GB),
    // docs/rules.md (the level of one workload): a workload with no data category is refused at validation.
    dataCategories: z
      .array(z.enum(DATA_CATEGORIES))
      .min(1, { error: 'must list at least one data category: the rules cannot classify a workload without one' }),
    // A workload can depend on every other one at most.
    dependsOn: z.array(workloadIdSchema).max(MAX_WORKLOADS - 1).default([]),
    criticality: z.enum(CRITICALITY_LEVELS),
  }),
);

/** A contact who may decide approvals for the customer. */
export const ApproverSchema = z.lazy(() =>
  z.strictObject({
    role: z.enum(APPROVER_ROLES),
    name: nameSchema,
    email: z.email({ error: 'must be an email address' }),
  }),
);

/** Days of the week, as a weekly cutover slot names them (ISO 8601 order, Monday first). */
export const WEEKDAYS = ['MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT', 'SUN'] as const;
/** A day of the week. */
export type Weekday = (typeof WEEKDAYS)[number];

/** Most weekly slots one window rule holds. */
export const MAX_WEEKLY_SLOTS = 50;

const LOCAL_TIME = /^([01]\d|2[0-3]):([0-5]\d)$|^24:00$/;

const localTimeSchema = z.lazy(() => z.string().regex(LOCAL_TIME, { error: 'must be a local time HH:MM from 00:00 to 24:00, such as 22:00' }));

const timeZoneSchema = z.lazy(() =>
  z
    .string()
    .refine(isKnownTimeZone, { error: (issue) => `must be an IANA time zone such as Europe/Paris, not ${quote(String(issue.input))}` })
    .meta({ description: 'IANA time zone of the customer, such as Europe/Paris or America/Cayenne', examples: ['Europe/Paris'] }),
);

/**
 * One recurring slot of local time: on each of `days`, from `start` to `end` in the rule's time
 * zone. An `end` at or before `start` ends the next day (22:00–06:00 is a night), and the slot
 * belongs to the day it starts on.
 */
export const WeeklySlotSchema = z.lazy(() =>
  z.strictObject({
    days: z.array(z.enum(WEEKDAYS)).min(1, { error: 'must list at least one day (MON … SUN)' }).max(7),
    start: localTimeSchema,
    end: localTimeSchema,
  }),
);

/**
 * When cutovers may happen: `weekly` slots in `timeZone`, between the optional bounds `start`
 * and `end` (absolute instants); without `weekly`, the one window from `start` to `end`.
 */
export const CutoverWindowRuleSchema = z.lazy(() =>
  z.strictObject({
    timeZone: timeZoneSchema.optional(),
    weekly: z.array(WeeklySlotSchema).min(1, { error: 'must hold at least one slot, or leave weekly out' }).max(MAX_WEEKLY_SLOTS).optional(),
    start: dateTimeSchema.optional(),
    end: dateTimeSchema.optional(),
  }),
);

/** Wave ids as the plan's cutover windows name them: `wave-1`, `wave-2`… */
export const WAVE_ID_PATTERN = /^wave-[1-9]\d{0,3}$/;

/**
 * When the customer allows cutovers (a hospital's nights, a ministry's weekend): the plan's
 * rule, optionally another rule for some waves (`waves`, which take the plan's time zone unless
 * they name their own), and the switchover's expected duration when the consultant knows it
 * better than the estimate (domain/cutover-windows.ts).
 */
export const CutoverWindowSchema = z.lazy(() =>
  builtSchema(CutoverWindowRuleSchema).extend({
    switchoverDuration: positiveDurationSchema.optional(),
    waves: z
      .record(z.string(), CutoverWindowRuleSchema)
      .optional()
      .meta({ description: 'Other windows for some waves, by wave id (wave-1, wave-2…)' }),
  }),
);

/**
 * Whether a plan's waves rehearse their cutover (domain/rehearsals.ts): `REQUIRED`, every wave;
 * `OPTIONAL`, the waves that `settings.rehearsalWaves` names.
 */
export const REHEARSAL_MODES = ['REQUIRED', 'OPTIONAL'] as const;
/** One of {@link REHEARSAL_MODES}. */
export type RehearsalMode = (typeof REHEARSAL_MODES)[number];

/** Run settings, every one defaulted. */
export const PlanSettingsSchema = z.lazy(() =>
  z.strictObject({
    approvalDeadline: positiveDurationSchema.default('P30D'),
    /** Defaults to a fifth of `approvalDeadline` (see {@link resolveSettingDurations}). */
    reminderBefore: positiveDurationSchema.optional(),
    maxWaveSize: z.number().int().min(1).max(500).default(5),
    // A floor keeps transfer times finite (and meaningful) for any accepted size.
    bandwidthMbps: z.number().min(0.001).max(10_000_000).default(1000),
    qualificationCheckInterval: positiveDurationSchema.default('PT1H'),
    rehearsal: z.enum(REHEARSAL_MODES).optional().meta({ description: 'REQUIRED: every wave rehearses its cutover in an isolated test network; OPTIONAL: the waves of rehearsalWaves. No rehearsal when absent.' }),
    rehearsalWaves: z
      .array(z.string())
      .max(1000)
      .optional()
      .meta({ description: 'With rehearsal OPTIONAL: the waves that rehearse (wave-1, wave-2…)' }),
    /** How long the customer's approver has to confirm a rehearsal; P7D unless set (see {@link DEFAULT_REHEARSAL_DEADLINE}). */
    rehearsalApprovalDeadline: positiveDurationSchema.optional(),
  }),
);

/** How long the customer's approver has to confirm a rehearsal when the plan does not say. */
export const DEFAULT_REHEARSAL_DEADLINE = 'P7D';

/**
 * The plan schema. Unknown fields are rejected everywhere. {@link validatePlan} adds the
 * cross-field checks; use it rather than this schema alone.
 */
export const PlanSchema = z.lazy(() =>
  z.strictObject({
    planId: planIdSchema.optional(),
    customer: CustomerSchema,
    workloads: z
      .array(WorkloadSchema)
      .min(1, { error: 'must hold at least one workload' })
      .max(MAX_WORKLOADS, { error: `must hold at most ${MAX_WORKLOADS} workloads` }),
    approvers: z.array(ApproverSchema).max(100).optional(),
    cutoverWindow: CutoverWindowSchema.optional(),
    settings: PlanSettingsSchema.prefault({}),
  }),
);

/** A validated plan, defaults applied. */
export type Plan = z.infer<typeof PlanSchema>;
/** A plan as a client writes it (defaults not yet applied). */
export type PlanInput = z.input<typeof PlanSchema>;
/** The customer of a plan. */
export type Customer = z.infer<typeof CustomerSchema>;
/** A workload of a validated plan. */
export type Workload = z.infer<typeof WorkloadSchema>;
/** An approver contact. */
export type Approver = z.infer<typeof ApproverSchema>;
/** A cutover window. */
export type CutoverWindow = z.infer<typeof CutoverWindowSchema>;
/** The rule of a plan's or a wave's cutover window. */
export type CutoverWindowRule = z.infer<typeof CutoverWindowRuleSchema>;
/** One weekly slot of a cutover window. */
export type WeeklySlot = z.infer<typeof WeeklySlotSchema>;
/** The settings of a validated plan, defaults applied. */
export type PlanSettings = z.infer<typeof PlanSettingsSchema>;

/** One problem with a plan: `path` names the field (`workloads[2].dependsOn[0]`, `""` for the root). */
export interface ValidationIssue {
  path: string;
  message: string;
}

/**
 * Outcome of {@link validatePlan}: at most {@link MAX_REPORTED_ERRORS} errors, in the order
 * found, and `errorCount`, how many there were in all.
 */
export type PlanValidationResult = { ok: true; plan: Plan } | { ok: false; errors: ValidationIssue[]; errorCount: number };

/** Keeps the first {@link MAX_REPORTED_ERRORS} issues and counts the rest, so that no input makes an answer grow with it. */
class IssueList {
  readonly kept: ValidationIssue[] = [];
  count = 0;

  push(...issues: ValidationIssue[]): void {
    for (const issue of issues) {
      this.count += 1;
      if (this.kept.length < MAX_REPORTED_ERRORS) this.kept.push(issue);
    }
  }
}

/** The plan's durations in milliseconds, as durable timers need them. */
export interface SettingDurations {
  approvalDeadlineMs: number;
  reminderBeforeMs: number;
  qualificationCheckIntervalMs: number;
}

/**
 * Resolves the settings' ISO 8601 durations to milliseconds; the reminder defaults to a fifth
 * of the approval deadline.
 */
export function resolveSettingDurations(settings: PlanSettings): SettingDurations {
  const approvalDeadlineMs = tryParseIsoDuration(settings.approvalDeadline) ?? 0;
  const reminderBeforeMs =
    settings.reminderBefore === undefined
      ? Math.round(approvalDeadlineMs / 5)
      : (tryParseIsoDuration(settings.reminderBefore) ?? 0);
  return {
    approvalDeadlineMs,
    reminderBeforeMs,
    qualificationCheckIntervalMs: tryParseIsoDuration(settings.qualificationCheckInterval) ?? 0,
  };
}

/**
 * Validates an untrusted plan and applies defaults. Collects every problem with its path and
 * reason; never throws, whatever the input.
 */
export function validatePlan(input: unknown): PlanValidationResult {
  try {
    const parsed = PlanSchema.safeParse(input, { error: describeIssue });
    const errors = new IssueList();
    if (!parsed.success) for (const issue of parsed.error.issues) addValidationIssues(issue, errors);
    checkCrossFieldRules(input, errors);
    if (parsed.success && errors.count === 0) return { ok: true, plan: parsed.data };
    if (errors.count === 0) return { ok: false, errors: [{ path: '', message: 'is not a valid plan' }], errorCount: 1 };
    return { ok: false, errors: errors.kept, errorCount: errors.count };
  } catch {
    // Hostile inputs (throwing getters, proxies) must not crash a workflow or a request handler.
    return { ok: false, errors: [{ path: '', message: 'could not be read as plain JSON data' }], errorCount: 1 };
  }
}

/** Renders a zod path as `workloads[2].dependsOn[0]`. */
export function formatIssuePath(path: readonly PropertyKey[]): string {
  let text = '';
  for (const segment of path) {
    if (typeof segment === 'number') text += `[${segment}]`;
    else if (typeof segment === 'string' && /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(segment)) {
      text += text === '' ? segment : `.${segment}`;
    } else text += `[${JSON.stringify(String(segment))}]`;
  }
  return text;
}

function addValidationIssues(issue: z.core.$ZodIssue, issues: IssueList): void {
  if (issue.code === 'unrecognized_keys') {
    for (const key of issue.keys) issues.push({ path: formatIssuePath([...issue.path, key]), message: `unknown field ${quote(key)}` });
    return;
  }
  issues.push({ path: formatIssuePath(issue.path), message: issue.message });
}

/** Messages that name the reason in plain words; `undefined` falls back to zod's own. */
function describeIssue(issue: z.core.$ZodRawIssue): string | undefined {
  if (issue.input === undefined && (issue.code === 'invalid_type' || issue.code === 'invalid_value')) return 'is required';
  switch (issue.code) {
    case 'invalid_type':
      return `must be ${EXPECTED_TYPE_NAMES[issue.expected] ?? issue.expected}, not ${describeValue(issue.input)}`;
    case 'invalid_value':
      return `must be one of ${issue.values.map((value) => String(value)).join(', ')}, not ${describeValue(issue.input)}`;
    case 'too_small':
      return describeBound(issue.origin, 'least', issue.minimum, issue.inclusive);
    case 'too_big':
      return describeBound(issue.origin, 'most', issue.maximum, issue.inclusive);
    default:
      return undefined;
  }
}

const EXPECTED_TYPE_NAMES: Partial<Record<string, string>> = {
  string: 'a string',
  number: 'a finite number',
  int: 'an integer',
  object: 'an object',
  array: 'an array',
  boolean: 'a boolean',
};

function describeBound(origin: string, side: 'least' | 'most', bound: number | bigint, inclusive = true): string {
  if (origin === 'array') return `must hold at ${side} ${bound} item${bound === 1 ? '' : 's'}`;
  if (origin === 'string') return `must be at ${side} ${bound} character${bound === 1 ? '' : 's'} long`;
  if (inclusive) return `must be at ${side} ${bound}`;
  return `must be ${side === 'least' ? 'greater' : 'less'} than ${bound}`;
}

function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'number') {
    if (Number.isNaN(value)) return 'NaN';
    return Number.isFinite(value) ? String(value) : 'an infinite number';
  }
  if (typeof value === 'string') return quote(value);
  if (typeof value === 'object') return 'an object';
  return `a ${typeof value}`;
}

function quote(text: string): string {
  return JSON.stringify(text.length > 60 ? `${text.slice(0, 57)}...` : text);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

interface DependencyReference {
  position: number;
  id: string;
}

interface WorkloadReferences {
  index: number;
  id: string | undefined;
  dependsOn: DependencyReference[];
}

/**
 * Checks that span several fields, appending to `issues` (never spreading: an oversized input
 * could yield more issues than a call accepts arguments). It reads the raw input defensively,
 * so that a plan with schema errors still gets its dependency problems reported in one answer.
 */
function checkCrossFieldRules(input: unknown, issues: IssueList): void {
  if (!isRecord(input)) return;
  const rawWorkloads = input.workloads;
  if (Array.isArray(rawWorkloads)) checkWorkloadReferences(rawWorkloads, readCustomerType(input), issues);
  issues.push(...checkSettings(input.settings), ...checkRehearsalSettings(input.settings), ...checkCutoverWindow(input.cutoverWindow));
}

function readCustomerType(input: Record<string, unknown>): CustomerType | undefined {
  const type = isRecord(input.customer) ? input.customer.type : undefined;
  return CUSTOMER_TYPES.find((candidate) => candidate === type);
}

function checkWorkloadReferences(
  rawWorkloads: readonly unknown[],
  customerType: CustomerType | undefined,
  issues: IssueList,
): void {
  const firstIndexById = new Map<string, number>();
  const references: WorkloadReferences[] = [];

  rawWorkloads.forEach((rawWorkload, index) => {
    if (!isRecord(rawWorkload)) return;
    const id = typeof rawWorkload.id === 'string' ? rawWorkload.id : undefined;
    if (id !== undefined) {
      const firstIndex = firstIndexById.get(id);
      if (firstIndex === undefined) firstIndexById.set(id, index);
      else {
        issues.push({
          path: `workloads[${index}].id`,
          message: `duplicate workload id ${quote(id)}: workloads[${firstIndex}] already uses it`,
        });
      }
    }
    checkCategories(rawWorkload.dataCategories, index, customerType, issues);
    const dependsOn = readDependencies(rawWorkload.dependsOn, index, issues);
    references.push({ index, id, dependsOn });
  });

  for (const { index, id, dependsOn } of references) {
    for (const dependency of dependsOn) {
      const path = `workloads[${index}].dependsOn[${dependency.position}]`;
      if (dependency.id === id) {
        issues.push({ path, message: `workload ${quote(id)} depends on itself` });
      } else if (!firstIndexById.has(dependency.id) && WORKLOAD_ID_PATTERN.test(dependency.id)) {
        // A malformed id already has its schema error; calling it unknown as well would be noise.
        issues.push({ path, message: `unknown workload id ${quote(dependency.id)}: no workload of the plan has it` });
      }
    }
  }

  for (const issue of findDependencyCycles(references, firstIndexById)) issues.push(issue);
}

function checkCategories(
  rawCategories: unknown,
  index: number,
  customerType: CustomerType | undefined,
  issues: IssueList,
): void {
  if (!Array.isArray(rawCategories)) return;
  const seen = new Set<unknown>();
  rawCategories.forEach((category: unknown, position) => {
    const path = `workloads[${index}].dataCategories[${position}]`;
    if (typeof category !== 'string') return;
    if (seen.has(category)) {
      issues.push({ path, message: `duplicate data category ${quote(category)}` });
      return;
    }
    seen.add(category);
    // docs/rules.md (the level of one workload): only an OIV has vital information systems (LPM).
    if (category === 'SIIV' && customerType !== undefined && customerType !== 'OIV') {
      issues.push({
        path,
        message: `SIIV (vital information system under the LPM) applies to OIV customers only, and this customer is ${customerType}`,
      });
    }
  });
}

function readDependencies(rawDependsOn: unknown, index: number, issues: IssueList): DependencyReference[] {
  if (!Array.isArray(rawDependsOn)) return [];
  const dependencies: DependencyReference[] = [];
  const seen = new Set<string>();
  rawDependsOn.forEach((dependencyId: unknown, position) => {
    if (typeof dependencyId !== 'string') return;
    if (seen.has(dependencyId)) {
      issues.push({
        path: `workloads[${index}].dependsOn[${position}]`,
        message: `dependency ${quote(dependencyId)} is listed twice`,
      });
      return;
    }
    seen.add(dependencyId);
    dependencies.push({ position, id: dependencyId });
  });
  return dependencies;
}

/**
 * One issue per strongly connected component of the dependency graph: it names the shortest
 * cycle through the component's smallest id, in cycle order, and any other workloads caught in
 * the same tangle. Iterative Tarjan, so ten thousand workloads cannot overflow the stack.
 */
function findDependencyCycles(
  references: readonly WorkloadReferences[],
  firstIndexById: ReadonlyMap<string, number>,
): ValidationIssue[] {
  const nodeIds = [...firstIndexById.keys()];
  const nodeById = new Map(nodeIds.map((id, node) => [id, node]));
  const referencesByIndex = new Map(references.map((reference) => [reference.index, reference]));
  const successors: number[][] = nodeIds.map((id) => {
    const reference = referencesByIndex.get(firstIndexById.get(id) ?? -1);
    const targets = (reference?.dependsOn ?? [])
      .filter((dependency) => dependency.id !== id)
      .map((dependency) => nodeById.get(dependency.id))
      .filter((target): target is number => target !== undefined);
    return targets;
  });
  // Most plans are acyclic: a linear topological pass settles them before any costlier search.
  if (!hasCycle(successors)) return [];
  // Sorted neighbours make the reported cycle independent of the order of dependsOn.
  for (const targets of successors) targets.sort((left, right) => compareIds(nodeIds[left] ?? '', nodeIds[right] ?? ''));

  const issues: { startId: string; issue: ValidationIssue }[] = [];
  for (const component of stronglyConnectedComponents(successors)) {
    if (component.length < 2) continue;
    const members = new Set(component);
    const start = component.reduce((best, node) => (compareIds(nodeIds[node] ?? '', nodeIds[best] ?? '') < 0 ? node : best));
    const cycle = shortestCycleThrough(start, successors, members);
    const cycleIds = cycle.map((node) => nodeIds[node] ?? '');
    const startId = cycleIds[0] ?? '';
    const others = component
      .filter((node) => !cycle.includes(node))
      .map((node) => nodeIds[node] ?? '')
      .sort(compareIds);
    const startReference = referencesByIndex.get(firstIndexById.get(startId) ?? -1);
    const edgePosition = startReference?.dependsOn.find((dependency) => dependency.id === cycleIds[1])?.position ?? 0;
    const tangle = others.length > 0 ? ` (${others.join(', ')} ${others.length === 1 ? 'is' : 'are'} caught in the same tangle)` : '';
    issues.push({
      startId,
      issue: {
        path: `workloads[${firstIndexById.get(startId) ?? 0}].dependsOn[${edgePosition}]`,
        message: `dependency cycle: ${[...cycleIds, startId].join(' -> ')}${tangle}`,
      },
    });
  }
  return issues.sort((left, right) => compareIds(left.startId, right.startId)).map(({ issue }) => issue);
}

function checkSettings(rawSettings: unknown): ValidationIssue[] {
  if (!isRecord(rawSettings) || rawSettings.reminderBefore === undefined) return [];
  const deadlineText = rawSettings.approvalDeadline ?? 'P30D';
  const deadline = tryParseIsoDuration(deadlineText);
  if (typeof deadlineText !== 'string') return [];
  const reminder = tryParseIsoDuration(rawSettings.reminderBefore);
  if (deadline === undefined || reminder === undefined || reminder < deadline) return [];
  return [
    {
      path: 'settings.reminderBefore',
      message: `must be shorter than the approval deadline (${deadlineText}), or the reminder would go out before the request`,
    },
  ];
}

/**
 * The rehearsal settings agree with each other: `REQUIRED` rehearses every wave (a list would be
 * ignored), `OPTIONAL` needs the list of waves that rehearse, and the list needs a mode. Whether
 * each listed wave exists depends on the classification (domain/rehearsals.ts, checkRehearsals).
 */
function checkRehearsalSettings(rawSettings: unknown): ValidationIssue[] {
  if (!isRecord(rawSettings)) return [];
  const { rehearsal, rehearsalWaves, rehearsalApprovalDeadline } = rawSettings;
  const issues: ValidationIssue[] = [];
  if (rehearsal === 'REQUIRED' && rehearsalWaves !== undefined) {
    issues.push({ path: 'settings.rehearsalWaves', message: 'must be left out when settings.rehearsal is REQUIRED: every wave rehearses' });
  }
  if (rehearsal === 'OPTIONAL' && (!Array.isArray(rehearsalWaves) || rehearsalWaves.length === 0)) {
    issues.push({ path: 'settings.rehearsalWaves', message: 'must name at least one wave (wave-1, wave-2…) when settings.rehearsal is OPTIONAL' });
  }
  if (rehearsal === undefined && rehearsalWaves !== undefined) {
    issues.push({ path: 'settings.rehearsalWaves', message: 'needs settings.rehearsal set to OPTIONAL' });
  }
  if (rehearsal === undefined && rehearsalApprovalDeadline !== undefined) {
    issues.push({ path: 'settings.rehearsalApprovalDeadline', message: 'needs settings.rehearsal (REQUIRED or OPTIONAL): no wave rehearses without it' });
  }
  if (Array.isArray(rehearsalWaves)) {
    const seen = new Set<unknown>();
    rehearsalWaves.forEach((waveId: unknown, index) => {
      const path = `settings.rehearsalWaves[${index}]`;
      if (typeof waveId === 'string' && !WAVE_ID_PATTERN.test(waveId)) issues.push({ path, message: `must be a wave id such as wave-2, not ${quote(waveId)}` });
      else if (seen.has(waveId)) issues.push({ path, message: `repeats ${quote(String(waveId))}` });
      seen.add(waveId);
    });
  }
  return issues;
}

function checkCutoverWindow(rawWindow: unknown): ValidationIssue[] {
  if (!isRecord(rawWindow)) return [];
  const issues = checkWindowRule(rawWindow, 'cutoverWindow', rawWindow.timeZone);
  if (isRecord(rawWindow.waves)) {
    for (const [waveId, rule] of Object.entries(rawWindow.waves)) {
      const path = formatIssuePath(['cutoverWindow', 'waves', waveId]);
      if (!WAVE_ID_PATTERN.test(waveId)) issues.push({ path, message: `must be a wave id such as wave-2, not ${quote(waveId)}` });
      else if (isRecord(rule)) issues.push(...checkWindowRule(rule, path, rule.timeZone ?? rawWindow.timeZone));
    }
  }
  return issues;
}

/** A rule is a weekly pattern (in a time zone) or one absolute window, never nothing. */
function checkWindowRule(rule: Record<string, unknown>, path: string, timeZone: unknown): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  const start = dateTimeSchema.safeParse(rule.start);
  const end = dateTimeSchema.safeParse(rule.end);
  if (start.success && end.success && Date.parse(end.data) <= Date.parse(start.data)) {
    issues.push({ path: `${path}.end`, message: `must be after the start (${start.data})` });
  }
  if (rule.weekly === undefined) {
    if (rule.start === undefined && rule.end === undefined) {
      issues.push({ path, message: 'is an empty window: give weekly slots (with a timeZone), or a start and an end' });
    } else if (rule.start === undefined || rule.end === undefined) {
      issues.push({ path: `${path}.${rule.start === undefined ? 'start' : 'end'}`, message: 'is required for a window without weekly slots' });
    }
    return issues;
  }
  if (timeZone === undefined) issues.push({ path: `${path}.timeZone`, message: 'is required with weekly slots: their times are local to the customer' });
  if (Array.isArray(rule.weekly)) {
    rule.weekly.forEach((slot: unknown, index) => {
      if (isRecord(slot) && typeof slot.start === 'string' && slot.start === slot.end) {
        issues.push({ path: `${path}.weekly[${index}].end`, message: `makes an empty slot: start and end are both ${slot.start} (a whole day is 00:00 to 24:00)` });
      }
    });
  }
  return issues;
}

/** Code-unit order, independent of locale, so that results never vary between machines. */
export function compareIds(left: string, right: string): number {
  if (left === right) return 0;
  return left < right ? -1 : 1;
}
