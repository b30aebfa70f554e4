/**
 * Graph algorithms over workload dependencies, on nodes numbered 0..n-1 with `successors[node]`
 * listing the nodes it depends on. Iterative throughout, so that ten thousand workloads cannot
 * overflow the stack (the workflow sandbox has no bigger one). Pure and deterministic.
 */

/** Tells whether the graph has a cycle, by Kahn's algorithm in linear time. */
export function hasCycle(successors: readonly (readonly number[])[]): boolean {
  const inDegree = new Array<number>(successors.length).fill(0);
  for (const targets of successors) for (const target of targets) inDegree[target] = (inDegree[target] ?? 0) + 1;
  const ready: number[] = [];
  inDegree.forEach((degree, node) => {
    if (degree === 0) ready.push(node);
  });
  for (let head = 0; head < ready.length; head += 1) {
    for (const target of successors[ready[head] ?? 0] ?? []) {
      inDegree[target] = (inDegree[target] ?? 0) - 1;
      if (inDegree[target] === 0) ready.push(target);
    }
  }
  return ready.length < successors.length;
}

/** Strongly connected components by Tarjan's algorithm, without recursion. */
export function stronglyConnectedComponents(successors: readonly (readonly number[])[]): number[][] {
  const nodeCount = successors.length;
  const order = new Array<number>(nodeCount).fill(-1);
  const lowLink = new Array<number>(nodeCount).fill(0);
  const onStack = new Array<boolean>(nodeCount).fill(false);
  const stack: number[] = [];
  const components: number[][] = [];
  let counter = 0;

  for (let root = 0; root < nodeCount; root += 1) {
    if (order[root] !== -1) continue;
    const frames: { node: number; next: number }[] = [{ node: root, next: 0 }];
    order[root] = lowLink[root] = counter++;
    stack.push(root);
    onStack[root] = true;
    while (frames.length > 0) {
      const frame = frames[frames.length - 1];
      if (frame === undefined) break;
      const targets = successors[frame.node] ?? [];
      if (frame.next < targets.length) {
        const target = targets[frame.next++] ?? 0;
        if (order[target] === -1) {
          order[target] = lowLink[target] = counter++;
          stack.push(target);
          onStack[target] = true;
          frames.push({ node: target, next: 0 });
        } else if (onStack[target]) {
          lowLink[frame.node] = Math.min(lowLink[frame.node] ?? 0, order[target] ?? 0);
        }
        continue;
      }
      frames.pop();
      const parent = frames[frames.length - 1];
      if (parent !== undefined) lowLink[parent.node] = Math.min(lowLink[parent.node] ?? 0, lowLink[frame.node] ?? 0);
      if (lowLink[frame.node] === order[frame.node]) {
        const component: number[] = [];
        let member: number | undefined;
        do {
          member = stack.pop();
          if (member === undefined) break;
          onStack[member] = false;
          component.push(member);
        } while (member !== frame.node);
        components.push(component);
      }
    }
  }
  return components;
}

/**
 * The shortest cycle from `start` back to itself inside one strongly connected component, by
 * breadth-first search; with neighbours sorted by id, the result is deterministic.
 */
export function shortestCycleThrough(start: number, successors: readonly (readonly number[])[], members: ReadonlySet<number>): number[] {
  const previous = new Map<number, number>();
  const queue: number[] = [start];
  for (let head = 0; head < queue.length; head += 1) {
    const node = queue[head] ?? start;
    for (const target of successors[node] ?? []) {
      if (!members.has(target)) continue;
      if (target === start) {
        const cycle = [node];
        let cursor = node;
        while (cursor !== start) {
          cursor = previous.get(cursor) ?? start;
          cycle.push(cursor);
        }
        return cycle.reverse();
      }
      if (!previous.has(target)) {
        previous.set(target, node);
        queue.push(target);
      }
    }
  }
  return [start];
}
