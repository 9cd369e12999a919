/**
 * The multi-objective benchmark: NSGA-II on ZDT1, ZDT2 and ZDT3 (30 variables, 10,000
 * evaluations, population 100), hypervolume of the study's Pareto front against the true
 * front's (reference point (1.1, 1.1)); NSGA-III against NSGA-II on DTLZ2 with 3 objectives
 * (12 variables, reference point (1.1, 1.1, 1.1)); and the sampler overhead of 10,000 trials ×
 * 2 objectives × 40 parameters (the time of a study with the sampler minus the same study with
 * RandomSampler); the same for CmaEsSampler with 10,000 trials × 40 parameters; and the
 * model-based samplers on small budgets (gp-zdt1: GP, TPE and random search on ZDT1 with 5
 * variables, 40 trials).
 *
 *   --parts zdt,dtlz2,overhead,cmaes-overhead,gp-zdt1 (default: all)   --seeds 3   --evals 10000
 *   --zdt 1,2,3 (which ZDT problems the zdt part runs; `--parts zdt --zdt 2` runs NSGA-II on ZDT2
 *   only; 4 and 6, with 10 variables, are the multimodal and the non-uniform ones)
 *   Genetic samplers' settings (default: the samplers' own defaults): --crossover uniform|sbx|blxAlpha
 *   --mutation-eta 20   --crossover-prob 0.9   --tournament 2 (tournament size)   --mutation-prob 0.05
 */
import { parseArgs } from 'node:util';
import {
  createStudy,
  RandomSampler,
  type Sampler,
  setLogLevel,
  TPESampler,
  type Trial,
} from '../src/index.js';
import { hypervolume } from '../src/math/hypervolume/index.js';
import { CmaEsSampler } from '../src/samplers/cmaes/index.js';
import { GPSampler } from '../src/samplers/gp/index.js';
import { NSGAIISampler } from '../src/samplers/nsga2/index.js';
import { NSGAIIISampler } from '../src/samplers/nsga3/index.js';

const { values: args } = parseArgs({
  options: {
    parts: { type: 'string', default: 'zdt,dtlz2,overhead,cmaes-overhead,gp-zdt1' },
    seeds: { type: 'string', default: '3' },
    evals: { type: 'string', default: '10000' },
    zdt: { type: 'string', default: '1,2,3' },
    crossover: { type: 'string' },
    'mutation-eta': { type: 'string' },
    'crossover-prob': { type: 'string' },
    'mutation-prob': { type: 'string' },
    tournament: { type: 'string' },
  },
});
setLogLevel('error');
const seeds = Number(args.seeds);
const evals = Number(args.evals);
const parts = new Set(args.parts.split(','));
const zdtKinds = args.zdt.split(',').map(Number) as ZdtKind[];
/** The genetic samplers' options given on the command line (the rest are their defaults). */
const genetic: {
  crossover?: 'sbx' | 'uniform' | 'blxAlpha';
  mutationEta?: number;
  crossoverProb?: number;
  mutationProb?: number;
  tournamentSize?: number;
} = {};
if (args.crossover !== undefined) genetic.crossover = args.crossover as 'sbx' | 'uniform' | 'blxAlpha';
if (args['mutation-eta'] !== undefined) genetic.mutationEta = Number(args['mutation-eta']);
if (args['crossover-prob'] !== undefined) genetic.crossoverProb = Number(args['crossover-prob']);
if (args['mutation-prob'] !== undefined) genetic.mutationProb = Number(args['mutation-prob']);
if (args.tournament !== undefined) genetic.tournamentSize = Number(args.tournament);
const geneticLabel =
  Object.keys(genetic).length === 0
    ? 'defaults'
    : Object.entries(genetic)
        .map(([k, v]) => `${k} ${String(v)}`)
        .join(', ');

type Fn = (x: Float64Array) => number[];

type ZdtKind = 1 | 2 | 3 | 4 | 6;

function zdt(kind: ZdtKind): Fn {
  return (x) => {
    if (kind === 4) {
      // Multimodal: x1… in [-5, 5] (here 10 x − 5), 21^9 local fronts.
      let g = 1 + 10 * (x.length - 1);
      for (let i = 1; i < x.length; i++) {
        const y = 10 * x[i]! - 5;
        g += y * y - 10 * Math.cos(4 * Math.PI * y);
      }
      return [x[0]!, g * (1 - Math.sqrt(x[0]! / g))];
    }
    if (kind === 6) {
      // Non-uniform: solutions crowd at f1 = 1 and thin out near the front.
      const f1 = 1 - Math.exp(-4 * x[0]!) * Math.sin(6 * Math.PI * x[0]!) ** 6;
      let s = 0;
      for (let i = 1; i < x.length; i++) s += x[i]!;
      const g = 1 + 9 * (s / (x.length - 1)) ** 0.25;
      return [f1, g * (1 - (f1 / g) ** 2)];
    }
    const n = x.length;
    let s = 0;
    for (let i = 1; i < n; i++) s += x[i]!;
    const g = 1 + (9 * s) / (n - 1);
    const f1 = x[0]!;
    const r = f1 / g;
    const h =
      kind === 1
        ? 1 - Math.sqrt(r)
        : kind === 2
          ? 1 - r * r
          : 1 - Math.sqrt(r) - r * Math.sin(10 * Math.PI * f1);
    return [f1, g * h];
  };
}

function dtlz2(m: number): Fn {
  return (x) => {
    let g = 0;
    for (let i = m - 1; i < x.length; i++) g += (x[i]! - 0.5) ** 2;
    const f: number[] = [];
    for (let k = 0; k < m; k++) {
      let v = 1 + g;
      for (let i = 0; i < m - 1 - k; i++) v *= Math.cos((x[i]! * Math.PI) / 2);
      if (k > 0) v *= Math.sin((x[m - 1 - k]! * Math.PI) / 2);
      f.push(v);
    }
    return f;
  };
}

/** The true front's hypervolume from a dense sample of it. */
function trueFrontHv(kind: ZdtKind): number {
  const pts: number[][] = [];
  const n = 200_000;
  // ZDT6's front starts where f1 = 1 − exp(−4 x) sin⁶(6π x) is smallest, about 0.2808.
  const lo = kind === 6 ? 0.280775319 : 0;
  for (let i = 0; i <= n; i++) {
    const f1 = lo + ((1 - lo) * i) / n;
    const h =
      kind === 1 || kind === 4
        ? 1 - Math.sqrt(f1)
        : kind === 2 || kind === 6
          ? 1 - f1 * f1
          : 1 - Math.sqrt(f1) - f1 * Math.sin(10 * Math.PI * f1);
    pts.push([f1, h]);
  }
  return hypervolume(pts, [1.1, 1.1]);
}

/** DTLZ2's true front is the unit sphere's positive orthant: dense sample on a grid of angles. */
function dtlz2FrontHv(): number {
  const pts: number[][] = [];
  const n = 300;
  for (let i = 0; i <= n; i++) {
    for (let j = 0; j <= n; j++) {
      const a = ((i / n) * Math.PI) / 2;
      const b = ((j / n) * Math.PI) / 2;
      pts.push([Math.cos(a) * Math.cos(b), Math.cos(a) * Math.sin(b), Math.sin(a)]);
    }
  }
  return hypervolume(pts, [1.1, 1.1, 1.1]);
}

async function run(
  sampler: Sampler,
  fn: Fn,
  nVars: number,
  nObj: number,
  nTrials: number,
): Promise<{ front: number[][]; seconds: number }> {
  const study = await createStudy({ directions: Array(nObj).fill('minimize'), sampler });
  const x = new Float64Array(nVars);
  const t0 = performance.now();
  await study.optimize(
    (trial: Trial) => {
      for (let i = 0; i < nVars; i++) x[i] = trial.suggestFloat(`x${i}`, 0, 1);
      return fn(x);
    },
    { nTrials },
  );
  const seconds = (performance.now() - t0) / 1000;
  const front = (await study.bestTrials()).map((t) => [...t.values!]);
  return { front, seconds };
}

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const lines: string[] = [];
const say = (s: string) => {
  lines.push(s);
  console.error(s);
};

if (parts.has('zdt')) {
  say(`| problem | sampler | HV / true HV (mean over ${seeds} seeds) | min | s/run |`);
  say('|---|---|---|---|---|');
  for (const kind of zdtKinds) {
    const ref = trueFrontHv(kind);
    const ratios: number[] = [];
    const secs: number[] = [];
    for (let seed = 0; seed < seeds; seed++) {
      const r = await run(
        new NSGAIISampler({ seed, populationSize: 100, ...genetic }),
        zdt(kind),
        kind === 4 || kind === 6 ? 10 : 30,
        2,
        evals,
      );
      ratios.push(hypervolume(r.front, [1.1, 1.1]) / ref);
      secs.push(r.seconds);
    }
    say(
      `| ZDT${kind} | nsga2 (${geneticLabel}) | ${(100 * mean(ratios)).toFixed(2)}% | ${(100 * Math.min(...ratios)).toFixed(2)}% | ${mean(secs).toFixed(2)} |`,
    );
  }
}

if (parts.has('dtlz2')) {
  const ref = dtlz2FrontHv();
  const makers: Array<[string, (seed: number) => Sampler]> = [
    ['nsga2', (seed) => new NSGAIISampler({ seed, populationSize: 92, ...genetic })],
    ['nsga3', (seed) => new NSGAIIISampler({ seed, populationSize: 92, ...genetic })],
  ];
  say(`| DTLZ2 (3 obj, 12 vars, ${evals} evals) | sampler | HV / true HV (mean over ${seeds} seeds) | min |`);
  say('|---|---|---|---|');
  for (const [name, make] of makers) {
    const ratios: number[] = [];
    for (let seed = 0; seed < seeds; seed++) {
      const r = await run(make(seed), dtlz2(3), 12, 3, evals);
      ratios.push(hypervolume(r.front, [1.1, 1.1, 1.1]) / ref);
    }
    say(
      `| DTLZ2 | ${name} (${geneticLabel}) | ${(100 * mean(ratios)).toFixed(2)}% | ${(100 * Math.min(...ratios)).toFixed(2)}% |`,
    );
  }
}

if (parts.has('overhead')) {
  const fn: Fn = (x) => {
    let a = 0;
    let b = 0;
    for (let i = 0; i < x.length; i++) {
      a += x[i]! ** 2;
      b += (x[i]! - 1) ** 2;
    }
    return [a, b];
  };
  const time = async (make: () => Sampler) => {
    const t: number[] = [];
    for (let r = 0; r < 3; r++) t.push((await run(make(), fn, 40, 2, 10_000)).seconds);
    return Math.min(...t);
  };
  await time(() => new RandomSampler({ seed: 0 })); // warm-up
  const base = await time(() => new RandomSampler({ seed: 0 }));
  const nsga = await time(() => new NSGAIISampler({ seed: 0, populationSize: 100, ...genetic }));
  say(
    '| 10,000 trials × 2 objectives × 40 params | end to end (s, best of 3) | sampler overhead vs random (s) |',
  );
  say('|---|---|---|');
  say(`| random | ${base.toFixed(2)} | — |`);
  say(`| nsga2 | ${nsga.toFixed(2)} | ${(nsga - base).toFixed(2)} |`);
}

if (parts.has('cmaes-overhead')) {
  // CMA-ES: 10,000 trials × 40 parameters, one objective.
  const fn: Fn = (x) => [x.reduce((a, v) => a + (v - 0.3) ** 2, 0)];
  const time = async (make: () => Sampler) => {
    const t: number[] = [];
    for (let r = 0; r < 3; r++) t.push((await run(make(), fn, 40, 1, 10_000)).seconds);
    return Math.min(...t);
  };
  await time(() => new RandomSampler({ seed: 0 }));
  const base = await time(() => new RandomSampler({ seed: 0 }));
  const cma = await time(() => new CmaEsSampler({ seed: 0 }));
  const sep = await time(() => new CmaEsSampler({ seed: 0, separable: true }));
  say(
    '| 10,000 trials × 1 objective × 40 params | end to end (s, best of 3) | sampler overhead vs random (s) |',
  );
  say('|---|---|---|');
  say(`| random | ${base.toFixed(2)} | — |`);
  say(`| cmaes | ${cma.toFixed(2)} | ${(cma - base).toFixed(2)} |`);
  say(`| cmaes (separable) | ${sep.toFixed(2)} | ${(sep - base).toFixed(2)} |`);
}

if (parts.has('gp-zdt1')) {
  // Small budgets: ZDT1 with 5 variables, 40 trials, reference point (1.1, 1.1).
  const ref = trueFrontHv(1);
  const makers: Array<[string, (seed: number) => Sampler]> = [
    ['gp', (seed) => new GPSampler({ seed })],
    ['tpe', (seed) => new TPESampler({ seed })],
    ['random', (seed) => new RandomSampler({ seed })],
  ];
  say(`| ZDT1 (5 vars, 40 trials) | sampler | HV / true HV (mean over ${seeds} seeds) | min | s/run |`);
  say('|---|---|---|---|---|');
  for (const [name, make] of makers) {
    const ratios: number[] = [];
    const secs: number[] = [];
    for (let seed = 0; seed < seeds; seed++) {
      const r = await run(make(seed), zdt(1), 5, 2, 40);
      ratios.push(hypervolume(r.front, [1.1, 1.1]) / ref);
      secs.push(r.seconds);
    }
    say(
      `| ZDT1 | ${name} | ${(100 * mean(ratios)).toFixed(2)}% | ${(100 * Math.min(...ratios)).toFixed(2)}% | ${mean(secs).toFixed(2)} |`,
    );
  }
}

console.log(`moo benchmark, node ${process.version}\n${lines.join('\n')}`);
