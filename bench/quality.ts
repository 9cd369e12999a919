/**
 * The quality benchmark (`npm run bench:quality`): runs samplers on the six problems of the
 * shared benchmark and prints mean regret, median regret and mean normalised regret per problem
 * and sampler, beside Optuna's figures from the shared anchors with the ratio tunekit/Optuna.
 * The same as `tunekit bench` (both use src/testing/quality-bench.ts).
 *
 *   --problems a,b   (default: all)      --samplers tpe,random   (default: tpe)
 *   --trials 100     --seeds 10          --concurrency 1          --out results.json
 *   --anchors path   (default: ../shared/bench/optuna-anchors.json)
 *
 * The JSON written with --out has the shape of the anchors file's `results`.
 */
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { setLogLevel } from '../src/index.js';
import { BENCH_PROBLEMS } from '../src/testing/problems.js';
import { DEFAULT_ANCHORS, loadAnchors, qualityJson, runQualityBench } from '../src/testing/quality-bench.js';

const { values: args } = parseArgs({
  options: {
    problems: { type: 'string', default: Object.keys(BENCH_PROBLEMS).join(',') },
    samplers: { type: 'string', default: 'tpe' },
    trials: { type: 'string', default: '100' },
    seeds: { type: 'string', default: '10' },
    concurrency: { type: 'string', default: '1' },
    out: { type: 'string' },
    anchors: { type: 'string', default: DEFAULT_ANCHORS },
  },
});

setLogLevel('error');
const result = await runQualityBench({
  problems: args.problems.split(','),
  samplers: args.samplers.split(','),
  trials: Number(args.trials),
  seeds: Number(args.seeds),
  concurrency: Number(args.concurrency),
  anchors: loadAnchors(args.anchors),
  onLine: (line) => console.error(line),
});
console.log(result.title);
console.log(result.table.join('\n'));
if (args.out) writeFileSync(args.out, qualityJson(result));
