import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../../core/errors.js';
import { expectClose } from '../../testing/expect-close.js';
import { makeUpdateRule } from './update-rules.js';

// Two steps from θ = 1 with the gradient 2 each time, η = 0.1, computed by hand.
function twoSteps(rule: ReturnType<typeof makeUpdateRule>): number[] {
  const theta = new Float64Array([1]);
  const grad = new Float64Array([2]);
  rule.step(theta, grad);
  const first = theta[0]!;
  rule.step(theta, grad);
  return [first, theta[0]!];
}

describe('update rules, step by step', () => {
  it('gd/sgd: θ ← θ − η·g', () => {
    expectClose(twoSteps(makeUpdateRule('gd', 1, { learningRate: 0.1 })), [0.8, 0.6], { rtol: 1e-15 });
    expectClose(twoSteps(makeUpdateRule('sgd', 1, { learningRate: 0.1 })), [0.8, 0.6], { rtol: 1e-15 });
  });

  it('sgd with momentum 0.9: v = −0.2 then 0.9·(−0.2) − 0.2 = −0.38', () => {
    expectClose(twoSteps(makeUpdateRule('sgd', 1, { learningRate: 0.1, momentum: 0.9 })), [0.8, 0.42], {
      rtol: 1e-14,
    });
  });

  it('adagrad: G = 4 then 8, steps 0.1·2/2 and 0.1·2/√8', () => {
    const [a, b] = twoSteps(makeUpdateRule('adagrad', 1, { learningRate: 0.1, epsilon: 1e-12 }));
    expectClose(a!, 0.9, { rtol: 1e-11 });
    expectClose(b!, 0.9 - 0.2 / Math.sqrt(8), { rtol: 1e-11 });
  });

  it('rmsprop (ρ = 0.9): E = 0.4 then 0.76, steps 0.2/√0.4 and 0.2/√0.76', () => {
    const [a, b] = twoSteps(makeUpdateRule('rmsprop', 1, { learningRate: 0.1, epsilon: 1e-12 }));
    expectClose(a!, 1 - 0.2 / Math.sqrt(0.4), { rtol: 1e-11 });
    expectClose(b!, 1 - 0.2 / Math.sqrt(0.4) - 0.2 / Math.sqrt(0.76), { rtol: 1e-11 });
  });

  it('adam: bias-corrected moments make the first steps η·sign(g)', () => {
    const [a, b] = twoSteps(makeUpdateRule('adam', 1, { learningRate: 0.1, epsilon: 1e-12 }));
    expectClose(a!, 0.9, { rtol: 1e-11 });
    expectClose(b!, 0.8, { rtol: 1e-11 });
  });

  it('works element-wise and reset() clears the state', () => {
    const rule = makeUpdateRule('rmsprop', 2, { learningRate: 0.1, epsilon: 1e-12 });
    const theta = new Float64Array([1, 1]);
    rule.step(theta, new Float64Array([2, -2]));
    expectClose(Array.from(theta), [1 - 0.2 / Math.sqrt(0.4), 1 + 0.2 / Math.sqrt(0.4)], { rtol: 1e-11 });
    rule.reset();
    const again = new Float64Array([1, 1]);
    rule.step(again, new Float64Array([2, -2]));
    expect(Array.from(again)).toEqual(Array.from(theta));
  });

  it('rejects bad hyperparameters and lengths', () => {
    expect(() => makeUpdateRule('gd', 1, { learningRate: 0 })).toThrow(InvalidArgumentError);
    expect(() => makeUpdateRule('sgd', 1, { momentum: 1 })).toThrow(/momentum must be in \[0, 1\)/);
    expect(() => makeUpdateRule('nope' as 'gd', 1)).toThrow(/unknown update rule/);
    expect(() => makeUpdateRule('adam', 2).step(new Float64Array(1), new Float64Array(1))).toThrow(
      /length 2/,
    );
  });
});
