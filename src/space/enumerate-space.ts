/**
 * `enumerateSpace(space)`: every configuration of a finite declared space, conditions and
 * nested choices followed (a parameter appears only where it is active, so no configuration
 * is listed twice), and constraints applied (infeasible points are left out).
 * @module
 */
import { enumerate, type ParamValue, toExternal } from '../core/distributions.js';
import { InvalidSpaceError } from './errors.js';
import type { Shape } from './nodes.js';
import { isActive, paramsOf, type Space, satisfies } from './space.js';

/** Options of {@link enumerateSpace}. */
export interface EnumerateOptions {
  /** The most configurations to visit (feasible or not) before giving up. Default 1 000 000. */
  readonly maxPoints?: number;
  /** Prefix of error messages. Default `'enumerateSpace'`. */
  readonly who?: string;
}

/**
 * The configurations of a finite space as flat trial parameters (name → value), in declaration
 * order with the last parameter varying fastest.
 * @throws InvalidSpaceError naming the parameter when the space is infinite (a float without a
 *   step), or when it has more than `maxPoints` configurations.
 * @example
 * ```ts
 * enumerateSpace(space({ c: choice([0.1, 1, 10]), penalty: choice(['l1', 'l2']) })).length; // 6
 * ```
 */
export function enumerateSpace<S extends Shape>(
  s: Space<S>,
  options: EnumerateOptions = {},
): Record<string, ParamValue>[] {
  const who = options.who ?? 'enumerateSpace';
  const maxPoints = options.maxPoints ?? 1_000_000;
  const lists: ParamValue[][] = s.params.map((p) => {
    const d = p.distribution;
    try {
      return enumerate(d).map((x) => toExternal(d, x));
    } catch {
      const range = d.type === 'categorical' ? '' : ` [${d.low}, ${d.high}]`;
      throw new InvalidSpaceError(
        `${who}: parameter '${p.name}' is a continuous float${range}, which has no finite list of values, so the space cannot be enumerated. Give it a step (float(${d.type === 'categorical' ? 'low, high' : `${d.low}, ${d.high}`}, { step })), or use a sampler for infinite spaces (TPE, QMC, random).`,
      );
    }
  });
  const out: Record<string, ParamValue>[] = [];
  const values: Record<string, ParamValue> = {};
  let visited = 0;
  const visit = (i: number): void => {
    if (i === s.params.length) {
      if (++visited > maxPoints) {
        throw new InvalidSpaceError(
          `${who}: the space has more than ${maxPoints} configurations. Use fewer values (larger steps, fewer choices), or a sampler for large spaces (QMC, TPE).`,
        );
      }
      const point = { ...values };
      if (s.constraints.length === 0 || satisfies(s, paramsOf(s, point))) out.push(point);
      return;
    }
    const p = s.params[i]!;
    if (!isActive(p, values)) {
      visit(i + 1);
      return;
    }
    for (const v of lists[i]!) {
      values[p.name] = v;
      visit(i + 1);
    }
    delete values[p.name];
  };
  visit(0);
  return out;
}
