/**
 * TPE's speed (`npm run bench:overhead` runs it after the core overhead figures):
 * - median time of one suggestion (ask + 10 float suggests + tell) in a study that already holds
 *   1,000 and 10,000 complete trials of 10 float parameters (targets ≤ 1 ms and ≤ 10 ms);
 * - 40 float parameters × 1,000 trials end to end in memory (target ≤ 2 s).
 * Optuna 5's TPE took about 12 s for 10 parameters × 1000 trials on this kind of machine.
 * The suggestion times follow a warm-up run (on a study of its own), so they are steady-state.
 */
import { createStudy, floatDistribution, setLogLevel } from '../src/index.js';
import { TPESampler } from '../src/samplers/tpe/index.js';

setLogLevel('error');
const dist = floatDistribution(0, 1);

async function medianSuggestMs(nTrials: number, d: number): Promise<number> {
  const study = await createStudy({ sampler: new TPESampler({ seed: 1 }) });
  for (let i = 0; i < nTrials; i++) {
    const params: Record<string, number> = {};
    const distributions: Record<string, typeof dist> = {};
    let v = 0;
    for (let j = 0; j < d; j++) {
      const x = ((i * 7919 + j * 104729) % 1000) / 1000;
      params[`x${j}`] = x;
      distributions[`x${j}`] = dist;
      v += (x - 0.3) ** 2;
    }
    await study.storage.createTrial(study.studyId, { state: 'complete', params, distributions, values: [v] });
  }
  const times: number[] = [];
  for (let k = 0; k < 41; k++) {
    const t0 = performance.now();
    const t = await study.ask();
    let v = 0;
    for (let j = 0; j < d; j++) v += (t.suggestFloat(`x${j}`, 0, 1) - 0.3) ** 2;
    await study.tell(t, v);
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return times[20]!;
}

// Warm-up (the JIT), on a study of its own: the figures are steady-state suggestion times.
await medianSuggestMs(300, 10);
const at1k = await medianSuggestMs(1000, 10);
const at10k = await medianSuggestMs(10_000, 10);
const study = await createStudy({ sampler: new TPESampler({ seed: 1 }) });
const t0 = performance.now();
await study.optimize(
  (t) => {
    let s = 0;
    for (let j = 0; j < 40; j++) s += t.suggestFloat(`x${j}`, 0, 1) ** 2;
    return s;
  },
  { nTrials: 1000 },
);
const e2e = (performance.now() - t0) / 1000;
console.log('| TPE case | tunekit | target |');
console.log('|---|---|---|');
console.log(`| median suggestion at 1,000 trials, 10 params (ms) | ${at1k.toFixed(2)} | ≤ 1 |`);
console.log(`| median suggestion at 10,000 trials, 10 params (ms) | ${at10k.toFixed(2)} | ≤ 10 |`);
console.log(`| 40 params × 1,000 trials end to end (s) | ${e2e.toFixed(2)} | ≤ 2 |`);
