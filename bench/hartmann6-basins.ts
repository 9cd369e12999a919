/**
 * How often hartmann6 traps the GP in its second-best basin (`npm run bench:hartmann6-basins`),
 * on the original function and on the warm-start benchmark's shifted one (bench/shifted-hartmann6.ts).
 *
 * 1. Basin shares: `--descents` L-BFGS-B descents (central-difference gradients) from uniform starts
 *    in [0, 1]^6; the share of descents ending at each regret (rounded to 0.01).
 * 2. Cold GP runs: `--trials` trials with the default GPSampler for seeds `--from` … `--from` +
 *    `--seeds` − 1; how many end above regret 0.05, and the mean regret of those and of the rest.
 *
 *   --functions original,shifted   --descents 20000   --from 0   --seeds 100   --trials 100
 */
import { parseArgs } from 'node:util';
import { Rng } from '../src/core/rng.js';
import { createStudy, GPSampler, setLogLevel } from '../src/index.js';
import { lbfgsb } from '../src/math/optim/lbfgsb.js';
import { BENCH_PROBLEMS, hartmann6 } from '../src/testing/problems.js';
import { SHIFTED_HARTMANN6_FSTAR, shiftedHartmann6 } from './shifted-hartmann6.js';

const { values: args } = parseArgs({
  options: {
    functions: { type: 'string', default: 'original,shifted' },
    descents: { type: 'string', default: '20000' },
    from: { type: 'string', default: '0' },
    seeds: { type: 'string', default: '100' },
    trials: { type: 'string', default: '100' },
  },
});

setLogLevel('error');
const FUNCTIONS: Record<string, { f: (x: ArrayLike<number>) => number; fstar: number }> = {
  original: { f: hartmann6, fstar: BENCH_PROBLEMS.hartmann6!.fstar },
  shifted: { f: shiftedHartmann6, fstar: SHIFTED_HARTMANN6_FSTAR },
};
const nDescents = Number(args.descents);
const from = Number(args.from);
const nSeeds = Number(args.seeds);
const nTrials = Number(args.trials);
const mean = (a: readonly number[]): number =>
  a.length ? a.reduce((s, v) => s + v, 0) / a.length : Number.NaN;

for (const name of args.functions.split(',')) {
  const fn = FUNCTIONS[name];
  if (fn === undefined) throw new Error(`unknown function '${name}' (original, shifted)`);
  const { f, fstar } = fn;

  if (nDescents > 0) {
    const rng = new Rng(7);
    const counts = new Map<string, number>();
    const xh = new Float64Array(6);
    const h = 1e-6;
    for (let k = 0; k < nDescents; k++) {
      const x0 = Array.from({ length: 6 }, () => rng.random());
      const r = lbfgsb(
        (x, g) => {
          xh.set(x);
          for (let i = 0; i < 6; i++) {
            xh[i] = x[i]! + h;
            const fp = f(xh);
            xh[i] = x[i]! - h;
            const fm = f(xh);
            xh[i] = x[i]!;
            g[i] = (fp - fm) / (2 * h);
          }
          return f(x);
        },
        x0,
        { lower: new Float64Array(6), upper: new Float64Array(6).fill(1) },
      );
      const key = Math.max(0, r.f - fstar).toFixed(2);
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    const shares = [...counts.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 4)
      .map(([regret, c]) => `regret ${regret}: ${((100 * c) / nDescents).toFixed(1)}%`);
    console.log(`${name}: ${nDescents} descents end at ${shares.join(', ')}`);
  }

  if (nSeeds > 0) {
    const regrets: number[] = [];
    for (let seed = from; seed < from + nSeeds; seed++) {
      const study = await createStudy({ sampler: new GPSampler({ seed }) });
      await study.optimize((t) => f(Array.from({ length: 6 }, (_, i) => t.suggestFloat(`x${i}`, 0, 1))), {
        nTrials,
      });
      regrets.push((await study.bestValue()) - fstar);
    }
    const failed = regrets.filter((r) => r > 0.05);
    const rest = regrets.filter((r) => r <= 0.05);
    console.log(
      `${name}: GP, ${nTrials} trials, seeds ${from}–${from + nSeeds - 1}: ${failed.length} of ${nSeeds} above regret 0.05 (their mean ${mean(failed).toFixed(3)}), the rest's mean ${mean(rest).toExponential(2)}, mean ${mean(regrets).toExponential(2)}`,
    );
  }
}
