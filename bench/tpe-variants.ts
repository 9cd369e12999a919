/**
 * TPE tuning aid (`tsx bench/tpe-variants.ts`): runs TPESampler variants (constructor options)
 * on problems of the quality benchmark and prints mean and median regret per problem and variant,
 * with the ratio to Optuna 5's TPE anchor. Used to check changes to TPE's defaults.
 *
 *   --problems a,b   (default: branin,hartmann6,rosenbrock4)
 *   --variants a,b   (default: default; see VARIANTS)
 *   --trials 100     --seeds 20     --seed0 0     --out per-seed.json
 * @module
 */
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { createStudy, setLogLevel } from '../src/index.js';
import { TPESampler, type TPESamplerOptions } from '../src/samplers/tpe/index.js';
import { BENCH_PROBLEMS } from '../src/testing/problems.js';
import { DEFAULT_ANCHORS, loadAnchors } from '../src/testing/quality-bench.js';

/** Named sets of TPE options. */
const VARIANTS: Record<string, TPESamplerOptions> = {
  default: {},
  /** Optuna 5's split: 10% below (at most 25), below kernels weighed alike. */
  optuna: { gamma: (n) => Math.min(Math.ceil(0.1 * n), 25), belowDecay: 0 },
  gamma15: { belowDecay: 0 },
  decay2: { belowDecay: 2 },
  gamma20: { gamma: (n) => Math.min(Math.ceil(0.2 * n), 25) },
  indep: { multivariate: false },
  indepOptuna: { multivariate: false, gamma: (n) => Math.min(Math.ceil(0.1 * n), 25), belowDecay: 0 },
  endpoints: { considerEndpoints: true },
  prior2: { priorWeight: 2 },
  prior15: { priorWeight: 1.5 },
  prior075: { priorWeight: 0.75 },
};

const { values: args } = parseArgs({
  options: {
    problems: { type: 'string', default: 'branin,hartmann6,rosenbrock4' },
    variants: { type: 'string', default: 'default' },
    trials: { type: 'string', default: '100' },
    seeds: { type: 'string', default: '20' },
    seed0: { type: 'string', default: '0' },
    out: { type: 'string' },
  },
});

setLogLevel('error');
const anchors = loadAnchors(DEFAULT_ANCHORS);
const trials = Number(args.trials);
const seeds = Number(args.seeds);
const seed0 = Number(args.seed0);
const median = (a: number[]): number => {
  const s = [...a].sort((x, y) => x - y);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? s[m]! : 0.5 * (s[m - 1]! + s[m]!);
};
const out: Record<string, Record<string, number[]>> = {};
console.log(`TPE variants: ${trials} trials × seeds ${seed0}–${seed0 + seeds - 1}`);
console.log('| problem | variant | mean regret | median regret | worst | Optuna 5 TPE mean | ratio |');
console.log('|---|---|---|---|---|---|---|');
for (const pname of args.problems.split(',')) {
  const problem = BENCH_PROBLEMS[pname];
  if (problem === undefined) throw new Error(`unknown problem ${pname}`);
  out[pname] = {};
  for (const vname of args.variants.split(',')) {
    const opts = VARIANTS[vname];
    if (opts === undefined)
      throw new Error(`unknown variant ${vname}; known: ${Object.keys(VARIANTS).join(', ')}`);
    const regret: number[] = [];
    for (let seed = seed0; seed < seed0 + seeds; seed++) {
      const study = await createStudy({ sampler: new TPESampler({ ...opts, seed }) });
      await study.optimize((t) => problem.objective(t), { nTrials: trials });
      regret.push((await study.bestValue()) - problem.fstar);
    }
    out[pname][vname] = regret;
    const mean = regret.reduce((a, b) => a + b, 0) / regret.length;
    const anchor = (anchors[pname]?.['optuna5/tpe'] as { mean_regret: number } | undefined)?.mean_regret;
    console.log(
      `| ${pname} | ${vname} | ${mean.toPrecision(4)} | ${median(regret).toPrecision(4)} | ${Math.max(...regret).toPrecision(3)} | ${anchor?.toPrecision(4) ?? ''} | ${anchor === undefined ? '' : (mean / anchor).toFixed(2)} |`,
    );
  }
}
if (args.out) writeFileSync(args.out, JSON.stringify(out));
