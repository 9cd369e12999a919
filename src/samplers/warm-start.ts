/**
 * Warm starts as samplers see them: the complete trials of earlier, related studies
 * (`createStudy({ warmStartFrom })`), grouped by source study, with the weight a warm observation
 * has relative to one of the study's own.
 *
 * Warm trials are not trials of the study: they are never stored as its trials, never counted by
 * `getTrials()`, `bestTrial()` or `nTrials`. Model-based samplers (TPE, GP) read them from
 * `StudyView.warmStart`; a warm trial serves a parameter set when it has every parameter of the
 * set, of the same kind, with a value inside the study's distribution (a categorical value must
 * be one of the study's choices). Values are never compared across sources: each source is
 * ranked (TPE) or standardised (GP) on its own, so an objective whose scale or offset changed
 * between the studies still transfers where its good region is.
 * @module
 */
import { type Distribution, type ParamValue, snap, toInternal } from '../core/distributions.js';
import type { FrozenTrial } from '../core/frozen-trial.js';
import { intersectionSearchSpace } from './intersection-search-space.js';

/** One source study of a warm start: its name and its complete trials. */
export interface WarmStartSource {
  /** The source study's name (or `trials[k]` for a plain array of trials). */
  readonly name: string;
  /** Its complete trials (state `complete`, with values). */
  readonly trials: readonly FrozenTrial[];
}

/** The warm start of a study. */
export interface WarmStart {
  /** Weight of a warm observation relative to one of the study's own, in (0, 1]. */
  readonly weight: number;
  readonly sources: readonly WarmStartSource[];
}

/** Default weight of a warm observation (see {@link WarmStart.weight}). */
export const DEFAULT_WARM_START_WEIGHT = 0.5;

/** How many warm trials there are in all (0 without a warm start). */
export function warmTrialCount(warm: WarmStart | undefined): number {
  if (warm === undefined) return 0;
  let n = 0;
  for (const s of warm.sources) n += s.trials.length;
  return n;
}

/**
 * The search space the warm trials share (every warm trial of every source, same distribution),
 * without single-valued parameters; what a relative sampler uses before the study has a complete
 * trial of its own. Empty without a warm start.
 */
export function warmSearchSpace(warm: WarmStart | undefined): Record<string, Distribution> {
  if (warm === undefined) return {};
  const all: FrozenTrial[] = [];
  for (const s of warm.sources) for (const t of s.trials) all.push(t);
  return intersectionSearchSpace(all, { excludeSingle: true });
}

/**
 * The internal value, in distribution `d` of the study, of a warm trial's value `value` that
 * came from distribution `from`; null when it does not fit (another kind, a choice `d` lacks, or
 * a number outside `d`'s bounds). Numbers are snapped onto `d`'s grid.
 */
export function warmInternal(from: Distribution, value: ParamValue, d: Distribution): number | null {
  if (from.type !== d.type) return null;
  if (d.type === 'categorical') {
    for (let i = 0; i < d.choices.length; i++)
      if (Object.is(d.choices[i], value) || d.choices[i] === value) return i;
    return null;
  }
  if (typeof value !== 'number' || !Number.isFinite(value)) return null;
  const v = toInternal(d, value);
  if (v < d.low || v > d.high) return null;
  return snap(d, v);
}

/** The warm trials of one source that serve a parameter set, with their internal values. */
export interface WarmRows {
  /** The serving trials, in the source's order. */
  readonly trials: FrozenTrial[];
  /** internal[k · d + j]: internal value of parameter `names[j]` of `trials[k]` in the study's distribution. */
  readonly internal: Float64Array;
}

/**
 * The trials of `source` that serve the parameters `names` (distributions `space`), with their
 * internal values re-expressed in the study's distributions.
 */
export function warmRows(
  source: WarmStartSource,
  names: readonly string[],
  space: Readonly<Record<string, Distribution>>,
): WarmRows {
  const d = names.length;
  const trials: FrozenTrial[] = [];
  const buf: number[] = [];
  for (const t of source.trials) {
    if (t.values === null) continue;
    let ok = true;
    for (let j = 0; j < d && ok; j++) {
      const name = names[j]!;
      const from = t.distributions[name];
      if (from === undefined || !Object.hasOwn(t.params, name)) {
        ok = false;
        break;
      }
      const v = warmInternal(from, t.params[name]!, space[name]!);
      if (v === null) ok = false;
      else buf.push(v);
    }
    if (ok) trials.push(t);
    else buf.length = trials.length * d;
  }
  return { trials, internal: Float64Array.from(buf) };
}
