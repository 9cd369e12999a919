/**
 * The plot benchmark: every plot of tunekit/visualization on a synthetic study of 100,000 trials
 * × 10 parameters (20 reports per trial, 30% pruned, 8 workers; 2 and 3 objectives for the
 * Pareto front and the hypervolume history), with `maxPoints` 3000. Prints the CPU time (robust
 * on a shared machine) and the wall time of each of 3 runs, the points sent and the spec's JSON size.
 *
 *   --trials 100000   --params 10   --max-points 3000
 */
import { parseArgs } from 'node:util';
import { PLOT_KINDS, PLOTS, type PlotResult, type PlotSource } from '../src/visualization/index.js';
import { syntheticSource } from '../src/visualization/synthetic-study.js';

const { values: args } = parseArgs({
  options: {
    trials: { type: 'string', default: '100000' },
    params: { type: 'string', default: '10' },
    'max-points': { type: 'string', default: '3000' },
  },
});
const nTrials = Number(args.trials);
const nParams = Number(args.params);
const maxPoints = Number(args['max-points']);

const cpuMs = (): number => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

const so = syntheticSource({ nTrials, nParams, nSteps: 20, prunedFraction: 0.3, nWorkers: 8 });
const mo2 = syntheticSource({ nTrials, nParams, directions: ['minimize', 'maximize'], seed: 2 });
const mo3 = syntheticSource({ nTrials, nParams, directions: ['minimize', 'maximize', 'minimize'], seed: 3 });

const runs: [string, PlotSource, Record<string, unknown>][] = [];
for (const kind of PLOT_KINDS) {
  if (kind === 'pareto-front' || kind === 'hypervolume-history') {
    runs.push([`${kind} (2 objectives)`, mo2, {}], [`${kind} (3 objectives)`, mo3, {}]);
  } else if (kind === 'importance') {
    runs.push(
      [`${kind} (fanova)`, so, { evaluator: 'fanova' }],
      [`${kind} (ped-anova)`, so, { evaluator: 'ped-anova' }],
    );
  } else {
    runs.push([kind, so, {}]);
  }
}
console.log(`${nTrials} trials × ${nParams} parameters, maxPoints ${maxPoints}`);
console.log('plot | CPU ms (3 runs) | wall ms (3 runs) | points | spec JSON');
for (const [name, source, options] of runs) {
  const kind = name.split(' ')[0] as keyof typeof PLOTS;
  const plot = PLOTS[kind] as (s: PlotSource, o: Record<string, unknown>) => PlotResult;
  const cpu: number[] = [];
  const wall: number[] = [];
  let r: PlotResult | undefined;
  for (let rep = 0; rep < 3; rep++) {
    const c0 = cpuMs();
    const w0 = performance.now();
    r = plot(source, { maxPoints, ...options });
    cpu.push(cpuMs() - c0);
    wall.push(performance.now() - w0);
  }
  const kb = JSON.stringify(r!.spec).length / 1024;
  const fmt = (xs: number[]) => xs.map((x) => x.toFixed(0)).join(' / ');
  console.log(`${name} | ${fmt(cpu)} | ${fmt(wall)} | ${r!.meta.nPoints} | ${kb.toFixed(0)} KB`);
}
