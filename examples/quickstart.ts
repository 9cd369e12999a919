/**
 * Quickstart: a small study persisted to SQLite. Run it twice: the second run continues the
 * same study (loadIfExists) and the trial count grows.
 *
 *   npm run quickstart
 */
import { createStudy, RandomSampler } from 'tunekit';

const storage = process.env.TUNEKIT_STORAGE ?? 'sqlite:///runs/tunekit.db';

const study = await createStudy({
  studyName: 'quickstart',
  storage,
  direction: 'minimize',
  sampler: new RandomSampler({ seed: 1 }),
  loadIfExists: true,
});

await study.optimize(
  (trial) => {
    const optimizer = trial.suggestCategorical('optimizer', ['sgd', 'adam']);
    const lr = trial.suggestFloat('lr', 1e-5, 1e-1, { log: true });
    const momentum = optimizer === 'sgd' ? trial.suggestFloat('momentum', 0, 0.99) : 0;
    const layers = trial.suggestInt('layers', 1, 4);
    const units = trial.suggestInt('units', 16, 256, { step: 16 });
    trial.setUserAttr('note', `${layers}x${units}`);
    // A stand-in for a validation loss: best near lr = 1e-3, 2 layers of 128 units.
    const penalty = optimizer === 'sgd' ? 0.1 + 0.2 * (momentum - 0.9) ** 2 : 0;
    return (
      penalty + 0.1 * (Math.log10(lr) + 3) ** 2 + 0.05 * (layers - 2) ** 2 + 0.1 * (Math.log2(units) - 7) ** 2
    );
  },
  { nTrials: 40 },
);

const best = await study.bestTrial();
const total = (await study.getTrials()).length;
console.log(`study '${study.studyName}' in ${storage}: ${total} trials`);
console.log(`best trial #${best.number}: value ${best.values![0]!.toFixed(5)}`);
console.log('best params:', JSON.stringify(best.params));
