/**
 * The quality benchmark (`npm run bench:quality`): runs samplers on the six problems of the
 * shared benchmark and prints mean regret, median regret and mean normalised regret per problem
 * and sampler, beside Optuna's figures from the shared anchors with the ratio tunekit/Optuna.
 *
 *   --problems a,b   (default: all)      --samplers tpe,random   (default: tpe)
 *   --trials 100     --seeds 10          --concurrency 1          --out results.json
 *   --anchors path   (default: ../shared/bench/optuna-anchors.json)
 *
 * The JSON written with --out has the shape of the anchors file's `results`.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { createStudy, RandomSampler, type Sampler, setLogLevel } from '../src/index.js';
import { AutoSampler } from '../src/samplers/auto/index.js';
import { CmaEsSampler } from '../src/samplers/cmaes/index.js';
import { GPSampler } from '../src/samplers/gp/index.js';
import { TPESampler } from '../src/samplers/tpe/index.js';
import { BENCH_PROBLEMS } from '../src/testing/problems.js';

const { values: args } = parseArgs({
  options: {
    problems: { type: 'string', default: Object.keys(BENCH_PROBLEMS).join(',') },
    samplers: { type: 'string', default: 'tpe' },
    trials: { type: 'string', default: '100' },
    seeds: { type: 'string', default: '10' },
    concurrency: { type: 'string', default: '1' },
    out: { type: 'string' },
    anchors: { type: 'string', default: '../shared/bench/optuna-anchors.json' },
  },
});

setLogLevel('error');
const SAMPLERS: Record<string, (seed: number) => Sampler> = {
  random: (seed) => new RandomSampler({ seed }),
  tpe: (seed) => new TPESampler({ seed }),
  tpe_indep: (seed) => new TPESampler({ seed, multivariate: false }),
  gp: (seed) => new GPSampler({ seed }),
  auto: (seed) => new AutoSampler({ seed }),
  cmaes: (seed) => new CmaEsSampler({ seed }),
};
/** The Optuna anchor each tunekit sampler is compared with. */
const ANCHOR_OF: Record<string, string[]> = {
  random: ['optuna31/random'],
  tpe: ['optuna5/tpe', 'optuna31/tpe'],
  tpe_indep: ['optuna31/tpe'],
  gp: ['optuna5/gp'],
  auto: ['optuna5/tpe'],
  cmaes: ['optuna31/cmaes'],
};

const trials = Number(args.trials);
const seeds = Number(args.seeds);
const concurrency = Number(args.concurrency);
const anchors = existsSync(args.anchors)
  ? (JSON.parse(readFileSync(args.anchors, 'utf8')) as { results: Record<string, Record<string, unknown>> })
      .results
  : {};

interface Row {
  best: number[];
  mean_regret: number;
  median_regret: number;
  mean_norm_regret: number;
  seconds_per_run: number;
}
const results: Record<string, Record<string, unknown>> = {};
const table: string[] = [
  '| problem | sampler | mean regret | median regret | mean norm. regret | s/run | Optuna anchor | anchor mean regret | ratio |',
  '|---|---|---|---|---|---|---|---|---|',
];
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

for (const pname of args.problems.split(',')) {
  const problem = BENCH_PROBLEMS[pname];
  if (!problem) throw new Error(`unknown problem ${pname}`);
  results[pname] = { fstar: problem.fstar, random_median: problem.randomMedian };
  for (const sname of args.samplers.split(',')) {
    const make = SAMPLERS[sname];
    if (!make) throw new Error(`unknown sampler ${sname}; known: ${Object.keys(SAMPLERS).join(', ')}`);
    const best: number[] = [];
    const secs: number[] = [];
    for (let seed = 0; seed < seeds; seed++) {
      const study = await createStudy({ sampler: make(seed) });
      const t0 = performance.now();
      await study.optimize(
        concurrency > 1
          ? async (t) => {
              const v = problem.objective(t);
              await new Promise((r) => setTimeout(r, 1));
              return v;
            }
          : (t) => problem.objective(t),
        { nTrials: trials, concurrency },
      );
      secs.push((performance.now() - t0) / 1000);
      best.push(await study.bestValue());
    }
    const regret = best.map((b) => b - problem.fstar);
    const row: Row = {
      best,
      mean_regret: regret.reduce((a, b) => a + b, 0) / seeds,
      median_regret: median(regret),
      mean_norm_regret: regret.reduce((a, r) => a + r / (problem.randomMedian - problem.fstar), 0) / seeds,
      seconds_per_run: median(secs),
    };
    results[pname]![sname] = row;
    const anchorKeys = (ANCHOR_OF[sname] ?? []).filter((k) => anchors[pname]?.[k] !== undefined);
    const anchorCells =
      anchorKeys.length === 0
        ? ['', '', '']
        : [
            anchorKeys.join(' / '),
            anchorKeys.map((k) => (anchors[pname]![k] as Row).mean_regret.toPrecision(4)).join(' / '),
            anchorKeys
              .map((k) => (row.mean_regret / (anchors[pname]![k] as Row).mean_regret).toFixed(2))
              .join(' / '),
          ];
    const line = `| ${pname} | ${sname} | ${row.mean_regret.toPrecision(4)} | ${row.median_regret.toPrecision(4)} | ${row.mean_norm_regret.toPrecision(4)} | ${row.seconds_per_run.toFixed(2)} | ${anchorCells.join(' | ')} |`;
    table.push(line);
    console.error(line);
  }
}
console.log(
  `quality benchmark: ${trials} trials × ${seeds} seeds, concurrency ${concurrency}, node ${process.version}`,
);
console.log(table.join('\n'));
if (args.out) writeFileSync(args.out, JSON.stringify({ trials, seeds, concurrency, results }, null, 1));
