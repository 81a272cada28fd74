export interface Edge {
  from: number;
  to: number;
}

/**
 * The edges that lie on a cycle of the wait-for graph: a deadlock. The
 * kernel refuses the request that would close a cycle (EDEADLK), so a cycle
 * here is rare, but a chain of waiters is worth drawing either way.
 */
export function cycleEdges(edges: readonly Edge[]): Set<string> {
  const out = new Map<number, number[]>();
  for (const e of edges) out.set(e.from, [...(out.get(e.from) ?? []), e.to]);
  const onCycle = new Set<string>();
  // An edge a→b is on a cycle when a is reachable from b.
  const reaches = (start: number, goal: number): boolean => {
    const seen = new Set<number>();
    const stack = [start];
    while (stack.length > 0) {
      const n = stack.pop()!;
      if (n === goal) return true;
      if (seen.has(n)) continue;
      seen.add(n);
      stack.push(...(out.get(n) ?? []));
    }
    return false;
  };
  for (const e of edges) if (reaches(e.to, e.from)) onCycle.add(`${e.from}->${e.to}`);
  return onCycle;
}
