/**
 * Non-dominated sorting and crowding distance over objective vectors that are all minimised
 * (callers negate maximised objectives first).
 * @module
 */

/** Whether `a` dominates `b` (no worse everywhere, better somewhere), all objectives minimised. */
export function dominatesMin(a: ArrayLike<number>, b: ArrayLike<number>): boolean {
  let strictly = false;
  for (let j = 0; j < a.length; j++) {
    if (a[j]! > b[j]!) return false;
    if (a[j]! < b[j]!) strictly = true;
  }
  return strictly;
}

/**
 * The fronts of a non-dominated sort (Deb's fast sort, O(n² m)): front 0 holds the indices no
 * other point dominates, front 1 those only front 0 dominates, and so on. Equal points share a
 * front. Indices within a front are ascending.
 */
export function nonDominatedFronts(values: readonly ArrayLike<number>[]): number[][] {
  const n = values.length;
  const dominatedBy = new Int32Array(n);
  const dominates: number[][] = Array.from({ length: n }, () => []);
  for (let a = 0; a < n; a++) {
    const va = values[a]!;
    for (let b = a + 1; b < n; b++) {
      const vb = values[b]!;
      let aBetter = false;
      let bBetter = false;
      for (let j = 0; j < va.length; j++) {
        if (va[j]! < vb[j]!) aBetter = true;
        else if (va[j]! > vb[j]!) bBetter = true;
      }
      if (aBetter && !bBetter) {
        dominates[a]!.push(b);
        dominatedBy[b]!++;
      } else if (bBetter && !aBetter) {
        dominates[b]!.push(a);
        dominatedBy[a]!++;
      }
    }
  }
  const fronts: number[][] = [];
  let front: number[] = [];
  for (let i = 0; i < n; i++) if (dominatedBy[i] === 0) front.push(i);
  while (front.length > 0) {
    fronts.push(front);
    const next: number[] = [];
    for (const i of front) for (const j of dominates[i]!) if (--dominatedBy[j]! === 0) next.push(j);
    next.sort((x, y) => x - y);
    front = next;
  }
  return fronts;
}

/**
 * Crowding distance of each index of `front` (same order): per objective, the normalised gap
 * between its neighbours, the two ends of each objective getting +Infinity. Ties in an objective
 * are broken by index, so equal points get deterministic distances.
 */
export function crowdingDistance(
  values: readonly ArrayLike<number>[],
  front: readonly number[],
): Float64Array {
  const k = front.length;
  const dist = new Float64Array(k);
  if (k <= 2) return dist.fill(Number.POSITIVE_INFINITY);
  const m = values[front[0]!]!.length;
  const order = Array.from({ length: k }, (_, i) => i);
  for (let o = 0; o < m; o++) {
    order.sort((a, b) => values[front[a]!]![o]! - values[front[b]!]![o]! || front[a]! - front[b]!);
    const lo = values[front[order[0]!]!]![o]!;
    const hi = values[front[order[k - 1]!]!]![o]!;
    dist[order[0]!] = Number.POSITIVE_INFINITY;
    dist[order[k - 1]!] = Number.POSITIVE_INFINITY;
    if (!(hi > lo) || !Number.isFinite(hi - lo)) continue;
    for (let r = 1; r < k - 1; r++) {
      const i = order[r]!;
      dist[i]! += (values[front[order[r + 1]!]!]![o]! - values[front[order[r - 1]!]!]![o]!) / (hi - lo);
    }
  }
  return dist;
}
