/**
 * Cutover waves from the dependency graph: a workload moves in a strictly later wave than each
 * migrating workload it depends on, so that what it relies on is already in the cloud.
 * Pure and deterministic; O(n log n) in the number of workloads plus linear in dependencies.
 */
import type { ClassificationReport } from './classification';
import { dependencyOrder } from './dependency-order';
import { compareIds, type Plan } from './plan';

/** One cutover wave. */
export interface CutoverWave {
  /** 1-based. */
  index: number;
  /** `wave-1`, `wave-2`…: stable and URL-safe, part of step ids such as `cutover.wave-2.dpi.switch`. */
  id: string;
  /** Sorted by id. */
  workloadIds: string[];
}

/**
 * Plans the cutover waves of the migrating workloads of a validated plan: each workload lands
 * in the earliest wave after all of its migrating dependencies that still has room for
 * `maxWaveSize`, taking workloads by dependency depth, then id. It orders direct migrating
 * dependencies only and is kept as it is for runs already in flight (the workflow replays it);
 * new code uses {@link planCutoverWaves}, which also orders dependencies through workloads
 * that stay on site and plans a subset (what the gate lets proceed).
 *
 * @throws RangeError when the migrating workloads' dependencies form a cycle, which
 *   `validatePlan` rejects beforehand.
 */
export function planWaves(plan: Plan, report: ClassificationReport): CutoverWave[] {
  const migratingIds = new Set(report.workloads.filter((workload) => workload.migrates).map((workload) => workload.id));

  const dependenciesById = new Map<string, string[]>();
  for (const workload of plan.workloads) {
    if (!migratingIds.has(workload.id) || dependenciesById.has(workload.id)) continue;
    const dependencies = new Set(workload.dependsOn.filter((id) => id !== workload.id && migratingIds.has(id)));
    dependenciesById.set(workload.id, [...dependencies]);
  }
  return assignWaves(dependenciesById, plan.settings.maxWaveSize, 1);
}

/** Options of {@link planCutoverWaves}. */
export interface CutoverWaveOptions {
  /**
   * The migrating workloads to plan, for example those that the gate lets proceed now
   * (`planGate(...).proceedingWorkloadIds`); every migrating workload when absent. Ids that are
   * not migrating workloads of the report are ignored.
   */
  workloadIds?: readonly string[];
  /** Index of the first wave, so that a later batch continues the numbering (`wave-4`…); 1 by default. */
  firstIndex?: number;
  /** Overrides the plan's `maxWaveSize` (the workflow caps it). */
  maxWaveSize?: number;
}

/**
 * Plans cutover waves for a set of migrating workloads: each lands in the earliest wave after
 * every migrating workload it relies on, directly or through workloads that stay on site
 * (X → N → Y: Y moves before X, as R8 and R9 read the dependency), that has room for
 * `maxWaveSize`. Dependencies outside the set are taken as settled (migrated in an earlier
 * batch); the gate never lets a workload proceed before what it relies on.
 *
 * @throws RangeError when the dependencies among the set form a cycle, which `validatePlan`
 *   rejects beforehand, or when `firstIndex` is not a positive integer.
 */
export function planCutoverWaves(plan: Plan, report: ClassificationReport, options: CutoverWaveOptions = {}): CutoverWave[] {
  const firstIndex = options.firstIndex ?? 1;
  if (!Number.isSafeInteger(firstIndex) || firstIndex < 1) throw new RangeError(`firstIndex must be a positive integer, not ${firstIndex}`);
  const migratingIds = new Set(report.workloads.filter((workload) => workload.migrates).map((workload) => workload.id));
  const selected = options.workloadIds === undefined ? migratingIds : new Set(options.workloadIds.filter((id) => migratingIds.has(id)));

  const directById = new Map<string, string[]>();
  for (const workload of plan.workloads) {
    if (!directById.has(workload.id)) directById.set(workload.id, workload.dependsOn.filter((id) => id !== workload.id));
  }
  // What lies beyond each on-site workload: the migrating workloads reached through on-site ones only.
  const beyondOnSite = new Map<string, string[]>();
  const migratingBeyond = (onSiteId: string): string[] => {
    const known = beyondOnSite.get(onSiteId);
    if (known !== undefined) return known;
    const found = new Set<string>();
    const visited = new Set<string>([onSiteId]);
    const stack = [onSiteId];
    while (stack.length > 0) {
      const id = stack.pop() as string;
      for (const dependency of directById.get(id) ?? []) {
        if (visited.has(dependency) || !directById.has(dependency)) continue;
        visited.add(dependency);
        if (migratingIds.has(dependency)) found.add(dependency);
        else stack.push(dependency);
      }
    }
    const result = [...found];
    beyondOnSite.set(onSiteId, result);
    return result;
  };

  const dependenciesById = new Map<string, string[]>();
  for (const id of [...selected].sort(compareIds)) {
    const dependencies = new Set<string>();
    for (const dependency of directById.get(id) ?? []) {
      if (migratingIds.has(dependency)) {
        if (selected.has(dependency)) dependencies.add(dependency);
      } else if (directById.has(dependency)) {
        for (const beyond of migratingBeyond(dependency)) if (selected.has(beyond) && beyond !== id) dependencies.add(beyond);
      }
    }
    dependenciesById.set(id, [...dependencies]);
  }
  return assignWaves(dependenciesById, options.maxWaveSize ?? plan.settings.maxWaveSize, firstIndex);
}

/** Places workloads in waves by dependency depth, then id, each in the earliest wave with room after its dependencies. */
function assignWaves(dependenciesById: ReadonlyMap<string, readonly string[]>, requestedMaxWaveSize: number, firstIndex: number): CutoverWave[] {
  const maxWaveSize = Math.max(1, Math.floor(requestedMaxWaveSize));
  const depthById = dependencyDepths(dependenciesById);
  const order = [...dependenciesById.keys()].sort(
    (left, right) => (depthById.get(left) ?? 0) - (depthById.get(right) ?? 0) || compareIds(left, right),
  );

  const waves: string[][] = [];
  // nextCandidate[w] points past wave w once it is full (union-find style, path-compressed),
  // so finding the first wave with room stays near constant time.
  const nextCandidate: number[] = [];
  const findWaveWithRoom = (from: number): number => {
    let wave = from;
    while (wave < waves.length && (waves[wave]?.length ?? 0) >= maxWaveSize) wave = nextCandidate[wave] ?? wave + 1;
    let cursor = from;
    while (cursor < wave) {
      const next = nextCandidate[cursor] ?? cursor + 1;
      nextCandidate[cursor] = wave;
      cursor = next;
    }
    return wave;
  };

  const waveById = new Map<string, number>();
  for (const id of order) {
    let earliest = 0;
    for (const dependency of dependenciesById.get(id) ?? []) earliest = Math.max(earliest, (waveById.get(dependency) ?? -1) + 1);
    const wave = findWaveWithRoom(earliest);
    while (waves.length <= wave) {
      nextCandidate.push(waves.length + 1);
      waves.push([]);
    }
    waves[wave]?.push(id);
    waveById.set(id, wave);
  }

  return waves.map((workloadIds, position) => ({
    index: firstIndex + position,
    id: `wave-${firstIndex + position}`,
    workloadIds: workloadIds.sort(compareIds),
  }));
}

/** Longest chain of migrating dependencies below each workload (0 for none), by Kahn's algorithm. */
function dependencyDepths(dependenciesById: ReadonlyMap<string, readonly string[]>): Map<string, number> {
  const { order, complete } = dependencyOrder(dependenciesById);
  if (!complete) {
    throw new RangeError('cannot plan waves: the dependencies of the migrating workloads form a cycle (validatePlan rejects such plans)');
  }
  const depthById = new Map<string, number>();
  for (const id of order) {
    const dependencies = dependenciesById.get(id) ?? [];
    depthById.set(id, dependencies.reduce((depth, dependency) => Math.max(depth, (depthById.get(dependency) ?? 0) + 1), 0));
  }
  return depthById;
}
