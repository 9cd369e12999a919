/**
 * `space({...}, { constraints })`: a declared, typed search space.
 *
 * `space()` validates the nodes (bounds, log scales, steps, choices, names, conditions) and
 * flattens them into the trial's parameters, in declaration order, depth first:
 *
 * | declared                                           | trial parameter      | distribution   |
 * | -------------------------------------------------- | -------------------- | -------------- |
 * | `lr: float(1e-4, 1e-1, { log: true })`             | `lr`                 | float, log     |
 * | `optimizer: choice({ sgd: {...}, adam: {...} })`   | `optimizer`          | categorical of the branch names |
 * | `  sgd: { momentum: float(0, 0.99) }`              | `optimizer.sgd.momentum` | float, active when `optimizer = sgd` |
 * | `dropout: when('layers', [3, 4], float(0, 0.5))`   | `dropout`            | float, active when `layers ∈ {3, 4}` |
 *
 * These flat names are what the storage, the samplers, `study.bestParams()`, the CLI study file
 * and the dashboard show; {@link paramsOf} turns them back into the typed params object.
 *
 * Constraints are predicates on the typed params object that must hold for every trial:
 * `(p) => p.x + p.y <= 1` returns `true` when the point is allowed. They are checked before a
 * trial's parameters are recorded (see `sampleSpace` for the strategy), so no evaluated trial
 * violates them.
 * @module
 */
import {
  type CategoricalChoice,
  categoricalDistribution,
  contains,
  type Distribution,
  floatDistribution,
  intDistribution,
  type ParamValue,
  toInternal,
} from '../core/distributions.js';
import { log } from '../core/logging.js';
import { InvalidSpaceError } from './errors.js';
import type { BranchNode, CheckShape, Conditions, InferShape, PlainNode, Shape, SpaceNode } from './nodes.js';

/** A constraint on the params object: `true` when the point is allowed. */
export type Constraint<P> = (params: P) => boolean;

/** Options of {@link space}. */
export interface SpaceOptions<P> {
  /**
   * Predicates every trial's params must satisfy, known before evaluation: `(p) => p.x + p.y <= 1`
   * returns `true` for an allowed point. A constraint that throws fails the trial.
   */
  readonly constraints?: readonly Constraint<P>[];
  /**
   * How many redraws a trial may take to satisfy the constraints before giving up with an
   * `InfeasibleSpaceError`. Default 1000.
   */
  readonly maxRedraws?: number;
  /**
   * How an infeasible proposal is redrawn (see `sampleSpace`): `'rejection'` draws the free
   * parameters uniformly again (uniform on the feasible region), `'repair'` moves them from the
   * sampler's proposal towards uniform draws, a little more at each attempt (stays near what a
   * model-based sampler proposed). Default `'auto'`: rejection for `RandomSampler` and
   * `QMCSampler`, repair for the others.
   */
  readonly redraw?: RedrawStrategy;
}

/** See {@link SpaceOptions.redraw}. */
export type RedrawStrategy = 'auto' | 'rejection' | 'repair';

/** One trial parameter of a space. */
export interface FlatParam {
  /** The trial's parameter name (`lr`, `optimizer`, `optimizer.sgd.momentum`). */
  readonly name: string;
  readonly distribution: Distribution;
  /**
   * When the parameter is active: each named (earlier) parameter has one of the listed values.
   * Holds the `when` conditions and, for a branch's parameter, its branch (`optimizer: ['sgd']`).
   */
  readonly when: Conditions;
  /** For a nested choice: the key of the branch name in the params object. */
  readonly tag?: string;
}

const SPACE = Symbol.for('tunekit.space');

/** A declared search space. Build it with {@link space}; its params type is `InferParams<typeof s>`. */
export interface Space<S extends Shape = Shape> {
  readonly [SPACE]: true;
  /** The nodes as declared. */
  readonly shape: S;
  /** The trial parameters, in sampling order. */
  readonly params: readonly FlatParam[];
  /** The constraints (predicates on the params object). */
  // biome-ignore lint/suspicious/noExplicitAny: stored untyped so that Space<S> is covariant in S.
  readonly constraints: readonly Constraint<any>[];
  /** Redraws a trial may take to satisfy the constraints. */
  readonly maxRedraws: number;
  /** How an infeasible proposal is redrawn. */
  readonly redraw: RedrawStrategy;
}

/** The params object of a space (or of a shape): `type P = InferParams<typeof s>`. */
export type InferParams<X> =
  X extends Space<infer S> ? InferShape<S> : X extends Shape ? InferShape<X> : never;

/** Whether `value` is a space built by {@link space}. */
export function isSpace(value: unknown): value is Space {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[SPACE] === true;
}

const KEY = /^[A-Za-z_][A-Za-z0-9_.-]*$/;
const BRANCH = /^[A-Za-z_][A-Za-z0-9_-]*$/;

interface Scope {
  /** Name prefix of the scope's parameters ('' at the top, 'optimizer.sgd.' in a branch). */
  readonly prefix: string;
  readonly shape: Shape;
  /** Keys declared so far in this scope → flat names. */
  readonly seen: Map<string, string>;
}

function fail(message: string): never {
  throw new InvalidSpaceError(`space: ${message}`);
}

function distributionOf(name: string, node: Exclude<PlainNode, BranchNode>): Distribution {
  const warn = (m: string): void => log.warn(`space: ${m}`);
  try {
    if (node.node === 'float') return floatDistribution(node.low, node.high, node.options, name, warn);
    if (node.node === 'int') return intDistribution(node.low, node.high, node.options, name, warn);
    if (!Array.isArray(node.choices) || node.choices.length === 0) {
      fail(`parameter '${name}': choice() needs at least one value, got ${JSON.stringify(node.choices)}.`);
    }
    return categoricalDistribution(node.choices, name);
  } catch (e) {
    if (e instanceof InvalidSpaceError) throw e;
    fail((e as Error).message);
  }
}

function isNode(value: unknown): value is SpaceNode {
  const n = (value as { node?: unknown } | null)?.node;
  return n === 'float' || n === 'int' || n === 'choice' || n === 'branch' || n === 'when';
}

function valueFits(d: Distribution, v: CategoricalChoice): boolean {
  try {
    return contains(d, toInternal(d, v as ParamValue));
  } catch {
    return false;
  }
}

class Compiler {
  readonly params: FlatParam[] = [];
  private readonly byName = new Map<string, FlatParam>();

  compile(shape: Shape, scopes: readonly Scope[], inherited: Conditions, where: string): void {
    if (shape === null || typeof shape !== 'object' || Array.isArray(shape)) {
      fail(
        `${where} must be an object of parameters such as { lr: float(1e-4, 1e-1) }, got ${JSON.stringify(shape)}.`,
      );
    }
    const scope: Scope = { prefix: scopes.at(-1)?.prefix ?? '', shape, seen: new Map() };
    const chain = [...scopes.slice(0, -1), scope];
    for (const [key, node] of Object.entries(shape)) {
      const name = scope.prefix + key;
      if (!KEY.test(key)) {
        fail(
          `parameter name ${JSON.stringify(name)} is not allowed: use letters, digits, _, . and -, starting with a letter or _.`,
        );
      }
      if (!isNode(node)) {
        fail(
          `parameter '${name}' is not a space node (got ${JSON.stringify(node)}); build it with float(), int(), choice() or when().`,
        );
      }
      if (this.byName.has(name)) {
        fail(`the parameter name '${name}' is used twice. Rename one of them.`);
      }
      let conditions: Record<string, readonly CategoricalChoice[]> = { ...inherited };
      let plain: PlainNode;
      if (node.node === 'when') {
        conditions = this.resolveConditions(name, key, node.conditions, chain, conditions);
        const inner: unknown = node.inner;
        if (!isNode(inner) || inner.node === 'when') {
          fail(
            `parameter '${name}': when() needs a float(), int() or choice() as its last argument${isNode(inner) ? '; combine several conditions in one when({ a: …, b: … }, node)' : ''}.`,
          );
        }
        plain = node.inner;
      } else {
        plain = node;
      }
      if (plain.node === 'branch') {
        this.compileBranch(name, plain, chain, conditions);
      } else {
        this.add({ name, distribution: distributionOf(name, plain), when: conditions });
      }
      scope.seen.set(key, name);
    }
  }

  private add(p: FlatParam): void {
    this.params.push(p);
    this.byName.set(p.name, p);
  }

  private compileBranch(
    name: string,
    node: BranchNode,
    scopes: readonly Scope[],
    conditions: Conditions,
  ): void {
    const branches = node.branches;
    if (branches === null || typeof branches !== 'object' || Array.isArray(branches)) {
      fail(`parameter '${name}': choice() needs a list of values or an object of branches.`);
    }
    const names = Object.keys(branches);
    if (names.length === 0) fail(`parameter '${name}': choice({}) has no branch; give at least one.`);
    if (typeof node.tag !== 'string' || node.tag.length === 0) {
      fail(`parameter '${name}': the tag of a nested choice must be a non-empty string.`);
    }
    let withParams = 0;
    for (const b of names) {
      if (!BRANCH.test(b)) {
        fail(
          `parameter '${name}': branch name ${JSON.stringify(b)} is not allowed: use letters, digits, _ and -, starting with a letter or _.`,
        );
      }
      const shape = branches[b]!;
      if (shape !== null && typeof shape === 'object' && Object.hasOwn(shape, node.tag)) {
        fail(
          `parameter '${name}': branch '${b}' has a parameter named '${node.tag}', which is the key of the branch name. Rename it, or pass another tag: choice({...}, { tag: 'type' }).`,
        );
      }
      if (shape !== null && typeof shape === 'object' && Object.keys(shape).length > 0) withParams++;
    }
    if (withParams === 0) {
      fail(
        `parameter '${name}': no branch of this nested choice has parameters; write choice(${JSON.stringify(names)}) instead.`,
      );
    }
    this.add({
      name,
      distribution: categoricalDistribution(names, name),
      when: conditions,
      tag: node.tag,
    });
    for (const b of names) {
      const prefix = `${name}.${b}.`;
      this.compile(
        branches[b]!,
        [...scopes, { prefix, shape: {}, seen: new Map() }],
        { ...conditions, [name]: [b] },
        `branch '${b}' of '${name}'`,
      );
    }
  }

  private resolveConditions(
    name: string,
    key: string,
    raw: Conditions,
    scopes: readonly Scope[],
    inherited: Record<string, readonly CategoricalChoice[]>,
  ): Record<string, readonly CategoricalChoice[]> {
    if (raw === null || typeof raw !== 'object' || Object.keys(raw).length === 0) {
      fail(
        `parameter '${name}': when() needs at least one condition, such as when('optimizer', ['sgd'], …).`,
      );
    }
    const out = { ...inherited };
    for (const [dep, values] of Object.entries(raw)) {
      const target = this.resolve(dep, scopes);
      if (target === undefined) {
        const later = scopes.some((s) => Object.hasOwn(s.shape, dep)) || dep === key;
        fail(
          later
            ? `parameter '${name}' depends on '${dep}', which is declared ${dep === key ? 'as itself' : 'after it'}. Move '${dep}' above '${name}': parameters are sampled in the order written.`
            : `parameter '${name}' depends on an unknown parameter '${dep}'. Name a parameter declared above it.`,
        );
      }
      if (!Array.isArray(values) || values.length === 0) {
        fail(`parameter '${name}': the condition on '${dep}' needs at least one value.`);
      }
      const d = target.distribution;
      for (const v of values) {
        if (!valueFits(d, v)) {
          fail(
            `parameter '${name}': the condition value ${JSON.stringify(v)} is not a possible value of '${target.name}' (${JSON.stringify(d)}).`,
          );
        }
      }
      const previous = out[target.name];
      out[target.name] = previous === undefined ? values : values.filter((v) => previous.includes(v));
      if (out[target.name]!.length === 0) {
        fail(
          `parameter '${name}': its condition on '${target.name}' never holds inside its branch, so it would never be sampled.`,
        );
      }
    }
    return out;
  }

  /** An earlier parameter by local name (innermost scope first) or by full name. */
  private resolve(dep: string, scopes: readonly Scope[]): FlatParam | undefined {
    for (let i = scopes.length - 1; i >= 0; i--) {
      const flat = scopes[i]!.seen.get(dep);
      if (flat !== undefined) return this.byName.get(flat);
    }
    return this.byName.get(dep);
  }
}

/**
 * Declares a search space. Its params type is inferred: `type P = InferParams<typeof s>`.
 * @throws InvalidSpaceError for bad bounds (low > high, log with low ≤ 0, a step ≤ 0), an empty
 *   choice, a duplicated name, or a condition on an unknown or later parameter.
 * @example
 * ```ts
 * const s = space(
 *   {
 *     x: float(0, 1),
 *     y: float(0, 1),
 *     batchSize: choice([16, 32, 64, 128]),
 *     layers: int(1, 16),
 *   },
 *   { constraints: [(p) => p.x + p.y <= 1, (p) => p.batchSize * p.layers <= 1024] },
 * );
 * ```
 */
export function space<const S extends Shape>(
  shape: S & NoInfer<CheckShape<S>>,
  options: SpaceOptions<InferShape<S>> = {},
): Space<S> {
  const compiler = new Compiler();
  compiler.compile(shape, [{ prefix: '', shape, seen: new Map() }], {}, 'the space');
  const constraints = options.constraints ?? [];
  if (!Array.isArray(constraints) || constraints.some((c) => typeof c !== 'function')) {
    fail('constraints must be a list of functions (params) => boolean.');
  }
  const maxRedraws = options.maxRedraws ?? 1000;
  if (!Number.isInteger(maxRedraws) || maxRedraws < 0) {
    fail(`maxRedraws must be an integer ≥ 0, got ${String(maxRedraws)}.`);
  }
  const redraw = options.redraw ?? 'auto';
  if (redraw !== 'auto' && redraw !== 'rejection' && redraw !== 'repair') {
    fail(`redraw must be 'auto', 'rejection' or 'repair', got ${JSON.stringify(redraw)}.`);
  }
  return Object.freeze({
    [SPACE]: true as const,
    shape,
    params: Object.freeze(compiler.params),
    constraints: Object.freeze([...constraints]),
    maxRedraws,
    redraw,
  });
}

/** Whether a parameter is active for the values chosen so far (flat names → values). */
export function isActive(p: FlatParam, values: Readonly<Record<string, ParamValue>>): boolean {
  for (const [dep, allowed] of Object.entries(p.when)) {
    if (!Object.hasOwn(values, dep)) return false;
    const v = values[dep];
    if (!allowed.some((a) => a === v)) return false;
  }
  return true;
}

function decode(
  shape: Shape,
  prefix: string,
  flat: Readonly<Record<string, ParamValue>>,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, node] of Object.entries(shape)) {
    const name = prefix + key;
    if (!Object.hasOwn(flat, name)) continue;
    const plain = node.node === 'when' ? node.inner : node;
    const value = flat[name]!;
    if (plain.node === 'branch') {
      if (typeof value !== 'string' || !Object.hasOwn(plain.branches, value)) continue;
      const branch = plain.branches[value]!;
      out[key] = { [plain.tag]: value, ...decode(branch, `${name}.${String(value)}.`, flat) };
    } else {
      out[key] = value;
    }
  }
  return out;
}

/**
 * The typed params object of flat trial parameters (`trial.params`, `study.bestParams()`):
 * `{ optimizer: 'sgd', 'optimizer.sgd.lr': 0.01 }` → `{ optimizer: { kind: 'sgd', lr: 0.01 } }`.
 * Parameters the space does not declare are left out; inactive ones are absent.
 */
export function paramsOf<S extends Shape>(
  s: Space<S>,
  flat: Readonly<Record<string, ParamValue>>,
): InferShape<S> {
  return decode(s.shape, '', flat) as InferShape<S>;
}

function encode(
  shape: Shape,
  prefix: string,
  params: Readonly<Record<string, unknown>>,
  out: Record<string, ParamValue>,
): void {
  for (const [key, node] of Object.entries(shape)) {
    if (params === null || typeof params !== 'object' || !Object.hasOwn(params, key)) continue;
    const name = prefix + key;
    const plain = node.node === 'when' ? node.inner : node;
    const value = params[key];
    if (plain.node === 'branch') {
      const obj = value as Record<string, unknown> | null;
      const branch = obj === null || typeof obj !== 'object' ? undefined : obj[plain.tag];
      if (typeof branch !== 'string' || !Object.hasOwn(plain.branches, branch)) {
        throw new InvalidSpaceError(
          `flatParamsOf: '${name}' needs an object with ${plain.tag}: ${Object.keys(plain.branches)
            .map((b) => JSON.stringify(b))
            .join(' | ')}, got ${JSON.stringify(value)}.`,
        );
      }
      out[name] = branch;
      encode(plain.branches[branch]!, `${name}.${branch}.`, obj as Record<string, unknown>, out);
    } else {
      out[name] = value as ParamValue;
    }
  }
}

/**
 * The flat trial parameters of a params object (the inverse of {@link paramsOf}), for
 * `study.enqueueTrial(flatParamsOf(s, { … }))`. Keys the space does not declare are left out.
 */
export function flatParamsOf<S extends Shape>(
  s: Space<S>,
  params: InferShape<S>,
): Record<string, ParamValue> {
  const out: Record<string, ParamValue> = {};
  encode(s.shape, '', params as Record<string, unknown>, out);
  return out;
}

/** Whether the params object satisfies every constraint of the space. */
export function satisfies<S extends Shape>(s: Space<S>, params: InferShape<S>): boolean {
  for (let i = 0; i < s.constraints.length; i++) {
    const ok: unknown = s.constraints[i]!(params);
    if (ok === false) return false;
    if (ok !== true) {
      throw new InvalidSpaceError(
        `space: constraint ${i} returned ${JSON.stringify(ok) ?? String(ok)}, not a boolean. A constraint returns true for an allowed point, such as (p) => p.x + p.y <= 1.`,
      );
    }
  }
  return true;
}
