/**
 * Test helper: complete trials drawn uniformly from a search space (log-uniform for log
 * parameters, every grid value and choice equally likely), with values from a given function.
 * @module
 */
import { type Distribution, type ParamValue, toExternal } from '../../core/distributions.js';
import type { FrozenTrial } from '../../core/frozen-trial.js';
import { Rng } from '../../core/rng.js';
import { SearchSpaceTransform } from '../../core/search-space-transform.js';

/** `n` complete trials numbered 0… with `values = f(params)` (a number or one per objective). */
export function syntheticTrials(
  n: number,
  space: Record<string, Distribution>,
  f: (params: Record<string, ParamValue>) => number | number[],
  seed = 0,
): FrozenTrial[] {
  const rng = new Rng(seed);
  const transform = new SearchSpaceTransform(space, { categorical: 'index' });
  const u = new Float64Array(transform.dim);
  const trials: FrozenTrial[] = [];
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < u.length; j++) u[j] = rng.random();
    const internalParams = transform.untransform(u);
    const params: Record<string, ParamValue> = {};
    for (const [name, d] of Object.entries(space)) {
      if (d.type === 'categorical')
        internalParams[name] = Math.floor(
          u[transform.params.find((p) => p.name === name)!.column]! * d.choices.length,
        );
      params[name] = toExternal(d, internalParams[name]!);
    }
    const v = f(params);
    trials.push({
      trialId: i,
      number: i,
      state: 'complete',
      params,
      internalParams,
      distributions: space,
      values: typeof v === 'number' ? [v] : v,
      intermediateValues: new Map(),
      userAttrs: {},
      systemAttrs: {},
      datetimeStart: null,
      datetimeComplete: null,
    });
  }
  return trials;
}
