/**
 * Cost of one pruning decision, `pruner.prune(view, trial)`, with 10,000 finished trials of 20
 * steps each in memory (`npm run bench:pruning-overhead`). Target: ≤ 50 µs per decision.
 *
 * Figures, per pruner (MedianPruner and SuccessiveHalvingPruner, ASHA):
 * - steady: the same snapshot decided again and again;
 * - new view: a new snapshot object (same trials) per decision, as `trial.shouldPrune()` gives;
 * - with a completion: a trial completes before each decision (the memo takes it in);
 * - first decision: a fresh pruner building its memo from the 10,000 trials;
 * - shouldPrune: the whole `trial.shouldPrune()`, including the storage read of the study.
 *
 * Options: --trials N (default 10000), --steps S (default 20), --iterations I (default 20000).
 */
import { parseArgs } from 'node:util';
import type { FrozenTrial } from '../src/core/frozen-trial.js';
import { Rng } from '../src/core/rng.js';
import { MedianPruner, type Pruner, SuccessiveHalvingPruner } from '../src/pruners/index.js';
import type { StudyContext, StudyView } from '../src/samplers/base.js';
import { InMemoryStorage } from '../src/storages/in-memory/index.js';
import { createStudy } from '../src/study/create-study.js';
import { makeView, takeSnapshot } from '../src/study/study-view.js';

const { values: args } = parseArgs({
  options: {
    trials: { type: 'string', default: '10000' },
    steps: { type: 'string', default: '20' },
    iterations: { type: 'string', default: '20000' },
  },
});
const nTrials = Number(args.trials);
const nSteps = Number(args.steps);
const iterations = Number(args.iterations);
const TARGET_US = 50;

const rng = new Rng(1);

/** A learning curve: decreasing loss with noise. */
function curve(quality: number): Map<number, number> {
  const m = new Map<number, number>();
  for (let s = 0; s < nSteps; s++) m.set(s, quality + 1 / (s + 1) + 0.01 * rng.random());
  return m;
}

async function setup(pruner: Pruner) {
  const storage = new InMemoryStorage();
  const study = await createStudy({ storage, pruner });
  for (let i = 0; i < nTrials; i++) {
    const values = curve(rng.random());
    await storage.createTrial(study.studyId, {
      state: 'complete',
      intermediateValues: values,
      values: [values.get(nSteps - 1)!],
    });
  }
  const trial = await study.ask();
  // The running trial is at step 4: rungs 0 (step 1) and 1 (step 4) reached for ASHA (η 4).
  for (let s = 0; s <= 4; s++) await trial.report(0.4 + 1 / (s + 1), s);
  const context: StudyContext = {
    studyId: study.studyId,
    studyName: study.studyName,
    directions: study.directions,
    storage,
  };
  return { storage, study, trial, context };
}

function timeIt(label: string, n: number, fn: (i: number) => void, warmUp = true): number {
  if (warmUp) for (let i = 0; i < Math.min(n, 2000); i++) fn(i);
  const t0 = performance.now();
  for (let i = 0; i < n; i++) fn(i);
  const us = ((performance.now() - t0) * 1000) / n;
  console.log(`  ${label.padEnd(34)} ${us.toFixed(2).padStart(9)} µs/decision`);
  return us;
}

async function bench(name: string, make: () => Pruner): Promise<number> {
  console.log(`${name} — ${nTrials} complete trials × ${nSteps} steps, 1 running trial`);
  const { storage, study, trial, context } = await setup(make());
  const view = await takeSnapshot(context);
  const me = view.trials.find((t) => t.trialId === trial.trialId)!;
  const dists = await storage.getParamDistributions(study.studyId);

  const fresh = make();
  const t0 = performance.now();
  const first = fresh.prune(view, me);
  console.log(
    `  ${'first decision (builds the memo)'.padEnd(34)} ${(performance.now() - t0).toFixed(2).padStart(9)} ms (pruned: ${first})`,
  );

  const pruner = make();
  pruner.prune(view, me);
  let sink = 0; // keeps the decisions observable
  const steady = timeIt('steady (same view)', iterations, () => {
    sink += pruner.prune(view, me) ? 1 : 0;
  });
  const newView = timeIt('new view per decision', iterations, () => {
    const v: StudyView = makeView(context, view.trials, dists);
    sink += pruner.prune(v, me) ? 1 : 0;
  });

  // A trial completes before each decision (views built beforehand).
  const completions = Math.min(500, iterations);
  const extra: FrozenTrial[] = [];
  for (let i = 0; i < completions; i++) {
    const values = curve(rng.random());
    extra.push(
      await storage.createTrial(study.studyId, {
        state: 'complete',
        intermediateValues: values,
        values: [values.get(nSteps - 1)!],
      }),
    );
  }
  const base = view.trials;
  const grown = extra.map((_, i) => makeView(context, [...base, ...extra.slice(0, i + 1)], dists));
  timeIt(
    'with a completion before each',
    completions,
    (i) => {
      sink += pruner.prune(grown[i]!, me) ? 1 : 0;
    },
    false, // each view is new only once
  );

  const nShould = 200;
  await trial.shouldPrune(); // the study's own pruner builds its memo
  let t2 = performance.now();
  for (let i = 0; i < nShould; i++) sink += (await takeSnapshot(context)).trials.length > 0 ? 0 : 1;
  t2 = ((performance.now() - t2) * 1000) / nShould;
  let t1 = performance.now();
  for (let i = 0; i < nShould; i++) sink += (await trial.shouldPrune()) ? 1 : 0;
  t1 = ((performance.now() - t1) * 1000) / nShould;
  console.log(
    `  ${'whole trial.shouldPrune()'.padEnd(34)} ${t1.toFixed(2).padStart(9)} µs, of which ${t2.toFixed(0)} µs read the study (${base.length + completions} trials) from the storage`,
  );
  console.log(`  (${sink} of the timed decisions pruned)`);
  return Math.max(steady, newView);
}

const results: Array<[string, number]> = [];
results.push(['MedianPruner', await bench('MedianPruner', () => new MedianPruner())]);
console.log('');
results.push([
  'SuccessiveHalvingPruner',
  await bench('SuccessiveHalvingPruner (ASHA, minResource auto, η 4)', () => new SuccessiveHalvingPruner()),
]);
console.log('');
for (const [name, us] of results) {
  console.log(
    `${name}: ${us.toFixed(2)} µs per decision at ${nTrials} trials (target ≤ ${TARGET_US} µs): ${us <= TARGET_US ? 'OK' : 'SLOWER THAN TARGET'}`,
  );
}
