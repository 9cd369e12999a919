/**
 * The warm-start benchmark (`npm run bench:warm-start`): does a warm start from an earlier study
 * on a related problem reach at 30 trials the regret a cold start reaches only at 100?
 *
 * For each problem (hartmann6 and mixed_mlp of the shared benchmark), sampler (TPE, GP) and seed:
 * 1. source studies: `--sources` studies (default 1; seeds 1000·k + seed) of `--source` trials
 *    (default 100) each, by the sampler, on the original problem;
 * 2. cold: `--cold` trials (default 100) on the shifted variant, no warm start;
 * 3. warm: `--warm` trials (default 30) on the shifted variant with `warmStartFrom: [source]`.
 * Shifted variants (the optimum moves, the objective is rescaled and offset, so values are not
 * comparable between the studies):
 * - hartmann6_shifted(x) = 1.3 · hartmann6(x − 0.05) + 0.2 (the optimum moves by +0.05 in every
 *   coordinate, still inside [0, 1]^6); f* = 1.3 · f*_hartmann6 + 0.2.
 * - mixed_mlp_shifted(p) = 1.3 · mixed_mlp(p') + 0.2 with lr' = lr / 10^0.3, units' = units / √2,
 *   dropout' = dropout − 0.05 (best lr 2·10⁻³, units 362, dropout 0.35); f* = 0.2 (up to 1e-9,
 *   units being an integer).
 * Prints, per problem and sampler, the mean and median regret of cold@30, cold@100 and warm@30
 * over the seeds, and the ratio warm@30 / cold@100 (≤ 1: the target is met).
 *
 *   --problems hartmann6,mixed_mlp   --samplers tpe,gp,gp_stacked   --seeds 10
 *   --source 100   --sources 1   --warm 30   --cold 100   --weight 0.5 (warmStartWeight)   --out results.json
 */
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { createStudy, GPSampler, type Sampler, setLogLevel, TPESampler } from '../src/index.js';
import { BENCH_PROBLEMS, mixedMlp, suggestMixedMlp } from '../src/testing/problems.js';
import type { Trial } from '../src/trial/trial.js';
import { SHIFT_OFFSET, SHIFT_SCALE, SHIFTED_HARTMANN6_FSTAR, shiftedHartmann6 } from './shifted-hartmann6.js';

const { values: args } = parseArgs({
  options: {
    problems: { type: 'string', default: 'hartmann6,mixed_mlp' },
    samplers: { type: 'string', default: 'tpe,gp,gp_stacked' },
    seeds: { type: 'string', default: '10' },
    source: { type: 'string', default: '100' },
    sources: { type: 'string', default: '1' },
    warm: { type: 'string', default: '30' },
    cold: { type: 'string', default: '100' },
    weight: { type: 'string', default: '0.5' },
    out: { type: 'string' },
  },
});

const A = SHIFT_SCALE;
const B = SHIFT_OFFSET;

interface Shifted {
  readonly original: (t: Trial) => number;
  readonly shifted: (t: Trial) => number;
  readonly fstar: number;
  readonly originalFstar: number;
}

const x6 = new Float64Array(6);
const PROBLEMS: Record<string, Shifted> = {
  hartmann6: {
    original: (t) => BENCH_PROBLEMS.hartmann6!.objective(t),
    shifted: (t) => {
      for (let i = 0; i < 6; i++) x6[i] = t.suggestFloat(`x${i}`, 0, 1);
      return shiftedHartmann6(x6);
    },
    fstar: SHIFTED_HARTMANN6_FSTAR,
    originalFstar: BENCH_PROBLEMS.hartmann6!.fstar,
  },
  mixed_mlp: {
    original: (t) => mixedMlp(suggestMixedMlp(t)),
    shifted: (t) => {
      const p = suggestMixedMlp(t);
      return (
        A * mixedMlp({ ...p, lr: p.lr / 10 ** 0.3, units: p.units / Math.SQRT2, dropout: p.dropout - 0.05 }) +
        B
      );
    },
    fstar: B,
    originalFstar: 0,
  },
};

const SAMPLERS: Record<string, (seed: number) => Sampler> = {
  tpe: (seed) => new TPESampler({ seed }),
  gp: (seed) => new GPSampler({ seed }),
  gp_stacked: (seed) => new GPSampler({ seed, warmStartModel: 'stacked' }),
};

/** Best value among the first k complete trials, minus f*. */
function regretAt(values: readonly number[], k: number, fstar: number): number {
  let best = Number.POSITIVE_INFINITY;
  for (let i = 0; i < Math.min(k, values.length); i++) best = Math.min(best, values[i]!);
  return best - fstar;
}

async function values(study: Awaited<ReturnType<typeof createStudy>>): Promise<number[]> {
  return (await study.getTrials()).map((t) =>
    t.state === 'complete' ? t.values![0]! : Number.POSITIVE_INFINITY,
  );
}

const mean = (a: readonly number[]): number => a.reduce((s, v) => s + v, 0) / a.length;
const median = (a: readonly number[]): number => {
  const s = [...a].sort((x, y) => x - y);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};
const fmt = (v: number): string => v.toExponential(2);

setLogLevel('error');
const seeds = Number(args.seeds);
const nSource = Number(args.source);
const nSources = Number(args.sources);
const nWarm = Number(args.warm);
const nCold = Number(args.cold);
const weight = Number(args.weight);
const rows: Array<Record<string, unknown>> = [];
console.log(
  `warm start: ${nSources} source stud${nSources > 1 ? 'ies' : 'y'} of ${nSource} trials on the original problem; warm ${nWarm} vs cold ${nCold} trials on the shifted one; ${seeds} seeds; warmStartWeight ${weight}`,
);
console.log(
  '| problem | sampler | cold@30 mean (median) | cold@100 mean (median) | warm@30 mean (median) | warm@30 / cold@100 (mean) | met |',
);
console.log('|---|---|---|---|---|---|---|');
for (const problem of args.problems.split(',')) {
  const p = PROBLEMS[problem];
  if (p === undefined) throw new Error(`unknown problem '${problem}' (hartmann6, mixed_mlp)`);
  for (const samplerName of args.samplers.split(',')) {
    const make = SAMPLERS[samplerName];
    if (make === undefined) throw new Error(`unknown sampler '${samplerName}' (tpe, gp, gp_stacked)`);
    const cold30: number[] = [];
    const cold100: number[] = [];
    const warm30: number[] = [];
    const t0 = Date.now();
    for (let seed = 0; seed < seeds; seed++) {
      const sources: Array<Awaited<ReturnType<typeof createStudy>>> = [];
      const sourceRegrets: number[] = [];
      for (let k = 0; k < nSources; k++) {
        const source = await createStudy({ sampler: make(1000 * (k + 1) + seed) });
        await source.optimize(p.original, { nTrials: nSource });
        sources.push(source);
        sourceRegrets.push(regretAt(await values(source), nSource, p.originalFstar));
      }
      if (nCold > 0) {
        const cold = await createStudy({ sampler: make(seed) });
        await cold.optimize(p.shifted, { nTrials: nCold });
        const cv = await values(cold);
        cold30.push(regretAt(cv, nWarm, p.fstar));
        cold100.push(regretAt(cv, nCold, p.fstar));
      }
      const warm = await createStudy({
        sampler: make(seed),
        warmStartFrom: sources,
        warmStartWeight: weight,
      });
      await warm.optimize(p.shifted, { nTrials: nWarm });
      warm30.push(regretAt(await values(warm), nWarm, p.fstar));
      console.error(
        `${problem} ${samplerName} seed ${seed}: cold@${nWarm} ${fmt(cold30.at(-1) ?? Number.NaN)} cold@${nCold} ${fmt(cold100.at(-1) ?? Number.NaN)} warm@${nWarm} ${fmt(warm30.at(-1)!)} (source${nSources > 1 ? 's' : ''} ${sourceRegrets.map(fmt).join(', ')})`,
      );
    }
    const ratio = mean(warm30) / mean(cold100);
    console.log(
      `| ${problem} | ${samplerName} | ${fmt(mean(cold30))} (${fmt(median(cold30))}) | ${fmt(mean(cold100))} (${fmt(median(cold100))}) | ${fmt(mean(warm30))} (${fmt(median(warm30))}) | ${ratio.toFixed(2)} | ${ratio <= 1 ? 'yes' : 'no'} |`,
    );
    console.error(`${problem} ${samplerName}: ${((Date.now() - t0) / 1000).toFixed(0)} s`);
    rows.push({ problem, sampler: samplerName, sources: nSources, cold30, cold100, warm30, ratio });
  }
}
if (args.out)
  writeFileSync(
    args.out,
    `${JSON.stringify({ seeds, nSource, nSources, nWarm, nCold, weight, rows }, null, 2)}\n`,
  );
