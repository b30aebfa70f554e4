/**
 * The classification rules of docs/rules.md (R1 to R8), the approvals a plan needs, the
 * landing zones it will get and what the provider must hold before provisioning them (R9).
 *
 * Pure and deterministic: the report depends only on the plan's content, never on the order of
 * its workloads, dependencies or categories, so a workflow replay always rebuilds the same one.
 */
import {
  compareIds,
  type ApproverRole,
  type CustomerType,
  type DataCategory,
  type Plan,
  SENSITIVE_CATEGORIES,
  type Workload,
  type WorkloadKind,
} from './plan';
import { listedIds, message, type Message, type NotEligibleCause } from './messages';
import { APPROVAL_DECIDERS } from './permissions';

/** Hosting levels, from the least to the most trusted, then `NOT_ELIGIBLE`, which stands apart. */
export const HOSTING_LEVELS = ['STANDARD', 'SECNUMCLOUD', 'SECNUMCLOUD_DEDICATED', 'NOT_ELIGIBLE'] as const;
/** A workload's hosting level. */
export type HostingLevel = (typeof HOSTING_LEVELS)[number];

/** The levels a workload can migrate at, ordered. */
export const CLOUD_HOSTING_LEVELS = ['STANDARD', 'SECNUMCLOUD', 'SECNUMCLOUD_DEDICATED'] as const;
/** A level a workload can migrate at. */
export type CloudHostingLevel = (typeof CLOUD_HOSTING_LEVELS)[number];

/** Rule ids of docs/rules.md that decide a workload's level and `hds` flag. */
export const RULE_IDS = ['R1', 'R2', 'R3', 'R4', 'R5', 'R6', 'R7', 'R8'] as const;
/** A classification rule id. */
export type RuleId = (typeof RULE_IDS)[number];

/** Approval ids, in the order of the docs/rules.md approvals table. */
export const APPROVAL_IDS = ['rssi', 'dpo', 'dpia', 'homologation', 'anssi-notification'] as const;
/** A stable approval id. */
export type ApprovalId = (typeof APPROVAL_IDS)[number];

/** SecNumCloud qualification milestones of the provider; only `QUALIFIED` is in force (R9). */
export const SECNUMCLOUD_STATUSES = ['J0', 'J1', 'J2', 'QUALIFIED'] as const;
/** The provider's SecNumCloud qualification status. */
export type SecNumCloudStatus = (typeof SECNUMCLOUD_STATUSES)[number];

/** The id under which the Microsoft 365 tenant appears in qualification needs. */
export const M365_TENANT_ID = 'm365-tenant';

/** Reasons of R1, as the report shows them. */
export const NOT_ELIGIBLE_REASONS = {
  classified: 'classified information stays off the cloud (IGI 1300)',
  industrialControl: 'industrial control systems stay on site',
} as const;

/** What R1 to R7 make of one workload on its own, before dependencies (R8) are considered. */
export interface OwnClassification {
  level: HostingLevel;
  hds: boolean;
  rules: RuleId[];
  reason?: string;
}

/** One workload in the report. */
export interface WorkloadClassification {
  id: string;
  kind: WorkloadKind;
  level: HostingLevel;
  hds: boolean;
  /** False only for `NOT_ELIGIBLE` workloads, which leave the plan. */
  migrates: boolean;
  /** Every rule that applied, in rule order; `R8` when a dependent raised the level or `hds`. */
  rules: RuleId[];
  /**
   * The migrating dependents that passed their level or `hds` on (R8), sorted; empty unless
   * `R8` applied. Each depends on this workload directly or through `NOT_ELIGIBLE` workloads
   * only (see `inheritedThrough`). Follow their own `inheritedFrom` to reach the workload whose
   * rules demanded it.
   */
  inheritedFrom: string[];
  /**
   * The `NOT_ELIGIBLE` workloads through which the requirement passed (X → N → this workload:
   * `inheritedFrom` names X, `inheritedThrough` names N), sorted; absent when none.
   */
  inheritedThrough?: string[];
  /** Why a `NOT_ELIGIBLE` workload stays out of the cloud (R1). */
  reason?: string;
  /** The same reason as a message code, rendered in the reader's language (domain/messages). */
  reasonMessage?: Message;
}

/** An approval the plan needs before provisioning. */
export interface ApprovalRequirement {
  id: ApprovalId;
  role: ApproverRole;
  /** Why it is needed, deterministic: `always`, `PERSONAL in hr, payroll`, `customer type STATE`. */
  rules: string[];
  /** The regulation or practice behind it. */
  basis: string;
  /** `rules` as message codes, in the same order, rendered in the reader's language. */
  reasons: Message[];
  /** `basis` as a message code. */
  basisMessage: Message;
}

/** A migrating workload that depends directly on one that stays on site. */
export interface HybridDependencyWarning {
  code: 'HYBRID_DEPENDENCY';
  workloadId: string;
  dependsOn: string;
  message: string;
  /** `message` as a message code, rendered in the reader's language. */
  description: Message;
}

/** A classification warning. */
export type ClassificationWarning = HybridDependencyWarning;

/** A landing zone to provision: one per distinct (level, hds) pair of migrating non-m365 workloads. */
export interface LandingZone {
  /** Stable and URL-safe: `standard`, `secnumcloud-hds`, `secnumcloud-dedicated`. */
  id: string;
  level: CloudHostingLevel;
  hds: boolean;
  workloadIds: string[];
}

/** What the provider must hold before provisioning (input of R9). */
export interface QualificationNeeds {
  /** A SecNumCloud qualification in force (`QUALIFIED`). */
  secnumcloud: boolean;
  /** An HDS certificate. */
  hds: boolean;
  /** Landing zone ids (and `m365-tenant`) that need SecNumCloud, sorted by zone order. */
  secnumcloudNeededBy: string[];
  /** Landing zone ids (and `m365-tenant`) that need HDS. */
  hdsNeededBy: string[];
}

/** What the provider holds today. */
export interface ProviderCredentials {
  secnumcloud: SecNumCloudStatus;
  hds: boolean;
}

/** Outcome of the R9 check. */
export interface QualificationCheck {
  satisfied: boolean;
  /** Human-readable items still missing (English); empty when satisfied. */
  missing: string[];
  /** The same items as message codes, rendered in the reader's language (domain/messages). */
  texts: Message[];
}

/** Counts over the report's workloads. */
export interface ClassificationSummary {
  total: number;
  migrating: number;
  notEligible: number;
  /** Migrating workloads that need an HDS-certified host. */
  hds: number;
  byLevel: Record<HostingLevel, number>;
}

/** The classification report of a plan (docs/rules.md, "The classification report"). */
export interface ClassificationReport {
  /** Sorted by id. */
  workloads: WorkloadClassification[];
  /** In the order of the docs/rules.md approvals table. */
  approvals: ApprovalRequirement[];
  /** Sorted by workload id, then dependency id. */
  warnings: ClassificationWarning[];
  /** Sorted by level, then `hds` (without before with). */
  landingZones: LandingZone[];
  /** Whether any migrating workload goes to the Microsoft 365 tenant. */
  m365Tenant: boolean;
  qualificationNeeds: QualificationNeeds;
  summary: ClassificationSummary;
}

const LEVEL_RANK: Record<HostingLevel, number> = {
  STANDARD: 0,
  SECNUMCLOUD: 1,
  SECNUMCLOUD_DEDICATED: 2,
  NOT_ELIGIBLE: 3,
};

/**
 * Orders hosting levels from the least to the most trusted; `NOT_ELIGIBLE` sorts last, although
 * it is not "more trusted": it means the workload stays out of the cloud.
 */
export function compareHostingLevels(left: HostingLevel, right: HostingLevel): number {
  return LEVEL_RANK[left] - LEVEL_RANK[right];
}

const SENSITIVE = new Set<DataCategory>(SENSITIVE_CATEGORIES);
const CUSTOMERS_OF_R4 = new Set<CustomerType>(['STATE']);
const CUSTOMERS_OF_R5 = new Set<CustomerType>(['OIV', 'OSE', 'HOSPITAL']);

/** Applies R1 to R7 to one workload of a customer of the given type, ignoring dependencies. */
export function classifyWorkload(
  workload: Pick<Workload, 'kind' | 'dataCategories'>,
  customerType: CustomerType,
): OwnClassification {
  const categories = workload.dataCategories;
  const sensitive = categories.some((category) => SENSITIVE.has(category));

  // R1 wins over every other rule: the workload stays out of the cloud.
  const reasons: string[] = [];
  if (categories.includes('CLASSIFIED')) reasons.push(NOT_ELIGIBLE_REASONS.classified);
  if (workload.kind === 'ot') reasons.push(NOT_ELIGIBLE_REASONS.industrialControl);
  if (reasons.length > 0) return { level: 'NOT_ELIGIBLE', hds: false, rules: ['R1'], reason: reasons.join('; ') };

  const rules: RuleId[] = [];
  let level: CloudHostingLevel = 'STANDARD';
  // R2 (II 901, ANSSI 2024 guide) and R3 (LPM): dedicated or community SecNumCloud infrastructure.
  if (categories.includes('DIFFUSION_RESTREINTE')) {
    rules.push('R2');
    level = 'SECNUMCLOUD_DEDICATED';
  }
  if (categories.includes('SIIV')) {
    rules.push('R3');
    level = 'SECNUMCLOUD_DEDICATED';
  }
  // R4 (circulaires 6282-SG and 6404/SG, loi SREN art. 31) and R5 (ANSSI 2024 guide): SecNumCloud.
  if (sensitive && CUSTOMERS_OF_R4.has(customerType)) {
    rules.push('R4');
    if (level === 'STANDARD') level = 'SECNUMCLOUD';
  }
  if (sensitive && CUSTOMERS_OF_R5.has(customerType)) {
    rules.push('R5');
    if (level === 'STANDARD') level = 'SECNUMCLOUD';
  }
  const levelDecided = rules.length > 0;
  // R6 (CSP L.1111-8): health data needs an HDS-certified host, whatever the level.
  const hds = categories.includes('HEALTH');
  if (hds) rules.push('R6');
  if (!levelDecided) rules.push('R7');
  return { level, hds, rules };
}

interface Requirement {
  rank: number;
  hds: boolean;
}

/**
 * Classifies every workload of a plan (R1 to R8) and derives the approvals, warnings, landing
 * zones and qualification needs. Never throws on a plan that {@link validatePlan} accepted, and
 * terminates even on one with cycles.
 */
export function classifyPlan(plan: Plan): ClassificationReport {
  const workloadsById = new Map<string, Workload>();
  for (const workload of plan.workloads) if (!workloadsById.has(workload.id)) workloadsById.set(workload.id, workload);
  const ids = [...workloadsById.keys()].sort(compareIds);
  const dependenciesById = new Map(
    ids.map((id) => {
      const dependsOn = workloadsById.get(id)?.dependsOn ?? [];
      return [id, uniqueSorted(dependsOn.filter((dependency) => dependency !== id && workloadsById.has(dependency)))];
    }),
  );

  const own = new Map(ids.map((id) => [id, classifyWorkload(workloadsById.get(id) as Workload, plan.customer.type)]));
  const isMigrating = (id: string): boolean => own.get(id)?.level !== 'NOT_ELIGIBLE';
  const required = propagateRequirements(ids, dependenciesById, own, isMigrating);
  const carriers = requirementCarriers(ids, dependenciesById, isMigrating);

  const workloads = ids.map((id): WorkloadClassification => {
    const workload = workloadsById.get(id) as Workload;
    const ownClassification = own.get(id) as OwnClassification;
    if (ownClassification.level === 'NOT_ELIGIBLE') {
      // R1: the workload leaves the plan; R8 never raises it, although it passes through it.
      return {
        id,
        kind: workload.kind,
        level: 'NOT_ELIGIBLE',
        hds: false,
        migrates: false,
        rules: ['R1'],
        inheritedFrom: [],
        reason: ownClassification.reason ?? NOT_ELIGIBLE_REASONS.classified,
        reasonMessage: message('NOT_ELIGIBLE', { causes: notEligibleCauses(workload) }),
      };
    }
    const final = required.get(id) as Requirement;
    const ownRank = LEVEL_RANK[ownClassification.level];
    // R8: name the migrating dependents that carried the final level or the hds flag down to this one.
    const passedOn = (dependent: Requirement): boolean =>
      (final.rank > ownRank && dependent.rank === final.rank) || (dependent.hds && !ownClassification.hds);
    const inheritedFrom: string[] = [];
    const through = new Set<string>();
    for (const carrier of carriers.get(id) ?? []) {
      if (!passedOn(required.get(carrier.dependentId) as Requirement)) continue;
      inheritedFrom.push(carrier.dependentId);
      for (const notEligibleId of carrier.through) through.add(notEligibleId);
    }
    inheritedFrom.sort(compareIds);
    const classification: WorkloadClassification = {
      id,
      kind: workload.kind,
      level: CLOUD_HOSTING_LEVELS[final.rank] ?? 'STANDARD',
      hds: final.hds,
      migrates: true,
      rules: inheritedFrom.length > 0 ? [...ownClassification.rules, 'R8'] : [...ownClassification.rules],
      inheritedFrom,
    };
    if (through.size > 0) classification.inheritedThrough = [...through].sort(compareIds);
    return classification;
  });

  const migrating = workloads.filter((workload) => workload.migrates);
  const landingZones = planLandingZones(migrating);
  const m365Workloads = migrating.filter((workload) => workload.kind === 'm365');
  return {
    workloads,
    approvals: requiredApprovals(plan.customer.type, migrating, workloadsById),
    warnings: hybridDependencyWarnings(migrating, dependenciesById, own, workloadsById),
    landingZones,
    m365Tenant: m365Workloads.length > 0,
    qualificationNeeds: qualificationNeedsOf(landingZones, m365Workloads),
    summary: summarize(workloads),
  };
}

/** No requirement: a `NOT_ELIGIBLE` workload that no migrating workload relies on passes nothing on. */
const NO_REQUIREMENT: Requirement = { rank: -1, hds: false };

/**
 * R8 as a fixpoint: each migrating workload pushes its requirement onto its dependencies until
 * nothing changes. A `NOT_ELIGIBLE` workload is never raised itself but passes on what reaches
 * it (X → N → Y: Y gets at least X's level and hds). The least fixpoint is unique, hence
 * independent of the visiting order; each workload can be raised at most four times (from no
 * requirement, two levels and hds), so the work stays linear in the size of the graph.
 */
function propagateRequirements(
  ids: readonly string[],
  dependenciesById: ReadonlyMap<string, readonly string[]>,
  own: ReadonlyMap<string, OwnClassification>,
  isMigrating: (id: string) => boolean,
): Map<string, Requirement> {
  const required = new Map<string, Requirement>();
  for (const id of ids) {
    const ownClassification = own.get(id) as OwnClassification;
    required.set(id, isMigrating(id) ? { rank: LEVEL_RANK[ownClassification.level], hds: ownClassification.hds } : NO_REQUIREMENT);
  }
  const pending = ids.filter(isMigrating);
  while (pending.length > 0) {
    const id = pending.pop() as string;
    const requirement = required.get(id) as Requirement;
    for (const dependencyId of dependenciesById.get(id) ?? []) {
      const dependency = required.get(dependencyId);
      if (dependency === undefined) continue;
      if (dependency.rank < requirement.rank || (requirement.hds && !dependency.hds)) {
        required.set(dependencyId, {
          rank: Math.max(dependency.rank, requirement.rank),
          hds: dependency.hds || requirement.hds,
        });
        pending.push(dependencyId);
      }
    }
  }
  return required;
}

/** A migrating workload that relies on another one, directly or through workloads that stay on site. */
interface RequirementCarrier {
  dependentId: string;
  /** `NOT_ELIGIBLE` workloads between them, on one path per on-site direct dependent; empty when direct only. */
  through: readonly string[];
}

/**
 * For each migrating workload, the migrating workloads that pass their requirement straight
 * onto it (R8): its direct migrating dependents, and those that reach it through
 * `NOT_ELIGIBLE` workloads only. Each `NOT_ELIGIBLE` workload learns once, in dependency order,
 * which migrating workloads reach it and by which next hop, so the work is the size of those
 * tables plus the size of the answer, with no recursion (long on-site chains cannot overflow
 * the stack). Terminates on cycles: a cycle of on-site workloads is simply not crossed twice.
 */
function requirementCarriers(
  ids: readonly string[],
  dependenciesById: ReadonlyMap<string, readonly string[]>,
  isMigrating: (id: string) => boolean,
): Map<string, RequirementCarrier[]> {
  const dependentsById = new Map<string, string[]>(ids.map((id) => [id, []]));
  for (const id of ids) for (const dependency of dependenciesById.get(id) ?? []) dependentsById.get(dependency)?.push(id);

  // For each NOT_ELIGIBLE workload: migrating workload that reaches it -> its next hop on the way up.
  const nextHops = new Map<string, Map<string, string>>();
  const nextHopsOf = (notEligibleId: string): Map<string, string> => {
    const inProgress = new Set<string>();
    const stack: { id: string; expanded: boolean }[] = [{ id: notEligibleId, expanded: false }];
    while (stack.length > 0) {
      const frame = stack[stack.length - 1] as { id: string; expanded: boolean };
      if (nextHops.has(frame.id)) {
        stack.pop();
        continue;
      }
      const dependents = dependentsById.get(frame.id) ?? [];
      if (!frame.expanded) {
        frame.expanded = true;
        inProgress.add(frame.id);
        for (const dependent of dependents) {
          if (!isMigrating(dependent) && !nextHops.has(dependent) && !inProgress.has(dependent)) stack.push({ id: dependent, expanded: false });
        }
        continue;
      }
      stack.pop();
      inProgress.delete(frame.id);
      const hops = new Map<string, string>();
      for (const dependent of dependents) {
        if (isMigrating(dependent)) {
          if (!hops.has(dependent)) hops.set(dependent, dependent);
          continue;
        }
        for (const entry of nextHops.get(dependent)?.keys() ?? []) if (!hops.has(entry)) hops.set(entry, dependent);
      }
      nextHops.set(frame.id, hops);
    }
    return nextHops.get(notEligibleId) ?? new Map<string, string>();
  };

  const carriers = new Map<string, RequirementCarrier[]>();
  for (const id of ids) {
    if (!isMigrating(id)) continue;
    const byDependent = new Map<string, Set<string>>();
    for (const dependent of dependentsById.get(id) ?? []) {
      if (isMigrating(dependent)) {
        if (!byDependent.has(dependent)) byDependent.set(dependent, new Set());
        continue;
      }
      for (const entry of nextHopsOf(dependent).keys()) {
        const through = byDependent.get(entry) ?? new Set<string>();
        // Walk up the recorded hops from this on-site dependent to the migrating entry.
        for (let hop = dependent; hop !== entry && !through.has(hop); hop = nextHops.get(hop)?.get(entry) ?? entry) through.add(hop);
        byDependent.set(entry, through);
      }
    }
    carriers.set(
      id,
      [...byDependent].map(([dependentId, through]) => ({ dependentId, through: [...through].sort(compareIds) })),
    );
  }
  return carriers;
}

function hybridDependencyWarnings(
  migrating: readonly WorkloadClassification[],
  dependenciesById: ReadonlyMap<string, readonly string[]>,
  own: ReadonlyMap<string, OwnClassification>,
  workloadsById: ReadonlyMap<string, Pick<Workload, 'kind' | 'dataCategories'>>,
): ClassificationWarning[] {
  const warnings: ClassificationWarning[] = [];
  for (const workload of migrating) {
    for (const dependencyId of dependenciesById.get(workload.id) ?? []) {
      const dependency = own.get(dependencyId);
      if (dependency?.level !== 'NOT_ELIGIBLE') continue;
      warnings.push({
        code: 'HYBRID_DEPENDENCY',
        workloadId: workload.id,
        dependsOn: dependencyId,
        message: `${workload.id} depends on ${dependencyId}, which stays out of the cloud (${dependency.reason ?? 'R1'}): it will reach back on-premises`,
        description: message('WARNING_HYBRID_DEPENDENCY', {
          workloadId: workload.id,
          dependsOn: dependencyId,
          causes: notEligibleCauses(workloadsById.get(dependencyId) ?? { kind: 'ot', dataCategories: [] }),
        }),
      });
    }
  }
  return warnings;
}

const APPROVAL_BASES: Record<ApprovalId, string> = {
  rssi: "the customer's security officer signs off every migration",
  dpo: 'GDPR art. 38-39: the data protection officer is involved in processing of personal data',
  dpia: 'GDPR art. 35: data protection impact assessment of high-risk processing',
  homologation: 'RGS / PSSIE: security homologation of the information system before it goes live',
  'anssi-notification': "LPM: ANSSI is notified of changes to an OIV's vital information system",
};

const APPROVAL_CATEGORIES = ['PERSONAL', 'PERSONAL_SPECIAL', 'HEALTH', 'SIIV'] as const satisfies readonly DataCategory[];

/** The approvals table of docs/rules.md, over migrating workloads only. */
function requiredApprovals(
  customerType: CustomerType,
  migrating: readonly WorkloadClassification[],
  workloadsById: ReadonlyMap<string, Workload>,
): ApprovalRequirement[] {
  // One pass over the migrating workloads (already sorted by id) collects who holds what.
  const holders = new Map<DataCategory, string[]>(APPROVAL_CATEGORIES.map((category) => [category, []]));
  const atLevel = new Map<HostingLevel, string[]>([
    ['SECNUMCLOUD', []],
    ['SECNUMCLOUD_DEDICATED', []],
  ]);
  for (const workload of migrating) {
    for (const category of workloadsById.get(workload.id)?.dataCategories ?? []) {
      const ids = holders.get(category);
      if (ids !== undefined && ids[ids.length - 1] !== workload.id) ids.push(workload.id);
    }
    atLevel.get(workload.level)?.push(workload.id);
  }
  const reasonsFor = (groups: ReadonlyMap<string, readonly string[]>, keys: readonly string[]): string[] =>
    keys.flatMap((key) => {
      const ids = groups.get(key) ?? [];
      return ids.length > 0 ? [`${key} in ${formatIdList(ids)}`] : [];
    });
  const categoryMessages = (keys: readonly (typeof APPROVAL_CATEGORIES)[number][]): Message[] =>
    keys.flatMap((category) => {
      const { ids, count } = listedIds(holders.get(category) ?? []);
      return count > 0 ? [message('APPROVAL_NEEDED_FOR_CATEGORY', { category, workloadIds: ids, workloadCount: count })] : [];
    });
  const requirement = (id: ApprovalId, rules: string[], reasons: Message[]): ApprovalRequirement => ({
    id,
    role: APPROVAL_DECIDERS[id],
    rules,
    basis: APPROVAL_BASES[id],
    reasons,
    basisMessage: message('APPROVAL_BASIS', { approvalId: id }),
  });

  const approvals: ApprovalRequirement[] = [requirement('rssi', ['always'], [message('APPROVAL_NEEDED_ALWAYS', {})])];

  const dpoReasons = reasonsFor(holders, ['PERSONAL', 'PERSONAL_SPECIAL', 'HEALTH']);
  if (dpoReasons.length > 0) approvals.push(requirement('dpo', dpoReasons, categoryMessages(['PERSONAL', 'PERSONAL_SPECIAL', 'HEALTH'])));

  // GDPR art. 35: special categories and health data call for an impact assessment.
  const dpiaReasons = reasonsFor(holders, ['PERSONAL_SPECIAL', 'HEALTH']);
  if (dpiaReasons.length > 0) approvals.push(requirement('dpia', dpiaReasons, categoryMessages(['PERSONAL_SPECIAL', 'HEALTH'])));

  const homologationReasons = reasonsFor(atLevel, ['SECNUMCLOUD', 'SECNUMCLOUD_DEDICATED']);
  const homologationMessages: Message[] = (['SECNUMCLOUD', 'SECNUMCLOUD_DEDICATED'] as const).flatMap((level): Message[] => {
    const { ids, count } = listedIds(atLevel.get(level) ?? []);
    return count > 0 ? [message('APPROVAL_NEEDED_FOR_LEVEL', { level, workloadIds: ids, workloadCount: count })] : [];
  });
  if (customerType === 'STATE' || customerType === 'LOCAL_AUTHORITY') {
    homologationReasons.push(`customer type ${customerType}`);
    homologationMessages.push(message('APPROVAL_NEEDED_FOR_CUSTOMER_TYPE', { customerType }));
  }
  if (homologationReasons.length > 0) approvals.push(requirement('homologation', homologationReasons, homologationMessages));

  const anssiReasons = reasonsFor(holders, ['SIIV']);
  if (anssiReasons.length > 0) approvals.push(requirement('anssi-notification', anssiReasons, categoryMessages(['SIIV'])));
  return approvals;
}

/** What R1 finds in a workload, in {@link NOT_ELIGIBLE_CAUSES} order; empty when it may migrate. */
export function notEligibleCauses(workload: Pick<Workload, 'kind' | 'dataCategories'>): NotEligibleCause[] {
  const causes: NotEligibleCause[] = [];
  if (workload.dataCategories.includes('CLASSIFIED')) causes.push('CLASSIFIED');
  if (workload.kind === 'ot') causes.push('INDUSTRIAL_CONTROL');
  return causes;
}

/** Builds a landing zone id from its level and hds flag: `secnumcloud-dedicated-hds`. */
export function landingZoneId(level: CloudHostingLevel, hds: boolean): string {
  return `${level.toLowerCase().replace(/_/g, '-')}${hds ? '-hds' : ''}`;
}

function planLandingZones(migrating: readonly WorkloadClassification[]): LandingZone[] {
  const zones = new Map<string, LandingZone>();
  for (const workload of migrating) {
    if (workload.kind === 'm365' || workload.level === 'NOT_ELIGIBLE') continue;
    const id = landingZoneId(workload.level, workload.hds);
    const zone = zones.get(id) ?? { id, level: workload.level, hds: workload.hds, workloadIds: [] };
    zone.workloadIds.push(workload.id);
    zones.set(id, zone);
  }
  return [...zones.values()].sort(
    (left, right) => compareHostingLevels(left.level, right.level) || Number(left.hds) - Number(right.hds),
  );
}

/**
 * What a set of landing zones and m365 workloads needs from the provider (R9). The Microsoft 365
 * tenant counts too: it holds the data of its workloads, health data included.
 */
function qualificationNeedsOf(
  landingZones: readonly LandingZone[],
  m365Workloads: readonly WorkloadClassification[],
): QualificationNeeds {
  const secnumcloudNeededBy = landingZones.filter((zone) => zone.level !== 'STANDARD').map((zone) => zone.id);
  const hdsNeededBy = landingZones.filter((zone) => zone.hds).map((zone) => zone.id);
  if (m365Workloads.some((workload) => workload.level === 'SECNUMCLOUD' || workload.level === 'SECNUMCLOUD_DEDICATED')) {
    secnumcloudNeededBy.push(M365_TENANT_ID);
  }
  if (m365Workloads.some((workload) => workload.hds)) hdsNeededBy.push(M365_TENANT_ID);
  return {
    secnumcloud: secnumcloudNeededBy.length > 0,
    hds: hdsNeededBy.length > 0,
    secnumcloudNeededBy,
    hdsNeededBy,
  };
}

/**
 * A zone as the gate (R9) and derogations (R10) see it: a landing zone, or the Microsoft 365
 * tenant (`m365-tenant`) at the strictest level and `hds` flag of its workloads, since one
 * tenant holds them all.
 */
export interface GateZone {
  zoneId: string;
  level: CloudHostingLevel;
  hds: boolean;
  /** Sorted by id. */
  workloadIds: string[];
}

/** The zones of a classification that the gate considers, landing zones first, in report order. */
export function gateZones(report: Pick<ClassificationReport, 'landingZones' | 'workloads'>): GateZone[] {
  const zones: GateZone[] = report.landingZones.map((zone) => ({
    zoneId: zone.id,
    level: zone.level,
    hds: zone.hds,
    workloadIds: [...zone.workloadIds],
  }));
  let rank = -1;
  let hds = false;
  const m365: string[] = [];
  for (const workload of report.workloads) {
    if (!workload.migrates || workload.kind !== 'm365' || workload.level === 'NOT_ELIGIBLE') continue;
    rank = Math.max(rank, LEVEL_RANK[workload.level]);
    hds ||= workload.hds;
    m365.push(workload.id);
  }
  if (m365.length > 0) {
    zones.push({ zoneId: M365_TENANT_ID, level: CLOUD_HOSTING_LEVELS[rank] ?? 'STANDARD', hds, workloadIds: m365.sort(compareIds) });
  }
  return zones;
}

/** What the provider must hold before provisioning one landing zone (R9); `STANDARD` zones need nothing. */
export function qualificationNeedsForZone(zone: Pick<LandingZone, 'id' | 'level' | 'hds'>): QualificationNeeds {
  const secnumcloud = zone.level !== 'STANDARD';
  return {
    secnumcloud,
    hds: zone.hds,
    secnumcloudNeededBy: secnumcloud ? [zone.id] : [],
    hdsNeededBy: zone.hds ? [zone.id] : [],
  };
}

/**
 * R9: whether the provider's credentials cover the needs. SecNumCloud counts only once
 * `QUALIFIED`: the J0, J1 and J2 milestones are not a qualification in force.
 */
export function qualificationSatisfied(needs: QualificationNeeds, credentials: ProviderCredentials): QualificationCheck {
  const missing: string[] = [];
  const texts: Message[] = [];
  if (needs.secnumcloud && credentials.secnumcloud !== 'QUALIFIED') {
    missing.push(
      `SecNumCloud qualification in force (the provider is at milestone ${credentials.secnumcloud}), needed by ${formatIdList(needs.secnumcloudNeededBy)}`,
    );
    const { ids, count } = listedIds(needs.secnumcloudNeededBy);
    texts.push(message('GATE_WAITS_FOR_SECNUMCLOUD', { milestone: credentials.secnumcloud, neededBy: ids, neededByCount: count }));
  }
  if (needs.hds && !credentials.hds) {
    missing.push(`HDS certificate, needed by ${formatIdList(needs.hdsNeededBy)}`);
    const { ids, count } = listedIds(needs.hdsNeededBy);
    texts.push(message('GATE_WAITS_FOR_HDS', { neededBy: ids, neededByCount: count }));
  }
  return { satisfied: missing.length === 0, missing, texts };
}

function summarize(workloads: readonly WorkloadClassification[]): ClassificationSummary {
  const byLevel: Record<HostingLevel, number> = { STANDARD: 0, SECNUMCLOUD: 0, SECNUMCLOUD_DEDICATED: 0, NOT_ELIGIBLE: 0 };
  for (const workload of workloads) byLevel[workload.level] += 1;
  const migrating = workloads.length - byLevel.NOT_ELIGIBLE;
  return {
    total: workloads.length,
    migrating,
    notEligible: byLevel.NOT_ELIGIBLE,
    hds: workloads.filter((workload) => workload.hds).length,
    byLevel,
  };
}

const LISTED_IDS = 5;

/** `a, b, c` or `a, b, c, d, e and 12 more`: reasons stay readable for plans of thousands of workloads. */
function formatIdList(ids: readonly string[]): string {
  if (ids.length <= LISTED_IDS) return ids.join(', ');
  return `${ids.slice(0, LISTED_IDS).join(', ')} and ${ids.length - LISTED_IDS} more`;
}

function uniqueSorted(ids: readonly string[]): string[] {
  return [...new Set(ids)].sort(compareIds);
}
