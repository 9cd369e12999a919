/**
 * Hyperparameter-importance timings (`npx tsx bench/importance.ts`): fANOVA (64 trees, the
 * defaults) and PED-ANOVA on synthetic studies of n complete trials × d float parameters, with
 * the objective Σ_j (j + 1)·sin(3·x_j). Prints wall-clock and CPU milliseconds (median of the
 * repeats); on a shared machine wall time exceeds CPU time.
 *
 * Options: --sizes 2000x10,5000x10,5000x30 (n×d list)  --repeats R (default 3).
 */
import { parseArgs } from 'node:util';
import type { FrozenTrial } from '../src/core/frozen-trial.js';
import { Rng } from '../src/core/rng.js';
import {
  computeParamImportances,
  FanovaImportanceEvaluator,
  type ImportanceEvaluator,
  PedAnovaImportanceEvaluator,
} from '../src/importance/index.js';
import { floatDistribution } from '../src/index.js';

const { values } = parseArgs({
  options: {
    sizes: { type: 'string', default: '2000x10,5000x10,5000x30' },
    repeats: { type: 'string', default: '3' },
  },
});
const repeats = Number(values.repeats);

function study(n: number, d: number): FrozenTrial[] {
  const rng = new Rng(1);
  const distributions = Object.fromEntries(
    Array.from({ length: d }, (_, j) => [`p${j}`, floatDistribution(0, 1)]),
  );
  return Array.from({ length: n }, (_, i) => {
    const params: Record<string, number> = {};
    let y = 0;
    for (let j = 0; j < d; j++) {
      const x = rng.random();
      params[`p${j}`] = x;
      y += (j + 1) * Math.sin(3 * x);
    }
    return {
      trialId: i,
      number: i,
      state: 'complete',
      params,
      internalParams: params,
      distributions,
      values: [y],
      intermediateValues: new Map(),
      userAttrs: {},
      systemAttrs: {},
      datetimeStart: null,
      datetimeComplete: null,
    } satisfies FrozenTrial;
  });
}

function median(a: number[]): number {
  const s = [...a].sort((x, y) => x - y);
  return s[Math.floor(s.length / 2)]!;
}

function time(
  trials: FrozenTrial[],
  evaluator: ImportanceEvaluator,
): { wall: number; cpu: number; top: string } {
  const walls: number[] = [];
  const cpus: number[] = [];
  let top = '';
  for (let r = 0; r < repeats; r++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    const imp = computeParamImportances(trials, ['minimize'], { evaluator });
    walls.push(performance.now() - t0);
    const c = process.cpuUsage(c0);
    cpus.push((c.user + c.system) / 1000);
    top = Object.keys(imp)[0]!;
  }
  return { wall: median(walls), cpu: median(cpus), top };
}

console.log('| trials × params | evaluator | wall ms | CPU ms | most important |');
console.log('|---|---|---|---|---|');
for (const size of values.sizes.split(',')) {
  const [n, d] = size.split('x').map(Number) as [number, number];
  const trials = study(n, d);
  for (const [name, ev] of [
    ['fANOVA (64 trees)', new FanovaImportanceEvaluator()],
    ['PED-ANOVA', new PedAnovaImportanceEvaluator()],
  ] as const) {
    const { wall, cpu, top } = time(trials, ev);
    console.log(`| ${n} × ${d} | ${name} | ${wall.toFixed(0)} | ${cpu.toFixed(0)} | ${top} |`);
  }
}
