/**
 * GPSampler's speed: the time of one suggestion (ask + suggests + tell) in a study that already
 * holds n complete trials of d float parameters, for n = 100, 500, 1000, 2000 and d = 6, 10.
 * The first suggestion of a sampler fits its hyperparameters from scratch ("cold"); the next ones
 * warm-start from the previous fit, as in a running study (median and max of those).
 * Targets (issue 3, 2 cores): ≤ 100 ms at 100 trials, ≤ 1.5 s at 500, ≤ 3 s at 1000 and 2000.
 *
 *   npx tsx bench/gp-overhead.ts [--trials 100,500,1000,2000] [--dims 6,10] [--repeats 5]
 */
import { parseArgs } from 'node:util';
import { createStudy, floatDistribution, Rng, setLogLevel } from '../src/index.js';
import { GPSampler } from '../src/samplers/gp/index.js';

const { values: args } = parseArgs({
  options: {
    trials: { type: 'string', default: '100,500,1000,2000' },
    dims: { type: 'string', default: '6,10' },
    repeats: { type: 'string', default: '5' },
  },
});
setLogLevel('error');
const dist = floatDistribution(0, 1);

/** A smooth multimodal objective on [0, 1]^d (sum of a bowl and ripples). */
function objective(x: readonly number[]): number {
  let s = 0;
  for (let j = 0; j < x.length; j++) s += (x[j]! - 0.3) ** 2 + 0.1 * Math.sin(7 * x[j]! + j);
  return s;
}

async function suggestTimes(n: number, d: number, repeats: number): Promise<number[]> {
  const study = await createStudy({ sampler: new GPSampler({ seed: 1 }) });
  const rng = new Rng(n * 31 + d);
  for (let i = 0; i < n; i++) {
    const params: Record<string, number> = {};
    const distributions: Record<string, typeof dist> = {};
    const x: number[] = [];
    for (let j = 0; j < d; j++) {
      x.push(rng.random());
      params[`x${j}`] = x[j]!;
      distributions[`x${j}`] = dist;
    }
    await study.storage.createTrial(study.studyId, {
      state: 'complete',
      params,
      distributions,
      values: [objective(x)],
    });
  }
  const times: number[] = [];
  for (let k = 0; k < repeats; k++) {
    const t0 = performance.now();
    const t = await study.ask();
    const x: number[] = [];
    for (let j = 0; j < d; j++) x.push(t.suggestFloat(`x${j}`, 0, 1));
    await study.tell(t, objective(x));
    times.push(performance.now() - t0);
  }
  return times;
}

const rows: string[] = [
  '| trials | dims | cold (ms) | warm median (ms) | warm max (ms) | target (ms) |',
  '|---|---|---|---|---|---|',
];
const target = (n: number) => (n <= 100 ? 100 : n <= 500 ? 1500 : 3000);
for (const n of args.trials.split(',').map(Number)) {
  for (const d of args.dims.split(',').map(Number)) {
    const times = await suggestTimes(n, d, Number(args.repeats));
    const warm = times.slice(1).sort((a, b) => a - b);
    const median = warm.length === 0 ? Number.NaN : warm[(warm.length - 1) >> 1]!;
    const max = warm.length === 0 ? Number.NaN : warm[warm.length - 1]!;
    const line = `| ${n} | ${d} | ${times[0]!.toFixed(0)} | ${median.toFixed(0)} | ${max.toFixed(0)} | ≤ ${target(n)} |`;
    rows.push(line);
    console.error(line);
  }
}
console.log(`GPSampler suggestion time, node ${process.version}`);
console.log(rows.join('\n'));
