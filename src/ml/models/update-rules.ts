/**
 * Gradient-descent update rules, written out: each `step(θ, g)` moves the parameters θ in place
 * given the gradient g of the loss at θ (of a mini-batch, or of all the data for plain GD).
 *
 * With learning rate η, element-wise operations, and t the number of steps taken (from 1):
 * - gd / sgd:  v ← μ·v − η·g;  θ ← θ + v          (μ = momentum; μ = 0: θ ← θ − η·g)
 * - adagrad:   G ← G + g²;  θ ← θ − η·g / (√G + ε)
 * - rmsprop:   E ← ρ·E + (1 − ρ)·g²;  θ ← θ − η·g / (√E + ε)
 * - adam:      m ← β₁·m + (1 − β₁)·g;  s ← β₂·s + (1 − β₂)·g²;
 *              θ ← θ − η·(m / (1 − β₁ᵗ)) / (√(s / (1 − β₂ᵗ)) + ε)
 * 'gd' and 'sgd' share one rule: they differ in what the gradient is computed on (all the rows,
 * or shuffled mini-batches), which the model that uses the rule decides.
 *
 * Notation: p parameters; θ, g and the state vectors v, G, E, m, s are Float64Array(p).
 * @module
 */
import { InvalidArgumentError } from '../../core/errors.js';

/** The update rules of {@link makeUpdateRule}. */
export const UPDATE_RULES = ['gd', 'sgd', 'adagrad', 'rmsprop', 'adam'] as const;
/** One of {@link UPDATE_RULES}. */
export type UpdateRuleName = (typeof UPDATE_RULES)[number];

/** Hyperparameters of the update rules; each applies to the rules named. */
export interface UpdateRuleOptions {
  /** η, all rules (> 0). Default 0.01. */
  learningRate?: number | undefined;
  /** μ ∈ [0, 1), gd and sgd. Default 0 (no momentum). */
  momentum?: number | undefined;
  /** ρ ∈ [0, 1), rmsprop. Default 0.9. */
  rho?: number | undefined;
  /** β₁ ∈ [0, 1), adam. Default 0.9. */
  beta1?: number | undefined;
  /** β₂ ∈ [0, 1), adam. Default 0.999. */
  beta2?: number | undefined;
  /** ε > 0, adagrad, rmsprop and adam. Default 1e-8. */
  epsilon?: number | undefined;
}

/** An update rule with its state (one per parameter vector). */
export interface UpdateRule {
  readonly name: UpdateRuleName;
  /** Moves `theta` in place along the gradient `grad` (both of the length given at creation). */
  step(theta: Float64Array, grad: Float64Array): void;
  /** Clears the state (velocities, accumulators, step count). */
  reset(): void;
}

function inUnit(name: string, v: number): number {
  if (!(v >= 0 && v < 1)) throw new InvalidArgumentError(`${name} must be in [0, 1), got ${v}.`);
  return v;
}

/**
 * The update rule `name` for `size` parameters.
 * @example
 * ```ts
 * const rule = makeUpdateRule('rmsprop', theta.length, { learningRate: 0.01 });
 * for (let t = 0; t < 100; t++) { gradient(theta, grad); rule.step(theta, grad); }
 * ```
 */
export function makeUpdateRule(
  name: UpdateRuleName,
  size: number,
  options: UpdateRuleOptions = {},
): UpdateRule {
  if (!UPDATE_RULES.includes(name)) {
    throw new InvalidArgumentError(
      `unknown update rule '${String(name)}'; choose one of ${UPDATE_RULES.join(', ')}.`,
    );
  }
  if (!Number.isInteger(size) || size < 1) {
    throw new InvalidArgumentError(`makeUpdateRule: size must be an integer ≥ 1, got ${size}.`);
  }
  const lr = options.learningRate ?? 0.01;
  if (!(lr > 0) || !Number.isFinite(lr)) {
    throw new InvalidArgumentError(`learningRate must be a positive number, got ${String(lr)}.`);
  }
  const eps = options.epsilon ?? 1e-8;
  if (!(eps > 0)) throw new InvalidArgumentError(`epsilon must be > 0, got ${eps}.`);
  const a = new Float64Array(size);
  const b = new Float64Array(size);
  const check = (theta: Float64Array, grad: Float64Array) => {
    if (theta.length !== size || grad.length !== size) {
      throw new InvalidArgumentError(
        `${name}.step: theta and grad need length ${size}, got ${theta.length} and ${grad.length}.`,
      );
    }
  };
  switch (name) {
    case 'gd':
    case 'sgd': {
      const mu = inUnit('momentum', options.momentum ?? 0);
      const v = a;
      return {
        name,
        step(theta, grad) {
          check(theta, grad);
          for (let i = 0; i < size; i++) {
            v[i] = mu * v[i]! - lr * grad[i]!;
            theta[i]! += v[i]!;
          }
        },
        reset: () => v.fill(0),
      };
    }
    case 'adagrad': {
      const acc = a;
      return {
        name,
        step(theta, grad) {
          check(theta, grad);
          for (let i = 0; i < size; i++) {
            const g = grad[i]!;
            acc[i]! += g * g;
            theta[i]! -= (lr * g) / (Math.sqrt(acc[i]!) + eps);
          }
        },
        reset: () => acc.fill(0),
      };
    }
    case 'rmsprop': {
      const rho = inUnit('rho', options.rho ?? 0.9);
      const avg = a;
      return {
        name,
        step(theta, grad) {
          check(theta, grad);
          for (let i = 0; i < size; i++) {
            const g = grad[i]!;
            avg[i] = rho * avg[i]! + (1 - rho) * g * g;
            theta[i]! -= (lr * g) / (Math.sqrt(avg[i]!) + eps);
          }
        },
        reset: () => avg.fill(0),
      };
    }
    default: {
      const beta1 = inUnit('beta1', options.beta1 ?? 0.9);
      const beta2 = inUnit('beta2', options.beta2 ?? 0.999);
      const m = a;
      const s = b;
      let t = 0;
      return {
        name,
        step(theta, grad) {
          check(theta, grad);
          t++;
          const c1 = 1 - beta1 ** t;
          const c2 = 1 - beta2 ** t;
          for (let i = 0; i < size; i++) {
            const g = grad[i]!;
            m[i] = beta1 * m[i]! + (1 - beta1) * g;
            s[i] = beta2 * s[i]! + (1 - beta2) * g * g;
            theta[i]! -= (lr * (m[i]! / c1)) / (Math.sqrt(s[i]! / c2) + eps);
          }
        },
        reset() {
          m.fill(0);
          s.fill(0);
          t = 0;
        },
      };
    }
  }
}
