/**
 * `spaceToJson(space)`: a declared space in the study file's search-space schema (the `params:`
 * section of a `tunekit run` study file, `schemas/study-file.schema.json`):
 *
 * ```yaml
 * lr:        { type: float, low: 1.0e-5, high: 0.1, log: true }
 * optimizer: { type: categorical, choices: [sgd, adam] }
 * optimizer.sgd.momentum: { type: float, low: 0, high: 0.99, when: { optimizer: sgd } }
 * optimizer.adam.beta1:   { type: float, low: 0.8, high: 0.999, when: { optimizer: adam } }
 * dropout:   { type: float, low: 0, high: 0.5, when: { layers: [3, 4] } }
 * ```
 *
 * A nested choice is written flat, as the trial sees it: the choice is a categorical of the
 * branch names, and each branch parameter carries the condition on its branch. No key beyond
 * the study file's schema is needed. Constraints are functions and are not written; pass them
 * again to `spaceFromJson`. The tag of a nested choice (`kind` by default) is not written either:
 * `spaceFromJson` rebuilds nested choices with the default tag.
 * @module
 */
import type { ParamSpec, SearchSpaceSpec } from '../cli/study-file.js';
import type { CategoricalChoice, Distribution } from '../core/distributions.js';
import type { Shape } from './nodes.js';
import type { Space } from './space.js';

function specOf(d: Distribution): ParamSpec {
  if (d.type === 'categorical') return { type: 'categorical', choices: [...d.choices] };
  if (d.type === 'float') {
    return {
      type: 'float',
      low: d.low,
      high: d.high,
      ...(d.log ? { log: true } : {}),
      ...(d.step !== null ? { step: d.step } : {}),
    };
  }
  return {
    type: 'int',
    low: d.low,
    high: d.high,
    ...(d.log ? { log: true } : {}),
    ...(d.step !== 1 ? { step: d.step } : {}),
  };
}

/**
 * The space as the study file's search space (JSON-ready): parameter name → `{ type, low, high,
 * log, step, choices, when }`, in sampling order. See the module documentation.
 */
export function spaceToJson<S extends Shape>(s: Space<S>): SearchSpaceSpec {
  const out: SearchSpaceSpec = {};
  for (const p of s.params) {
    const spec = specOf(p.distribution);
    const deps = Object.entries(p.when);
    if (deps.length > 0) {
      const when: Record<string, CategoricalChoice | CategoricalChoice[]> = {};
      for (const [dep, values] of deps) when[dep] = values.length === 1 ? values[0]! : [...values];
      out[p.name] = { ...spec, when } as ParamSpec;
    } else {
      out[p.name] = spec;
    }
  }
  return out;
}
