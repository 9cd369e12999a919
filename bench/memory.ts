/**
 * Memory (`npm run bench:memory`): a 100,000-trial study of 10 float parameters held in memory
 * stays under 300 MB RSS, and running TPE on it adds no memory per suggestion beyond the trials
 * themselves (Optuna's TPE grows without bound in a known case: its issue #6777).
 *
 *   --trials 100000   --params 10   --suggestions 200
 *
 * Run with `node --expose-gc` (the npm script does) so that the figures are taken after a full
 * garbage collection; without it they include garbage not yet collected.
 */
import { parseArgs } from 'node:util';
import { createStudy, floatDistribution, setLogLevel } from '../src/index.js';
import { TPESampler } from '../src/samplers/tpe/index.js';

const { values: args } = parseArgs({
  options: {
    trials: { type: 'string', default: '100000' },
    params: { type: 'string', default: '10' },
    suggestions: { type: 'string', default: '200' },
  },
});
const nTrials = Number(args.trials);
const d = Number(args.params);
const nSuggest = Number(args.suggestions);
setLogLevel('error');

const gc = (globalThis as { gc?: () => void }).gc;
function rssMb(): number {
  gc?.();
  gc?.();
  return process.memoryUsage().rss / 2 ** 20;
}
function heapMb(): number {
  return process.memoryUsage().heapUsed / 2 ** 20;
}

const start = rssMb();
const startHeap = heapMb();
const study = await createStudy({ sampler: new TPESampler({ seed: 1 }) });
const dist = floatDistribution(0, 1);
const distributions: Record<string, typeof dist> = {};
for (let j = 0; j < d; j++) distributions[`x${j}`] = dist;
let state = 12345;
const uniform = (): number => {
  // A small LCG: the same study on every run, without the cost of a seeded Rng per value.
  state = (state * 1103515245 + 12345) % 2147483648;
  return state / 2147483648;
};
for (let i = 0; i < nTrials; i++) {
  const params: Record<string, number> = {};
  let v = 0;
  for (let j = 0; j < d; j++) {
    const x = uniform();
    params[`x${j}`] = x;
    v += (x - 0.3) ** 2;
  }
  await study.storage.createTrial(study.studyId, { state: 'complete', params, distributions, values: [v] });
}
const built = rssMb();
const builtHeap = heapMb();

const objective = (t: { suggestFloat(name: string, lo: number, hi: number): number }): number => {
  let v = 0;
  for (let j = 0; j < d; j++) v += (t.suggestFloat(`x${j}`, 0, 1) - 0.3) ** 2;
  return v;
};
// The first suggestion builds TPE's per-study memo (sorted columns, rows, kernels): O(trials).
const t0 = performance.now();
await study.optimize(objective, { nTrials: 1 });
const firstMs = performance.now() - t0;
const afterFirst = rssMb();
const afterFirstHeap = heapMb();
const half = Math.floor(nSuggest / 2);
const t1 = performance.now();
await study.optimize(objective, { nTrials: half });
const mid = rssMb();
const midHeap = heapMb();
await study.optimize(objective, { nTrials: nSuggest - half });
const suggestMs = (performance.now() - t1) / nSuggest;
const end = rssMb();
const endHeap = heapMb();

const perTrialKb = ((builtHeap - startHeap) * 1024) / nTrials;
const f = (x: number): string => x.toFixed(1);
console.log(
  `memory benchmark: ${nTrials.toLocaleString('en')} trials × ${d} float parameters, ${nSuggest} TPE suggestions, node ${process.version}${gc ? '' : ' (no --expose-gc: figures include uncollected garbage)'}`,
);
console.log('| measure | value | target |');
console.log('|---|---|---|');
console.log(`| RSS at start (MB) | ${f(start)} | |`);
console.log(`| RSS with the study built (MB) | ${f(built)} | < 300 |`);
console.log(`| RSS added by the study (MB) | ${f(built - start)} | |`);
console.log(`| heap per trial (KB) | ${perTrialKb.toFixed(2)} | |`);
console.log(`| RSS after the first TPE suggestion (memo built, MB) | ${f(afterFirst)} | |`);
console.log(
  `| TPE memo per trial (KB, heap) | ${(((afterFirstHeap - builtHeap) * 1024) / nTrials).toFixed(2)} | |`,
);
console.log(`| first suggestion (ms) | ${firstMs.toFixed(0)} | |`);
console.log(`| RSS after ${half + 1} suggestions (MB) | ${f(mid)} | |`);
console.log(`| RSS after ${nSuggest + 1} suggestions (MB) | ${f(end)} | |`);
console.log(`| mean suggestion after the first (ms) | ${suggestMs.toFixed(2)} | |`);
console.log(
  `| heap growth per suggestion, second half (KB) | ${(((endHeap - midHeap) * 1024) / (nSuggest - half)).toFixed(2)} | ≈ heap per trial |`,
);
console.log(
  `| heap growth per suggestion, all (KB; includes the one-time growth of TPE's per-trial arrays) | ${(((endHeap - afterFirstHeap) * 1024) / nSuggest).toFixed(2)} | |`,
);
console.log(
  `| RSS growth per suggestion, second half (KB) | ${(((end - mid) * 1024) / (nSuggest - half)).toFixed(2)} | ≈ heap per trial |`,
);
console.log(
  `| RSS growth per suggestion, all (KB) | ${(((end - afterFirst) * 1024) / nSuggest).toFixed(2)} | |`,
);
