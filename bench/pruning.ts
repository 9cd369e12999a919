/**
 * The learning-curve pruning benchmark (`npm run bench:pruning`, issue 5): replays the table of
 * real TF.js learning curves (bench/data/learning-curves.json.gz, made by
 * scripts/build-learning-curves.ts) and compares, over several seeds, full-budget search (no
 * pruning, every trial trains all epochs) with ASHA (SuccessiveHalvingPruner) and Hyperband,
 * all with the same sampler. Epochs are the cost. Pruned methods run until they have spent
 * `--fraction` of the full-budget search's epochs. Prints the mean best validation accuracy
 * (of complete trials), the epochs spent as a fraction of the full budget, and the anytime curve
 * (mean best accuracy against epochs spent) per method.
 *
 * Four more rows compare plain TPE and GP with their budget-aware modes (`budgetAware: true`,
 * BOHB-style), all under Hyperband at the same epochs.
 *
 *   --seeds 20   --trials 40 (full-budget trials)   --fraction 0.35   --sampler auto|tpe|random
 *   --table path
 */
import { parseArgs } from 'node:util';
import {
  AutoSampler,
  createStudy,
  GPSampler,
  HyperbandPruner,
  NopPruner,
  type Pruner,
  RandomSampler,
  type Sampler,
  SuccessiveHalvingPruner,
  setLogLevel,
  TPESampler,
} from '../src/index.js';
import { DEFAULT_CURVES_PATH, loadCurveTable, replayObjective } from '../src/testing/learning-curves.js';

const { values: args } = parseArgs({
  options: {
    seeds: { type: 'string', default: '20' },
    trials: { type: 'string', default: '40' },
    fraction: { type: 'string', default: '0.35' },
    sampler: { type: 'string', default: 'auto' },
    table: { type: 'string', default: DEFAULT_CURVES_PATH },
  },
});
setLogLevel('error');
const table = loadCurveTable(args.table);
const seeds = Number(args.seeds);
const fullTrials = Number(args.trials);
const fraction = Number(args.fraction);
const E = table.epochs;
const fullBudget = fullTrials * E;
const oracle = Math.max(...table.configs.map((c) => c.valAcc[E - 1]!));

const makeSampler = (seed: number): Sampler =>
  args.sampler === 'tpe'
    ? new TPESampler({ seed })
    : args.sampler === 'random'
      ? new RandomSampler({ seed })
      : new AutoSampler({ seed });

interface Method {
  name: string;
  pruner: () => Pruner;
  budget: number;
  /** The method's own sampler; default: --sampler's. */
  sampler?: (seed: number) => Sampler;
}
const hyperband = () => new HyperbandPruner({ minResource: 1, maxResource: E, reductionFactor: 3 });
const methods: Method[] = [
  { name: 'full budget', pruner: () => new NopPruner(), budget: fullBudget },
  {
    name: 'ASHA',
    pruner: () => new SuccessiveHalvingPruner({ minResource: 1, reductionFactor: 3 }),
    budget: fraction * fullBudget,
  },
  { name: 'Hyperband', pruner: hyperband, budget: fraction * fullBudget },
  // Budget-aware sampling against plain TPE, both under Hyperband at the same epochs.
  {
    name: 'HB+TPE',
    pruner: hyperband,
    budget: fraction * fullBudget,
    sampler: (seed) => new TPESampler({ seed }),
  },
  {
    name: 'HB+BA-TPE',
    pruner: hyperband,
    budget: fraction * fullBudget,
    sampler: (seed) => new TPESampler({ seed, budgetAware: true }),
  },
  {
    name: 'HB+GP',
    pruner: hyperband,
    budget: fraction * fullBudget,
    sampler: (seed) => new GPSampler({ seed }),
  },
  {
    name: 'HB+BA-GP',
    pruner: hyperband,
    budget: fraction * fullBudget,
    sampler: (seed) => new GPSampler({ seed, budgetAware: true }),
  },
];

/** Anytime-curve checkpoints, as fractions of the full budget. */
const checkpoints = [0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.5, 0.75, 1];

interface Run {
  best: number;
  epochs: number;
  trials: number;
  pruned: number;
  /** Best complete accuracy after each checkpoint's epochs (NaN before the first complete trial). */
  anytime: number[];
}

async function runOne(method: Method, seed: number): Promise<Run> {
  const counter = { epochs: 0, budget: method.budget };
  const study = await createStudy({
    direction: 'maximize',
    sampler: (method.sampler ?? makeSampler)(seed),
    pruner: method.pruner(),
  });
  const trace: [number, number][] = []; // (epochs spent when the trial ended, best so far)
  let best = Number.NaN;
  let pruned = 0;
  let trials = 0;
  await study.optimize(replayObjective(table, counter), {
    nTrials: 100_000,
    concurrency: 1,
    callbacks: [
      (s, t) => {
        trials++;
        if (t.state === 'pruned') pruned++;
        if (t.state === 'complete') {
          const v = t.values![0]!;
          if (!(v <= best)) best = v;
        }
        trace.push([counter.epochs, best]);
        if (counter.epochs >= method.budget) s.stop();
      },
    ],
  });
  const anytime = checkpoints.map((c) => {
    let b = Number.NaN;
    for (const [e, v] of trace) if (e <= c * fullBudget + 1e-9) b = v;
    return b;
  });
  return { best, epochs: counter.epochs, trials, pruned, anytime };
}

const mean = (xs: number[]) => {
  const ok = xs.filter((x) => Number.isFinite(x));
  return ok.length === 0 ? Number.NaN : ok.reduce((a, b) => a + b, 0) / ok.length;
};
const pct = (x: number) => (Number.isFinite(x) ? `${(100 * x).toFixed(2)}` : '   -  ');

console.log(
  `learning-curve pruning benchmark: ${table.configs.length} tabulated configurations × ${E} epochs (${table.dataset}); best final val acc in the table ${pct(oracle)}%`,
);
console.log(
  `sampler ${args.sampler}, ${seeds} seeds; full budget = ${fullTrials} trials × ${E} epochs = ${fullBudget} epochs; pruned methods stop at ${Math.round(100 * fraction)}% of it`,
);
const results = new Map<string, Run[]>();
const started = Date.now();
for (const m of methods) {
  const runs: Run[] = [];
  for (let seed = 0; seed < seeds; seed++) runs.push(await runOne(m, seed));
  results.set(m.name, runs);
  console.error(`${m.name}: ${seeds} seeds done (${((Date.now() - started) / 1000).toFixed(1)}s)`);
}

const full = results.get('full budget')!;
const fullBest = mean(full.map((r) => r.best));
const fullEpochs = mean(full.map((r) => r.epochs));
console.log('');
console.log('method        mean best val acc %   Δ vs full (points)   epochs / full   trials   pruned');
for (const m of methods) {
  const runs = results.get(m.name)!;
  const b = mean(runs.map((r) => r.best));
  const e = mean(runs.map((r) => r.epochs));
  console.log(
    `${m.name.padEnd(12)}  ${pct(b).padStart(18)}   ${(100 * (b - fullBest)).toFixed(2).padStart(18)}   ${(e / fullEpochs).toFixed(3).padStart(13)}   ${mean(
      runs.map((r) => r.trials),
    )
      .toFixed(1)
      .padStart(6)}   ${mean(runs.map((r) => r.pruned))
      .toFixed(1)
      .padStart(6)}`,
  );
}
console.log('');
console.log(
  "anytime curve: mean best val acc % (complete trials) after a fraction of the full budget (- : past the method's budget)",
);
console.log(`epochs        ${checkpoints.map((c) => `${Math.round(100 * c)}%`.padStart(7)).join('')}`);
for (const m of methods) {
  const runs = results.get(m.name)!;
  const row = checkpoints.map((c, i) =>
    c * fullBudget > m.budget + 1e-9 ? '      -' : pct(mean(runs.map((r) => r.anytime[i]!))).padStart(7),
  );
  console.log(`${m.name.padEnd(12)}  ${row.join('')}`);
}
console.log('');
for (const m of methods.slice(1, 3)) {
  const runs = results.get(m.name)!;
  const gap = 100 * (fullBest - mean(runs.map((r) => r.best)));
  const frac = mean(runs.map((r) => r.epochs)) / fullEpochs;
  const ok = gap <= 0.3 && frac <= 0.35 + 1e-9;
  console.log(
    `target ${m.name}: within 0.3 points of full budget (gap ${gap.toFixed(2)}) at ≤ 35% of its epochs (${(100 * frac).toFixed(1)}%): ${ok ? 'met' : 'NOT met'}`,
  );
}
{
  const plain = mean(results.get('HB+TPE')!.map((r) => r.best));
  const aware = mean(results.get('HB+BA-TPE')!.map((r) => r.best));
  const ePlain = mean(results.get('HB+TPE')!.map((r) => r.epochs));
  const eAware = mean(results.get('HB+BA-TPE')!.map((r) => r.epochs));
  console.log(
    `target budget-aware TPE beats TPE under Hyperband at equal epochs (${Math.round(eAware)} vs ${Math.round(ePlain)}): ${pct(aware)}% vs ${pct(plain)}% (${(100 * (aware - plain)).toFixed(2)} points): ${aware > plain ? 'met' : 'NOT met'}`,
  );
  const gp = mean(results.get('HB+GP')!.map((r) => r.best));
  const gpAware = mean(results.get('HB+BA-GP')!.map((r) => r.best));
  console.log(
    `target budget-aware GP beats GP under Hyperband at equal epochs: ${pct(gpAware)}% vs ${pct(gp)}% (${(100 * (gpAware - gp)).toFixed(2)} points): ${gpAware > gp ? 'met' : 'NOT met'}`,
  );
}
