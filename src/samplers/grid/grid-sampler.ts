/**
 * Grid search: every point of a grid is tried exactly once, in a seeded shuffled order, even with
 * concurrent trials and several processes sharing one storage.
 *
 * Two modes:
 * - **Given grid** — `new GridSampler({ lr: [1e-3, 1e-2], optimizer: ['sgd', 'adam'] })`: the grid
 *   is the product of the value lists.
 * - **Exhaustive** — `new GridSampler()`: every point of a finite search space. The space of a
 *   define-by-run objective is unknown up front, so the first trial is a *discovery* trial that
 *   takes the lowest value of every parameter it suggests; the other workers wait for it to
 *   finish. The grid is then the product of every parameter distribution the study has registered
 *   (`storage.getParamDistributions`), the discovery point being its point 0.
 *
 * How the points are shared (study system attributes):
 * - `grid:definition` — the grid (parameter names, value lists, mode and the seed of the order),
 *   stored by the first worker (compare-and-set from absent). Every later worker checks its own
 *   grid against it and adopts the stored seed, so workers started with different seeds (or
 *   none) still agree on one order. A worker whose grid differs is refused.
 * - `grid:next` — the next position in the order, claimed with a compare-and-set loop in
 *   `prepareTrial`; once every position is taken, `prepareTrial` asks the study to stop.
 * - `grid:discovery` — the exhaustive mode's claim of the discovery trial.
 *
 * Each grid trial gets the trial system attribute `grid:index` (its position in the order; 0 for
 * the discovery trial, which also has `grid:discovery: true`) and its point as fixed parameters.
 *
 * Conditional parameters: a grid point fixes every grid parameter, and a trial only uses those it
 * suggests, so points that differ only in a parameter a branch does not suggest run the same
 * configuration again (as in Optuna). In the exhaustive mode the grid covers the parameters known
 * when the discovery trial finished — with categorical choices, the discovery trial follows the
 * branches of each first choice. A parameter that is not in the grid takes its lowest value, with
 * a one-time warning; give an explicit grid to cover it. With a given grid, a parameter the
 * objective suggests but the grid lacks is an error naming it.
 *
 * While the discovery trial runs, the other workers' `ask()` waits (polling the storage). If the
 * process running it dies, the trial stays `running` and they wait for ever: mark it failed
 * (`study.tell(number, { state: 'fail' })`) and they go on with the parameters it had stored.
 *
 * - **Declared space** — `new GridSampler(space)`, or `new GridSampler()` with
 *   `study.optimize(space, …)` (the study declares the space to the sampler): every configuration
 *   of the finite space, with conditions and nested choices followed (a parameter is fixed only
 *   where it is active, so no configuration runs twice) and the space's constraints applied
 *   (infeasible points are skipped: they are never trials). No discovery trial. A float without
 *   a step is an error naming it. The stored definition holds the space as JSON
 *   (`spaceToJson`) and the number of feasible points.
 *
 * A space declared by `declareSpace` (not one given to the constructor) yields to a study that
 * already runs the define-by-run exhaustive grid (a stored `grid:definition` of mode
 * `exhaustive`, or a claimed `grid:discovery`): the sampler goes on with that grid (with a
 * one-time warning), so a study started before its space was declared (say by an older
 * `tunekit run`) resumes where it stopped, no point run twice and none skipped, instead of
 * being refused. A new study name enumerates the declared space.
 *
 * Enqueued trials (`study.enqueueTrial`) do not use a grid point; parameters they do not fix take
 * the grid's first listed value (given grid) or their lowest value (exhaustive).
 *
 * @module
 */
import {
  contains,
  type Distribution,
  enumerate,
  type ParamValue,
  toExternal,
  toInternal,
} from '../../core/distributions.js';
import { InvalidArgumentError } from '../../core/errors.js';
import { type FrozenTrial, isFinished, type JsonValue } from '../../core/frozen-trial.js';
import { log } from '../../core/logging.js';
import { deriveSeed, Rng, randomSeed } from '../../core/rng.js';
import { enumerateSpace } from '../../space/enumerate-space.js';
import { isSpace, type Space } from '../../space/space.js';
import { spaceToJson } from '../../space/to-json.js';
import type { Storage } from '../../storages/base.js';
import type { PreparedTrial, Sampler, SearchSpace, StudyContext, StudyView } from '../base.js';

/** Study system attribute: the grid every worker of the study uses. */
export const GRID_DEFINITION_ATTR = 'grid:definition';
/** Study system attribute: the next position of the grid order to claim. */
export const GRID_NEXT_ATTR = 'grid:next';
/** Study system attribute (claim) and trial system attribute (marker) of the discovery trial. */
export const GRID_DISCOVERY_ATTR = 'grid:discovery';
/** Trial system attribute: the trial's position in the grid order. */
export const GRID_INDEX_ATTR = 'grid:index';

/** The largest grid the sampler accepts. */
export const GRID_MAX_POINTS = 2 ** 24;

/** A grid: the values to try for each parameter (user-facing values). */
export type GridValues = Readonly<Record<string, readonly ParamValue[]>>;

/** Options of {@link GridSampler}. */
export interface GridSamplerOptions {
  /**
   * Seed of the visiting order. Omitted: a random seed. The first worker of a study stores its
   * seed with the grid, and later workers follow that order whatever their own seed.
   */
  seed?: number;
  /** Milliseconds between storage polls while the discovery trial runs. Default 50. */
  pollIntervalMs?: number;
}

/** The grid as stored in the study (JSON). Names are sorted; the last one varies fastest. */
interface GridDefinition {
  readonly mode: 'given' | 'exhaustive' | 'space';
  readonly seed: number;
  readonly names: readonly string[];
  readonly values: readonly (readonly ParamValue[])[];
  /** Mode 'space': the declared space as JSON, and its feasible points (names and values empty). */
  readonly space?: JsonValue;
  readonly count?: number;
}

interface ResolvedGrid {
  readonly def: GridDefinition;
  readonly size: number;
  /** First position of the order to claim (1 in the exhaustive mode: 0 is the discovery point). */
  readonly start: number;
  /** Position in the visiting order → point id (mixed radix, last name fastest). */
  readonly order: Uint32Array;
}

type Attrs = Record<string, JsonValue>;

/**
 * Grid search over a given grid or a whole finite search space. See the module documentation.
 *
 * @example
 * ```ts
 * const sampler = new GridSampler({ lr: [1e-3, 1e-2], optimizer: ['sgd', 'adam'] }, { seed: 1 });
 * const study = await createStudy({ sampler });
 * await study.optimize(objective); // stops after the 4 points
 * ```
 * @example
 * ```ts
 * // Every point of a finite space: 3 × 2 = 6 trials.
 * const study = await createStudy({ sampler: new GridSampler() });
 * await study.optimize((trial) => {
 *   const depth = trial.suggestInt('depth', 1, 3);
 *   const act = trial.suggestCategorical('act', ['relu', 'tanh']);
 *   return train(depth, act);
 * });
 * ```
 */
export class GridSampler implements Sampler {
  readonly name = 'grid';
  /** The seed this sampler proposes for the visiting order. */
  readonly seed: number;
  /** The given grid; `null` in the exhaustive mode. */
  readonly grid: GridValues | null;
  private readonly pollIntervalMs: number;
  private ownDefinition: GridDefinition | null;
  /** Whether `ownDefinition` came from `declareSpace` (it then yields to a stored exhaustive grid). */
  private declared = false;
  /** Mode 'space': the feasible points of the declared space, in declaration order. */
  private spacePoints: Record<string, ParamValue>[] = [];
  private readonly resolved = new Map<string, ResolvedGrid>();
  private readonly warned = new Set<string>();

  /**
   * @param grid values to try per parameter; a declared space (every feasible configuration);
   *   omitted or `null`: every point of the (finite) space, declared by `study.optimize(space, …)`
   *   or discovered.
   * @throws InvalidArgumentError for an empty grid, an empty or duplicated value list, or a value
   *   that is not a string, finite number, boolean or null.
   */
  constructor(grid?: GridValues | Space | null, options: GridSamplerOptions = {}) {
    if (options.seed !== undefined && !Number.isFinite(options.seed)) {
      throw new InvalidArgumentError(
        `GridSampler: seed must be a finite number, got ${String(options.seed)}.`,
      );
    }
    this.seed = options.seed ?? randomSeed();
    this.pollIntervalMs = options.pollIntervalMs ?? 50;
    if (grid === undefined || grid === null) {
      this.grid = null;
      this.ownDefinition = null;
    } else if (isSpace(grid)) {
      this.grid = null;
      this.ownDefinition = this.spaceDefinition(grid);
    } else {
      this.ownDefinition = checkGrid(grid, this.seed);
      const copy: Record<string, readonly ParamValue[]> = {};
      for (const [name, values] of Object.entries(grid)) copy[name] = Object.freeze([...values]);
      this.grid = Object.freeze(copy);
    }
  }

  /**
   * Enumerates a space declared by `study.optimize(space, …)` when this sampler has no grid of its
   * own (`new GridSampler()`); a given grid or space wins.
   * @throws InvalidArgumentError naming a continuous float, or for a space too large to enumerate.
   */
  declareSpace(space: Space): void {
    if (this.grid !== null) return;
    if (this.ownDefinition !== null && this.ownDefinition.mode === 'space') {
      if (JSON.stringify(this.ownDefinition.space) === JSON.stringify(spaceToJson(space))) return;
    }
    this.ownDefinition = this.spaceDefinition(space);
    this.declared = true;
  }

  private spaceDefinition(space: Space): GridDefinition {
    const points = enumerateSpace(space, { who: 'GridSampler', maxPoints: GRID_MAX_POINTS });
    if (points.length === 0) {
      throw new InvalidArgumentError(
        'GridSampler: no configuration of the space satisfies its constraints; loosen them or widen the space.',
      );
    }
    this.spacePoints = points;
    return {
      mode: 'space',
      seed: this.seed,
      names: [],
      values: [],
      space: spaceToJson(space) as unknown as JsonValue,
      count: points.length,
    };
  }

  /** Claims the next grid point for the new trial, or asks the study to stop when none is left. */
  async prepareTrial(study: StudyContext): Promise<PreparedTrial> {
    const { storage, studyId } = study;
    let attrs = await storage.getStudySystemAttrs(studyId);
    let mine = this.ownDefinition;
    if (mine !== null && this.declared && runsDefineByRunGrid(attrs)) {
      if (!this.warned.has(GRID_DISCOVERY_ATTR)) {
        this.warned.add(GRID_DISCOVERY_ATTR);
        log.warn(
          `GridSampler: study '${study.studyName}' was started with the define-by-run exhaustive grid, so it goes on with that grid rather than enumerating the declared space (no point runs twice, none is skipped). Use a new study name to enumerate the declared space (each configuration once, conditions followed).`,
        );
      }
      mine = null;
    }
    const found =
      mine === null
        ? await this.exhaustiveDefinition(study, attrs)
        : await this.givenDefinition(study, attrs, mine);
    if (found === 'discovery') {
      return { systemAttrs: { [GRID_INDEX_ATTR]: 0, [GRID_DISCOVERY_ATTR]: true } };
    }
    attrs = found.attrs;
    const grid = this.resolve(found.def);
    for (;;) {
      const current = attrs[GRID_NEXT_ATTR];
      const position = current === undefined ? grid.start : readCount(current);
      if (position >= grid.size) return { stop: true };
      if (await storage.compareAndSetStudySystemAttr(studyId, GRID_NEXT_ATTR, current, position + 1)) {
        const id = grid.order[position]!;
        return {
          fixedParams: grid.def.mode === 'space' ? { ...this.spacePoints[id]! } : pointOf(grid.def, id),
          systemAttrs: { [GRID_INDEX_ATTR]: position },
        };
      }
      attrs = await storage.getStudySystemAttrs(studyId);
    }
  }

  inferRelativeSearchSpace(): SearchSpace {
    return {};
  }

  sampleRelative(): Record<string, number> {
    return {};
  }

  /**
   * A parameter no grid point fixed: the discovery trial's lowest values, an enqueued trial's
   * remaining parameters, or a parameter outside the grid (see the module documentation).
   */
  sampleIndependent(_study: StudyView, trial: FrozenTrial, name: string, distribution: Distribution): number {
    const lowest = distribution.type === 'categorical' ? 0 : distribution.low;
    if (this.grid === null) {
      const isGridTrial = Object.hasOwn(trial.systemAttrs, GRID_INDEX_ATTR);
      if (isGridTrial && trial.systemAttrs[GRID_DISCOVERY_ATTR] !== true && !this.warned.has(name)) {
        this.warned.add(name);
        log.warn(
          `GridSampler: parameter '${name}' is not in the exhaustive grid (the discovery trial did not suggest it), so it takes its lowest value ${JSON.stringify(toExternal(distribution, lowest))} in every trial. Pass an explicit grid to cover it.`,
        );
      }
      return lowest;
    }
    const values = this.grid[name];
    if (values === undefined) {
      throw new InvalidArgumentError(
        `GridSampler: the objective suggests '${name}', which is not in the grid (grid parameters: ${Object.keys(this.grid).join(', ')}). Add '${name}' with its values to the grid.`,
      );
    }
    // An enqueued trial that did not fix this grid parameter: the first listed value.
    const value = values[0]!;
    let internal: number;
    try {
      internal = toInternal(distribution, value);
    } catch {
      internal = Number.NaN;
    }
    if (!contains(distribution, internal)) {
      throw new InvalidArgumentError(
        `GridSampler: the grid value ${JSON.stringify(value)} of '${name}' lies outside ${JSON.stringify(distribution)}. Make the grid values fit the suggested range.`,
      );
    }
    return internal;
  }

  /** Stores this sampler's grid at first use, or checks it against the stored one. */
  private async givenDefinition(
    study: StudyContext,
    attrs: Attrs,
    mine: GridDefinition,
  ): Promise<{ def: GridDefinition; attrs: Attrs }> {
    const { storage, studyId } = study;
    let stored = attrs[GRID_DEFINITION_ATTR];
    if (stored === undefined) {
      if (
        await storage.compareAndSetStudySystemAttr(studyId, GRID_DEFINITION_ATTR, undefined, toJson(mine))
      ) {
        return { def: mine, attrs: await storage.getStudySystemAttrs(studyId) };
      }
      attrs = await storage.getStudySystemAttrs(studyId);
      stored = attrs[GRID_DEFINITION_ATTR];
    }
    const def = parseDefinition(stored, study.studyName);
    const difference = gridDifference(def, mine);
    if (difference !== null) {
      throw new InvalidArgumentError(
        `GridSampler: study '${study.studyName}' already runs a different grid (${difference}). Every worker of a study must use the same grid; use a new study name for a new grid.`,
      );
    }
    return { def, attrs };
  }

  /**
   * The exhaustive grid: claims the discovery trial, or waits until it finished and then builds
   * (or reads) the grid from the study's parameter distributions.
   */
  private async exhaustiveDefinition(
    study: StudyContext,
    attrs: Attrs,
  ): Promise<{ def: GridDefinition; attrs: Attrs } | 'discovery'> {
    const { storage, studyId } = study;
    for (;;) {
      const stored = attrs[GRID_DEFINITION_ATTR];
      if (stored !== undefined) {
        const def = parseDefinition(stored, study.studyName);
        if (def.mode !== 'exhaustive') {
          throw new InvalidArgumentError(
            `GridSampler: study '${study.studyName}' runs a given grid (${describeGrid(def)}), but this sampler has none. Pass the same grid to every worker.`,
          );
        }
        return { def, attrs };
      }
      const claim = attrs[GRID_DISCOVERY_ATTR];
      if (claim === undefined) {
        if (
          await storage.compareAndSetStudySystemAttr(studyId, GRID_DISCOVERY_ATTR, undefined, {
            seed: this.seed,
          })
        ) {
          return 'discovery';
        }
      } else if (await discoveryFinished(storage, studyId)) {
        const seed = readSeed(claim, this.seed);
        const def = exhaustiveGrid(await storage.getParamDistributions(studyId), seed);
        await storage.compareAndSetStudySystemAttr(studyId, GRID_DEFINITION_ATTR, undefined, toJson(def));
      } else {
        await sleep(this.pollIntervalMs);
      }
      attrs = await storage.getStudySystemAttrs(studyId);
    }
  }

  private resolve(def: GridDefinition): ResolvedGrid {
    const key = JSON.stringify(toJson(def));
    let grid = this.resolved.get(key);
    if (grid === undefined) {
      const size = def.mode === 'space' ? (def.count ?? 0) : def.values.reduce((n, v) => n * v.length, 1);
      const start = def.mode === 'exhaustive' ? 1 : 0;
      const order = new Uint32Array(size);
      for (let i = 0; i < size; i++) order[i] = i;
      // Fisher–Yates over the positions after `start` (the discovery point stays first).
      const rng = new Rng(deriveSeed(def.seed, 'grid-order'));
      for (let i = size - 1; i > start; i--) {
        const j = start + Math.floor(rng.random() * (i - start + 1));
        const tmp = order[i]!;
        order[i] = order[j]!;
        order[j] = tmp;
      }
      grid = { def, size, start, order };
      this.resolved.set(key, grid);
    }
    return grid;
  }
}

/** Validates a given grid and builds its definition. */
function checkGrid(grid: GridValues, seed: number): GridDefinition {
  if (typeof grid !== 'object' || Array.isArray(grid)) {
    throw new InvalidArgumentError(
      'GridSampler: the grid must be an object of value lists, such as { lr: [0.001, 0.01], optimizer: ["sgd", "adam"] }.',
    );
  }
  const names = Object.keys(grid).sort();
  if (names.length === 0) {
    throw new InvalidArgumentError(
      'GridSampler: the grid is empty. List at least one parameter, or call new GridSampler() to enumerate the whole (finite) search space.',
    );
  }
  const values: ParamValue[][] = [];
  let size = 1;
  for (const name of names) {
    const list = grid[name];
    if (!Array.isArray(list) || list.length === 0) {
      throw new InvalidArgumentError(
        `GridSampler: the values of '${name}' must be a non-empty array, got ${JSON.stringify(list)}.`,
      );
    }
    const seen = new Set<string>();
    for (const v of list as readonly unknown[]) {
      const ok =
        v === null ||
        typeof v === 'string' ||
        typeof v === 'boolean' ||
        (typeof v === 'number' && Number.isFinite(v));
      if (!ok) {
        throw new InvalidArgumentError(
          `GridSampler: value ${String(v)} of '${name}' is not a string, finite number, boolean or null.`,
        );
      }
      const key = valueKey(v as ParamValue);
      if (seen.has(key)) {
        throw new InvalidArgumentError(
          `GridSampler: value ${JSON.stringify(v)} appears twice in the values of '${name}'. List each value once.`,
        );
      }
      seen.add(key);
    }
    values.push([...(list as ParamValue[])]);
    size *= list.length;
  }
  checkSize(size);
  return { mode: 'given', seed, names, values };
}

function checkSize(size: number): void {
  if (size > GRID_MAX_POINTS) {
    throw new InvalidArgumentError(
      `GridSampler: the grid has ${size} points, more than the ${GRID_MAX_POINTS} it supports. Use fewer values, or a sampler for large spaces (QMCSampler, TPE).`,
    );
  }
}

/** The grid of every point of `space` (names sorted); throws for a continuous float. */
function exhaustiveGrid(space: Readonly<Record<string, Distribution>>, seed: number): GridDefinition {
  const names = Object.keys(space).sort();
  const values: ParamValue[][] = [];
  let size = 1;
  for (const name of names) {
    const d = space[name]!;
    let internals: number[];
    try {
      internals = enumerate(d);
    } catch {
      const range = d.type === 'categorical' ? '' : ` [${d.low}, ${d.high}]`;
      throw new InvalidArgumentError(
        `GridSampler: parameter '${name}' is a continuous float${range}, which has no finite list of values. Give it a step (suggestFloat('${name}', low, high, { step })) or pass a grid: new GridSampler({ ${name}: [...] }).`,
      );
    }
    values.push(internals.map((x) => toExternal(d, x)));
    size *= internals.length;
  }
  checkSize(size);
  return { mode: 'exhaustive', seed, names, values };
}

/** The point with the given id (mixed radix, last name fastest). */
function pointOf(def: GridDefinition, id: number): Record<string, ParamValue> {
  const picked: ParamValue[] = new Array(def.names.length);
  for (let k = def.names.length - 1; k >= 0; k--) {
    const values = def.values[k]!;
    picked[k] = values[id % values.length]!;
    id = Math.floor(id / values.length);
  }
  const point: Record<string, ParamValue> = {};
  def.names.forEach((name, k) => {
    point[name] = picked[k]!;
  });
  return point;
}

/** Whether the study already runs the define-by-run exhaustive grid (stored, or being discovered). */
function runsDefineByRunGrid(attrs: Attrs): boolean {
  const stored = attrs[GRID_DEFINITION_ATTR] as { mode?: unknown } | null | undefined;
  if (stored !== undefined)
    return typeof stored === 'object' && stored !== null && stored.mode === 'exhaustive';
  return attrs[GRID_DISCOVERY_ATTR] !== undefined;
}

/** Whether the study's discovery trial exists and is finished. */
async function discoveryFinished(storage: Storage, studyId: number): Promise<boolean> {
  const trials = await storage.getAllTrials(studyId);
  const discovery = trials.find((t) => t.systemAttrs[GRID_DISCOVERY_ATTR] === true);
  return discovery !== undefined && isFinished(discovery.state);
}

function valueKey(v: ParamValue): string {
  return `${typeof v}:${JSON.stringify(v)}`;
}

function describeGrid(def: GridDefinition): string {
  return def.names.map((n, k) => `${n}: ${JSON.stringify(def.values[k])}`).join(', ');
}

/** `null` when both grids hold the same values per parameter (in any order), else what differs. */
function gridDifference(stored: GridDefinition, mine: GridDefinition): string | null {
  if (stored.mode === 'space' || mine.mode === 'space') {
    if (stored.mode !== mine.mode) return `stored mode ${stored.mode}, this sampler's ${mine.mode}`;
    if (JSON.stringify(stored.space) !== JSON.stringify(mine.space)) return 'a different declared space';
    if (stored.count !== mine.count) {
      return `${stored.count} feasible points stored, ${mine.count} here (different constraints)`;
    }
    return null;
  }
  if (stored.mode !== 'given') {
    return 'it enumerates the whole search space (new GridSampler() without a grid)';
  }
  const a = stored.names.join(', ');
  const b = mine.names.join(', ');
  if (a !== b) return `stored parameters: ${a}; this sampler's: ${b}`;
  for (let k = 0; k < stored.names.length; k++) {
    const s = stored.values[k]!;
    const m = mine.values[k]!;
    const keys = new Set(s.map(valueKey));
    if (s.length !== m.length || !m.every((v) => keys.has(valueKey(v)))) {
      return `'${stored.names[k]}' has values ${JSON.stringify(s)} stored, ${JSON.stringify(m)} in this sampler`;
    }
  }
  return null;
}

function toJson(def: GridDefinition): JsonValue {
  return {
    mode: def.mode,
    seed: def.seed,
    names: [...def.names],
    values: def.values.map((v) => [...v]),
    ...(def.space === undefined ? {} : { space: def.space, count: def.count ?? 0 }),
  };
}

function parseDefinition(value: JsonValue | undefined, studyName: string): GridDefinition {
  const o = value as Record<string, unknown> | null | undefined;
  const ok =
    typeof o === 'object' &&
    o !== null &&
    (o.mode === 'given' || o.mode === 'exhaustive' || o.mode === 'space') &&
    typeof o.seed === 'number' &&
    Array.isArray(o.names) &&
    Array.isArray(o.values) &&
    o.names.length === o.values.length &&
    o.values.every((v) => Array.isArray(v) && v.length > 0);
  if (!ok) {
    throw new InvalidArgumentError(
      `GridSampler: study '${studyName}' has a malformed '${GRID_DEFINITION_ATTR}' system attribute: ${JSON.stringify(value)}.`,
    );
  }
  return o as unknown as GridDefinition;
}

function readCount(value: JsonValue): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) {
    throw new InvalidArgumentError(
      `GridSampler: the study system attribute '${GRID_NEXT_ATTR}' holds ${JSON.stringify(value)}, not a count.`,
    );
  }
  return value;
}

function readSeed(claim: JsonValue, fallback: number): number {
  const seed = (claim as Record<string, unknown> | null)?.seed;
  return typeof seed === 'number' ? seed : fallback;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
