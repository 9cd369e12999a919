/**
 * Search spaces as Hyperopt writes them: any nesting of plain objects, arrays and literals with
 * `hp` expressions inside. {@link compileSpace} checks a space once (labels unique, no cycles);
 * {@link sampleSpace} fills it in for one trial, sampling only the expressions on the active
 * branch of each `hp.choice`; {@link spaceEval} fills it in from recorded values, as Hyperopt's
 * `space_eval`.
 * @module
 */
import { InvalidArgumentError } from '../core/errors.js';
import { type HpNode, isHpNode, type Sample } from './hp.js';
import { type SuggestingTrial, suggestNode } from './node-param.js';

/** A space checked by {@link compileSpace}. */
export interface CompiledSpace {
  readonly space: unknown;
  /** Every expression of the space (on every branch), by label. */
  readonly nodes: ReadonlyMap<string, HpNode>;
}

/** Values per label, as in `argmin`: a choice's index, a number's value (`[v]` is accepted too). */
export type HpVals = Readonly<Record<string, number | readonly number[]>>;

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object') return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

function optionsOf(node: HpNode): readonly unknown[] {
  const s = node.spec;
  return s.type === 'choice' || s.type === 'pchoice' ? s.options : [];
}

/**
 * Checks a space: every label names one expression (the same expression object may appear in
 * several places, as in Hyperopt), and the space holds no cycle.
 */
export function compileSpace(space: unknown): CompiledSpace {
  const nodes = new Map<string, HpNode>();
  const onStack = new Set<object>();
  const visit = (value: unknown, path: string): void => {
    if (isHpNode(value)) {
      const seen = nodes.get(value.label);
      if (seen !== undefined && seen !== value) {
        throw new InvalidArgumentError(
          `the label '${value.label}' is used by two different expressions (the second at ${path}). ` +
            'Labels are parameter names and must be unique; rename one, or reuse the same expression object.',
        );
      }
      if (seen === value) return;
      nodes.set(value.label, value);
      if (onStack.has(value)) return;
      onStack.add(value);
      optionsOf(value).forEach((o, i) => {
        visit(o, `${path}<${value.label}[${i}]>`);
      });
      onStack.delete(value);
      return;
    }
    if (Array.isArray(value) || isPlainObject(value)) {
      if (onStack.has(value)) {
        throw new InvalidArgumentError(
          `the search space contains a cycle at ${path}; a space must be a tree.`,
        );
      }
      onStack.add(value);
      if (Array.isArray(value)) {
        value.forEach((v, i) => {
          visit(v, `${path}[${i}]`);
        });
      } else {
        for (const [k, v] of Object.entries(value)) visit(v, `${path}.${k}`);
      }
      onStack.delete(value);
    }
  };
  visit(space, 'space');
  return { space, nodes };
}

/** Fills the space in, asking `valueFor` for each expression on the active path (once per expression). */
function fill(space: unknown, valueFor: (node: HpNode) => number): unknown {
  const memo = new Map<HpNode, unknown>();
  const walk = (value: unknown): unknown => {
    if (isHpNode(value)) {
      if (memo.has(value)) return memo.get(value);
      const v = valueFor(value);
      const options = optionsOf(value);
      let out: unknown = v;
      if (value.spec.type === 'choice' || value.spec.type === 'pchoice') {
        if (!Number.isInteger(v) || v < 0 || v >= options.length) {
          throw new InvalidArgumentError(
            `'${value.label}' is a choice of ${options.length} options; its value must be an index 0…${options.length - 1}, got ${v}.`,
          );
        }
        out = walk(options[v]);
      }
      memo.set(value, out);
      return out;
    }
    if (Array.isArray(value)) return value.map(walk);
    if (isPlainObject(value)) {
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(value)) out[k] = walk(v);
      return out;
    }
    return value;
  };
  return walk(space);
}

/**
 * Samples a compiled space through a trial. `vals` receives the Hyperopt value of every
 * expression sampled (a choice's index, a number's value).
 */
export function sampleSpace(
  compiled: CompiledSpace,
  trial: SuggestingTrial,
  vals: Record<string, number>,
): unknown {
  return fill(compiled.space, (node) => {
    const v = suggestNode(trial, node);
    vals[node.label] = v;
    return v;
  });
}

/**
 * The space with recorded values filled in, as Hyperopt's `space_eval`: turns `fmin`'s result
 * (choice indices) into the configuration the objective saw.
 * @example
 * ```ts
 * const space = { lr: hp.loguniform('lr', Math.log(1e-4), Math.log(1)), act: hp.choice('act', ['relu', 'tanh']) };
 * spaceEval(space, { lr: 0.01, act: 1 }); // { lr: 0.01, act: 'tanh' }
 * ```
 */
export function spaceEval<S>(space: S, vals: HpVals): Sample<S> {
  compileSpace(space);
  if (vals === null || typeof vals !== 'object') {
    throw new InvalidArgumentError(
      `spaceEval: vals must be an object of label → value, got ${JSON.stringify(vals)}.`,
    );
  }
  return fill(space, (node) => {
    const raw = vals[node.label];
    const v = Array.isArray(raw) ? (raw as readonly number[])[0] : raw;
    if (typeof v !== 'number' || Number.isNaN(v)) {
      throw new InvalidArgumentError(
        `spaceEval: no value for '${node.label}', which is active with the given values. Pass the full argmin of a trial.`,
      );
    }
    return v;
  }) as Sample<S>;
}
