/**
 * The order in which a plan's dependency graph can be walked with every workload after what it
 * depends on (Kahn's algorithm), shared by the wave planner and the gate.
 */

/** Ids with each after its dependencies, and whether every id found its place (false on a cycle). */
export interface DependencyOrder {
  order: string[];
  complete: boolean;
}

/**
 * Orders the ids of `dependenciesById` (each id's dependencies, all of them ids of the map) so
 * that each comes after every one it depends on: first those that depend on nothing, in the
 * map's order, then each as soon as its last dependency is placed. Ids on a cycle (and those
 * beyond one) are left out, and `complete` is false.
 */
export function dependencyOrder(dependenciesById: ReadonlyMap<string, readonly string[]>): DependencyOrder {
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
  const order = [...dependenciesById.keys()].filter((id) => remaining.get(id) === 0);
  for (let head = 0; head < order.length; head += 1) {
    for (const dependent of dependentsById.get(order[head] as string) ?? []) {
      const left = (remaining.get(dependent) ?? 0) - 1;
      remaining.set(dependent, left);
      if (left === 0) order.push(dependent);
    }
  }
  return { order, complete: order.length === dependenciesById.size };
}
