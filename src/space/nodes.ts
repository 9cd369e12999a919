/**
 * The building blocks of a declared search space — `float`, `int`, `choice` and `when` — and the
 * types that infer a space's parameters object from them.
 *
 * A node is plain frozen data recording what the builder was called with; `space()` validates
 * it (with the parameter's name in the message) and turns it into distributions.
 *
 * @example
 * ```ts
 * const s = space({
 *   lr: float(1e-5, 1e-1, { log: true }),
 *   layers: int(1, 4),
 *   activation: choice(['relu', 'tanh']),
 *   optimizer: choice({
 *     sgd: { momentum: float(0, 0.99) },
 *     adam: { beta1: float(0.8, 0.999) },
 *   }),
 *   dropout: when('layers', [3, 4], float(0, 0.5)),
 * });
 * type P = InferParams<typeof s>;
 * // { lr: number; layers: number; activation: 'relu' | 'tanh';
 * //   optimizer: { kind: 'sgd'; momentum: number } | { kind: 'adam'; beta1: number };
 * //   dropout?: number }
 * ```
 * @module
 */
import type { CategoricalChoice, FloatOptions, IntOptions } from '../core/distributions.js';

/** A real number in [low, high] (see {@link float}). */
export interface FloatNode {
  readonly node: 'float';
  readonly low: number;
  readonly high: number;
  readonly options: Readonly<FloatOptions>;
}

/** An integer in [low, high] (see {@link int}). */
export interface IntNode {
  readonly node: 'int';
  readonly low: number;
  readonly high: number;
  readonly options: Readonly<IntOptions>;
}

/** One of a list of literal values (see {@link choice}). */
export interface ChoiceNode<T extends CategoricalChoice = CategoricalChoice> {
  readonly node: 'choice';
  readonly choices: readonly T[];
}

/** One of several named branches, each with its own parameters (see {@link choice}). */
export interface BranchNode<
  B extends Readonly<Record<string, Shape>> = Readonly<Record<string, Shape>>,
  Tag extends string = string,
> {
  readonly node: 'branch';
  readonly branches: B;
  /** The key of the branch's name in the params object (default `'kind'`). */
  readonly tag: Tag;
}

/** The conditions of a {@link when}: parameter name → the values for which it holds. */
export type Conditions = Readonly<Record<string, readonly CategoricalChoice[]>>;

/** A node sampled only when its conditions hold (see {@link when}). */
export interface WhenNode<N extends PlainNode = PlainNode, D extends string = string> {
  readonly node: 'when';
  /** Type only: the parameter names the conditions refer to (checked by `space()`). */
  readonly deps?: D;
  readonly conditions: Conditions;
  readonly inner: N;
}

/** Any node that is not a condition. */
export type PlainNode = FloatNode | IntNode | ChoiceNode | BranchNode;

/** Any node of a space. */
export type SpaceNode = PlainNode | WhenNode;

/** A space's (or a branch's) parameters: name → node. */
export type Shape = Readonly<Record<string, SpaceNode>>;

/** Options of {@link float}. */
export interface FloatNodeOptions {
  /** Sample on a log scale (needs low > 0). */
  readonly log?: boolean;
  /** Only low, low + step, … ≤ high (not with log). */
  readonly step?: number;
}

/** Options of {@link int}. */
export interface IntNodeOptions {
  /** Sample on a log scale (needs low ≥ 1; not with a step). */
  readonly log?: boolean;
  /** Only low, low + step, … ≤ high (a positive integer; default 1). */
  readonly step?: number;
}

function options<O extends { log?: boolean; step?: number }>(o: O | undefined): O {
  const out: { log?: boolean; step?: number } = {};
  if (o?.log !== undefined) out.log = o.log;
  if (o?.step !== undefined) out.step = o.step;
  return Object.freeze(out) as O;
}

/**
 * A real number in [low, high]: `float(1e-5, 1e-1, { log: true })`, `float(0, 0.5, { step: 0.1 })`.
 * Checked by `space()`.
 */
export function float(low: number, high: number, opts?: FloatNodeOptions): FloatNode {
  return Object.freeze({ node: 'float', low, high, options: options(opts) });
}

/** An integer in [low, high], both included: `int(16, 256, { step: 16 })`. Checked by `space()`. */
export function int(low: number, high: number, opts?: IntNodeOptions): IntNode {
  return Object.freeze({ node: 'int', low, high, options: options(opts) });
}

/** Options of a nested {@link choice}. */
export interface BranchOptions<Tag extends string> {
  /** The key that holds the branch's name in the params object. Default `'kind'`. */
  readonly tag?: Tag;
}

/**
 * One of several values, or one of several branches with their own parameters.
 *
 * - `choice(['adam', 'sgd'])` — the values are literal-typed (`'adam' | 'sgd'`); strings, numbers,
 *   booleans or null.
 * - `choice({ sgd: { lr: float(…), momentum: float(0, 0.99) }, adam: { lr: float(…) } })` — the
 *   params type is a discriminated union: `{ kind: 'sgd'; lr: number; momentum: number } |
 *   { kind: 'adam'; lr: number }`. A branch's parameters are named `<key>.<branch>.<param>` in
 *   the trial (`optimizer.sgd.lr`); the choice itself is a categorical named `<key>` whose values
 *   are the branch names.
 */
export function choice<const T extends CategoricalChoice>(values: readonly T[]): ChoiceNode<T>;
export function choice<const B extends Readonly<Record<string, Shape>>>(branches: B): BranchNode<B, 'kind'>;
export function choice<const B extends Readonly<Record<string, Shape>>, const Tag extends string>(
  branches: B,
  opts: BranchOptions<Tag> & { readonly tag: Tag },
): BranchNode<B, Tag>;
export function choice(
  values: readonly CategoricalChoice[] | Readonly<Record<string, Shape>>,
  opts?: BranchOptions<string>,
): ChoiceNode | BranchNode {
  if (Array.isArray(values)) return Object.freeze({ node: 'choice', choices: Object.freeze([...values]) });
  return Object.freeze({
    node: 'branch',
    branches: values as Readonly<Record<string, Shape>>,
    tag: opts?.tag ?? 'kind',
  });
}

/**
 * A parameter sampled only when earlier parameters have given values; otherwise it is absent
 * from the params object (its type gets a `?`).
 *
 * - `when('optimizer', ['sgd'], float(0, 0.99))` — one parameter, one or several values.
 * - `when({ optimizer: 'sgd', layers: [3, 4] }, float(0, 0.5))` — every condition must hold.
 *
 * A name refers to an earlier parameter of the same branch, else of the enclosing ones, or is a
 * full trial parameter name (`optimizer.sgd.nesterov`). For a nested choice, the value is the
 * branch name. A name that is not a parameter there is a compile error (and a run-time one);
 * one declared later is a run-time error from `space()`.
 */
export function when<const D extends string, N extends PlainNode>(
  param: D,
  values: CategoricalChoice | readonly CategoricalChoice[],
  inner: N,
): WhenNode<N, D>;
export function when<
  const C extends Readonly<Record<string, CategoricalChoice | readonly CategoricalChoice[]>>,
  N extends PlainNode,
>(conditions: C, inner: N): WhenNode<N, keyof C & string>;
export function when(
  first: string | Readonly<Record<string, CategoricalChoice | readonly CategoricalChoice[]>>,
  second: CategoricalChoice | readonly CategoricalChoice[] | PlainNode,
  third?: PlainNode,
): WhenNode {
  const raw =
    typeof first === 'string'
      ? { [first]: second as CategoricalChoice | readonly CategoricalChoice[] }
      : (first ?? {});
  const inner = (typeof first === 'string' ? third : second) as PlainNode;
  const conditions: Record<string, readonly CategoricalChoice[]> = {};
  for (const [k, v] of Object.entries(raw)) {
    conditions[k] = Object.freeze(
      Array.isArray(v) ? [...(v as CategoricalChoice[])] : [v as CategoricalChoice],
    );
  }
  return Object.freeze({ node: 'when', conditions: Object.freeze(conditions), inner });
}

// ---------------------------------------------------------------------------------------------
// Type inference

/** Flattens an intersection for readable hovers. */
export type Simplify<T> = { [K in keyof T]: T[K] } & {};

/** The value type of a plain node. */
export type InferNode<N> = N extends FloatNode | IntNode
  ? number
  : N extends ChoiceNode<infer T>
    ? T
    : N extends BranchNode<infer B, infer Tag>
      ? { [K in keyof B & string]: Simplify<{ [P in Tag]: K } & InferShape<B[K]>> }[keyof B & string]
      : never;

type RequiredKeys<S> = { [K in keyof S]: S[K] extends WhenNode ? never : K }[keyof S];
type OptionalKeys<S> = { [K in keyof S]: S[K] extends WhenNode ? K : never }[keyof S];

/**
 * Type-level check of a shape's conditions: a `when` naming a parameter that is neither in its
 * branch nor in an enclosing one (nor a full dotted name) becomes a compile error naming it.
 * Whether it is declared *before* is checked at run time by `space()`.
 */
export type CheckShape<S, Scope extends string = never> = {
  [K in keyof S]: S[K] extends WhenNode<infer N, infer D>
    ? [Exclude<D, Scope | (keyof S & string) | `${string}.${string}`>] extends [never]
      ? WhenNode<CheckNode<N, Scope | (keyof S & string)>, D>
      : `when(): unknown parameter '${Exclude<D, Scope | (keyof S & string) | `${string}.${string}`>}'`
    : CheckNode<S[K], Scope | (keyof S & string)>;
};

type CheckNode<N, Scope extends string> =
  N extends BranchNode<infer B, infer Tag>
    ? {
        readonly node: 'branch';
        readonly branches: { [b in keyof B]: CheckShape<B[b], Scope> };
        readonly tag: Tag;
      }
    : N;

/** The params object of a shape: `when` parameters are optional. */
export type InferShape<S> = Simplify<
  { [K in RequiredKeys<S>]: InferNode<S[K]> } & {
    [K in OptionalKeys<S>]?: S[K] extends WhenNode<infer N> ? InferNode<N> : never;
  }
>;
