// Child process for study-sigint.test.ts: a slow study that the parent interrupts with SIGINT.
import { createStudy } from '../create-study.js';

const storage = process.argv[2]!;
const study = await createStudy({ studyName: 'sigint', storage, loadIfExists: true });
await study.optimize(
  async (trial) => {
    const x = trial.suggestFloat('x', 0, 1);
    await new Promise((r) => setTimeout(r, 40));
    return x;
  },
  {
    concurrency: 2,
    callbacks: [(_, t) => void process.stdout.write(`done ${t.number}\n`)],
  },
);
