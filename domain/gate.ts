/**
 * The regulatory gate per landing zone (docs/rules.md, R9 and R10), as a pure planner: given
 * the classification, the provider's status and the run's derogations, which zones may be
 * provisioned now, what each waiting zone waits for, and which migrating workloads must wait
 * because they or what they rely on (directly or through other workloads, those that stay on
 * site included) sit in a waiting zone. The customer's tenant never waits.
 *
 * Pure and deterministic; linear in workloads and dependencies (a workload sits in one of at
 * most seven zones, so the zones it waits for fit in a bit set).
 */
import {
  gateZones,
  type ClassificationReport,
  type CloudHostingLevel,
  type ProviderCredentials,
  qualificationSatisfied,
  type SecNumCloudStatus,
} from './classification';
import { derogationId, isDerogationInForce, type Derogation } from './derogations';
import { message, type Message } from './messages';
import { dependencyOrder } from './dependency-order';
import { compareIds, type Plan } from './plan';

/** What a zone may need from the provider before it is provisioned (R9). */
export const GATE_NEEDS = ['SECNUMCLOUD_QUALIFICATION', 'HDS_CERTIFICATE'] as const;
/** One of {@link GATE_NEEDS}. */
export type GateNeed = (typeof GATE_NEEDS)[number];

/** Whether a zone may be provisioned now. */
export const ZONE_GATE_STATES = ['CLEAR', 'WAITING'] as const;
/** One of {@link ZONE_GATE_STATES}. */
export type ZoneGateState = (typeof ZONE_GATE_STATES)[number];

/** One zone at the gate. */
export interface ZoneGate {
  /** A landing zone id (`secnumcloud-hds`) or `m365-tenant`. */
  zoneId: string;
  level: CloudHostingLevel;
  hds: boolean;
  /** Sorted by id. */
  workloadIds: string[];
  /** What the zone needs from the provider, in {@link GATE_NEEDS} order; empty for `STANDARD` without `hds`. */
  needs: GateNeed[];
  /** What it still lacks now; empty when `CLEAR`. */
  waitingFor: GateNeed[];
  state: ZoneGateState;
  /** The derogation in force that lets it past the SecNumCloud need (R10), if any. */
  derogationId?: string;
}

/** A migrating workload that must wait at the gate, and for which zones. */
export interface WorkloadGateWait {
  workloadId: string;
  /** Its own zone. */
  zoneId: string;
  /** Whether its own zone waits (otherwise only what it relies on does). */
  ownZoneWaiting: boolean;
  /** The waiting zones that it or what it relies on sits in, in zone order. */
  waitingZoneIds: string[];
}

/** The gate's answer for a run at one moment. */
export interface GatePlan {
  /** In {@link gateZones} order: landing zones by level then hds, then `m365-tenant`. */
  zones: ZoneGate[];
  /** Zones that may be provisioned now. */
  clearZoneIds: string[];
  waitingZoneIds: string[];
  /** Migrating workloads that may be cut over now (once their zone is provisioned), sorted. */
  proceedingWorkloadIds: string[];
  /** Migrating workloads that wait, sorted by id. */
  waitingWorkloads: WorkloadGateWait[];
  /** True when no zone waits: the gate holds nothing back. */
  allClear: boolean;
}

/** Input of {@link planGate}. */
export interface GateInput {
  /** The plan, for its dependencies. */
  plan: Pick<Plan, 'workloads'>;
  report: Pick<ClassificationReport, 'landingZones' | 'workloads'>;
  provider: ProviderCredentials;
  /** The run's derogations; only those in force at `at` count (R10). */
  derogations?: readonly Derogation[];
  /** ISO 8601 date-time at which derogations are judged; required when there are derogations. */
  at?: string;
}

/** What one zone needs from the provider (R9): `STANDARD` without `hds` needs nothing. */
export function zoneNeeds(zone: { level: CloudHostingLevel; hds: boolean }): GateNeed[] {
  const needs: GateNeed[] = [];
  if (zone.level !== 'STANDARD') needs.push('SECNUMCLOUD_QUALIFICATION');
  if (zone.hds) needs.push('HDS_CERTIFICATE');
  return needs;
}

/** What the provider lacks of `needs`: SecNumCloud counts only once `QUALIFIED` (J0 to J2 do not). */
export function missingNeeds(needs: readonly GateNeed[], provider: ProviderCredentials): GateNeed[] {
  return needs.filter((need) => (need === 'SECNUMCLOUD_QUALIFICATION' ? !isQualified(provider.secnumcloud) : !provider.hds));
}

/**
 * Plans the gate (R9, R10): each zone is `CLEAR` when the provider holds what it needs, or when
 * the only thing missing is the SecNumCloud qualification and a derogation of that zone is in
 * force; otherwise `WAITING`, with what it lacks. A migrating workload proceeds only when its
 * own zone is clear and so is the zone of everything it relies on, directly or through other
 * workloads (those that stay on site included), so that nothing migrates before what it
 * relies on.
 *
 * @throws RangeError when derogations are given without `at`, since whether they are in force
 *   depends on the time.
 */
export function planGate(input: GateInput): GatePlan {
  const derogations = input.derogations ?? [];
  if (derogations.length > 0 && input.at === undefined) {
    throw new RangeError('planGate needs the time (at) to judge whether derogations are in force');
  }
  const inForce = new Map<string, Derogation>();
  for (const derogation of derogations) {
    if (isDerogationInForce(derogation, input.at ?? '')) inForce.set(derogation.zoneId, derogation);
  }

  const zones = gateZones(input.report).map((zone): ZoneGate => {
    const needs = zoneNeeds(zone);
    let waitingFor = missingNeeds(needs, input.provider);
    const derogation = inForce.get(zone.zoneId);
    // R10: a derogation lifts the SecNumCloud need only, and only for a SECNUMCLOUD zone without hds.
    const derogated = derogation !== undefined && zone.level === 'SECNUMCLOUD' && !zone.hds && waitingFor.length > 0;
    if (derogated) waitingFor = waitingFor.filter((need) => need !== 'SECNUMCLOUD_QUALIFICATION');
    const gate: ZoneGate = {
      zoneId: zone.zoneId,
      level: zone.level,
      hds: zone.hds,
      workloadIds: [...zone.workloadIds].sort(compareIds),
      needs,
      waitingFor,
      state: waitingFor.length === 0 ? 'CLEAR' : 'WAITING',
    };
    if (derogated) gate.derogationId = derogationId(zone.zoneId);
    return gate;
  });

  const zoneIndexByWorkload = new Map<string, number>();
  zones.forEach((zone, index) => {
    for (const workloadId of zone.workloadIds) zoneIndexByWorkload.set(workloadId, index);
  });
  const waitingBits = waitingZoneBits(input.plan, zones, zoneIndexByWorkload);

  const proceedingWorkloadIds: string[] = [];
  const waitingWorkloads: WorkloadGateWait[] = [];
  for (const [workloadId, zoneIndex] of [...zoneIndexByWorkload].sort(([left], [right]) => compareIds(left, right))) {
    const bits = waitingBits.get(workloadId) ?? 0;
    if (bits === 0) {
      proceedingWorkloadIds.push(workloadId);
      continue;
    }
    waitingWorkloads.push({
      workloadId,
      zoneId: zones[zoneIndex]?.zoneId ?? '',
      ownZoneWaiting: zones[zoneIndex]?.state === 'WAITING',
      waitingZoneIds: zones.filter((_, index) => (bits & (1 << index)) !== 0).map((zone) => zone.zoneId),
    });
  }
  const waitingZoneIds = zones.filter((zone) => zone.state === 'WAITING').map((zone) => zone.zoneId);
  return {
    zones,
    clearZoneIds: zones.filter((zone) => zone.state === 'CLEAR').map((zone) => zone.zoneId),
    waitingZoneIds,
    proceedingWorkloadIds,
    waitingWorkloads,
    allClear: waitingZoneIds.length === 0,
  };
}

/**
 * For every workload, the bit set of waiting zones that it or anything it relies on sits in,
 * through every workload of the plan (those that stay on site have no zone but pass on what
 * lies beyond them). Dependencies first, by Kahn's algorithm; should the plan hold a cycle
 * (validatePlan rejects those), the remaining workloads settle by a monotone fixpoint.
 */
function waitingZoneBits(
  plan: Pick<Plan, 'workloads'>,
  zones: readonly ZoneGate[],
  zoneIndexByWorkload: ReadonlyMap<string, number>,
): Map<string, number> {
  const dependenciesById = new Map<string, string[]>();
  for (const workload of plan.workloads) if (!dependenciesById.has(workload.id)) dependenciesById.set(workload.id, []);
  for (const workload of plan.workloads) {
    const dependencies = dependenciesById.get(workload.id) ?? [];
    for (const dependency of workload.dependsOn) if (dependency !== workload.id && dependenciesById.has(dependency)) dependencies.push(dependency);
  }
  const ownBits = (id: string): number => {
    const index = zoneIndexByWorkload.get(id);
    return index !== undefined && zones[index]?.state === 'WAITING' ? 1 << index : 0;
  };

  const bits = new Map<string, number>();
  const { order, complete } = dependencyOrder(dependenciesById);
  for (const id of order) {
    let value = ownBits(id);
    for (const dependency of dependenciesById.get(id) ?? []) value |= bits.get(dependency) ?? 0;
    bits.set(id, value);
  }
  if (!complete) {
    const unsettled = [...dependenciesById.keys()].filter((id) => !bits.has(id));
    for (const id of unsettled) bits.set(id, ownBits(id));
    for (let changed = true; changed; ) {
      changed = false;
      for (const id of unsettled) {
        let value = bits.get(id) ?? 0;
        for (const dependency of dependenciesById.get(id) ?? []) value |= bits.get(dependency) ?? 0;
        if (value !== bits.get(id)) {
          bits.set(id, value);
          changed = true;
        }
      }
    }
  }
  return bits;
}

function isQualified(status: SecNumCloudStatus): boolean {
  return status === 'QUALIFIED';
}

/**
 * What the status shows of the gate, as message codes (domain/messages): one
 * `GATE_ZONE_WAITS` per waiting zone with what it lacks, and `GATE_ZONE_CLEARED` for a zone
 * that a derogation lets through; empty when nothing waits and no derogation is used.
 */
export function gateMessages(gate: Pick<GatePlan, 'zones'>, provider: ProviderCredentials): Message[] {
  return gate.zones.flatMap((zone): Message[] => {
    if (zone.state === 'WAITING') {
      return [message('GATE_ZONE_WAITS', { zoneId: zone.zoneId, needs: [...zone.waitingFor], milestone: provider.secnumcloud })];
    }
    return zone.derogationId === undefined ? [] : [message('GATE_ZONE_CLEARED', { zoneId: zone.zoneId, derogationId: zone.derogationId })];
  });
}

/** What the run's status shows of one zone at the gate (R9): what it needs, what it still waits for, how far it is. */
export interface ZoneGateStatus {
  zoneId: string;
  level: CloudHostingLevel;
  hds: boolean;
  needs: GateNeed[];
  /** What the provider still lacks for this zone; empty when `CLEAR`. */
  waitingFor: GateNeed[];
  state: ZoneGateState;
  /** The derogation in force that lets it past the SecNumCloud need (R10), if any. */
  derogationId?: string;
  /** Migrating workloads of the zone. */
  workloads: number;
  /** Those of them that wait: their zone waits, or what they rely on sits in a waiting zone. */
  heldWorkloads: number;
  /** Whether the zone's provisioning steps are all done (succeeded or skipped by an operator). */
  provisioned: boolean;
}

/** The gate as the run's status shows it: a line per missing need naming its zones, and each zone's state. */
export interface GateStatus {
  /** Human-readable: one line per need the provider lacks, naming the waiting zones that need it; empty when no zone waits. */
  waitingFor: string[];
  /** The same lines as message codes, rendered in the reader's language. */
  waitingForText: Message[];
  /** In {@link GatePlan.zones} order; its size depends on the zones (at most seven), not on the workloads. */
  zones: ZoneGateStatus[];
}

/**
 * What the status shows of a gate plan (R9): per zone what it waits for, how many of its
 * workloads are held and whether it is provisioned (`provisioned(zoneId)`, from the run's
 * steps); and the lines that say what the provider lacks, for the waiting zones only (a zone
 * that a derogation lets through is not named).
 */
export function gateStatus(gate: GatePlan, provider: ProviderCredentials, provisioned: (zoneId: string) => boolean): GateStatus {
  const held = new Map<string, number>();
  for (const wait of gate.waitingWorkloads) held.set(wait.zoneId, (held.get(wait.zoneId) ?? 0) + 1);
  const zones = gate.zones.map((zone): ZoneGateStatus => {
    const view: ZoneGateStatus = {
      zoneId: zone.zoneId,
      level: zone.level,
      hds: zone.hds,
      needs: [...zone.needs],
      waitingFor: [...zone.waitingFor],
      state: zone.state,
      workloads: zone.workloadIds.length,
      heldWorkloads: held.get(zone.zoneId) ?? 0,
      provisioned: provisioned(zone.zoneId),
    };
    if (zone.derogationId !== undefined) view.derogationId = zone.derogationId;
    return view;
  });
  const waiting = gate.zones.filter((zone) => zone.state === 'WAITING');
  const secnumcloudNeededBy = waiting.filter((zone) => zone.waitingFor.includes('SECNUMCLOUD_QUALIFICATION')).map((zone) => zone.zoneId);
  const hdsNeededBy = waiting.filter((zone) => zone.waitingFor.includes('HDS_CERTIFICATE')).map((zone) => zone.zoneId);
  const needs = { secnumcloud: secnumcloudNeededBy.length > 0, hds: hdsNeededBy.length > 0, secnumcloudNeededBy, hdsNeededBy };
  const check = qualificationSatisfied(needs, provider);
  return { waitingFor: check.missing, waitingForText: check.texts, zones };
}
