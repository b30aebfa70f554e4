/**
 * Cutover waves from the dependency graph: a workload moves in a strictly later wave than each
 * migrating workload it depends on, so that what it relies on is already in the cloud.
 * Pure and deterministic; O(n log n) in the number of workloads plus linear in dependencies.
 */
import type { ClassificationReport } from './classification';
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
 * `maxWaveSize`, taking workloads by dependency depth, then id.
 *
 * @throws RangeError when the migrating workloads' dependencies form a cycle, which
 *   `validatePlan` rejects beforehand.
 */
export function planWaves(plan: Plan, report: ClassificationReport): CutoverWave[] {
  const maxWaveSize = Math.max(1, Math.floor(plan.settings.maxWaveSize));
  const migratingIds = new Set(report.workloads.filter((workload) => workload.migrates).map((workload) => workload.id));

  const dependenciesById = new Map<string, string[]>();
  for (const workload of plan.workloads) {
    if (!migratingIds.has(workload.id) || dependenciesById.has(workload.id)) continue;
    const dependencies = new Set(workload.dependsOn.filter((id) => id !== workload.id && migratingIds.has(id)));
    dependenciesById.set(workload.id, [...dependencies]);
  }

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
    index: position + 1,
    id: `wave-${position + 1}`,
    workloadIds: workloadIds.sort(compareIds),
  }));
}

/** Longest chain of migrating dependencies below each workload (0 for none), by Kahn's algorithm. */
function dependencyDepths(dependenciesById: ReadonlyMap<string, readonly string[]>): Map<string, number> {
  const remaining = new Map<string, number>();
  const dependentsById = new Map<string, string[]>();
  for (const [id, dependencies] of dependenciesById) {
    remaining.set(id, dependencies.length);
    for (const dependency of dependencies) {
      const dependents = dependentsById.get(dependency) ?? [];
      dependents.push(id);
      dependentsById.set(dependency, dependents);
    }
  }
  const depthById = new Map<string, number>();
  const ready = [...dependenciesById.keys()].filter((id) => remaining.get(id) === 0);
  for (const id of ready) depthById.set(id, 0);
  for (let head = 0; head < ready.length; head += 1) {
    const id = ready[head] as string;
    const depth = depthById.get(id) ?? 0;
    for (const dependent of dependentsById.get(id) ?? []) {
      depthById.set(dependent, Math.max(depthById.get(dependent) ?? 0, depth + 1));
      const left = (remaining.get(dependent) ?? 0) - 1;
      remaining.set(dependent, left);
      if (left === 0) ready.push(dependent);
    }
  }
  if (ready.length < dependenciesById.size) {
    throw new RangeError('cannot plan waves: the dependencies of the migrating workloads form a cycle (validatePlan rejects such plans)');
  }
  return depthById;
}
