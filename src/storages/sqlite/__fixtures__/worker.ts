/**
 * A worker process for the multi-process SQLite tests (`sqlite-multiprocess.test.ts`).
 * Run with `node --import tsx worker.ts <mode> <file> <studyName> [count] [seed]`.
 *
 * It loads everything, prints `ready`, waits for a line on stdin (so that all workers start
 * racing at once), then:
 * - `optimize`: runs `study.optimize` for `count` trials (RandomSampler, trivial objective) and
 *   prints `done <n>`;
 * - `announce`: runs trials without end, printing `trial <json>` after each `tell` returned;
 * - `claim`: claims `count` indices of a shared counter with compare-and-set, printing
 *   `claimed <json array>`.
 * @module
 */
import { createInterface } from 'node:readline';
import { setLogLevel } from '../../../core/logging.js';
import { RandomSampler } from '../../../samplers/random/random-sampler.js';
import { createStudy } from '../../../study/create-study.js';
import { SqliteStorage } from '../sqlite-storage.js';

const [mode, file, studyName, countArg, seedArg] = process.argv.slice(2);
if (mode === undefined || file === undefined || studyName === undefined) {
  throw new Error('usage: worker.ts <optimize|announce|claim> <file> <studyName> [count] [seed]');
}
const count = Number(countArg ?? 0);
const seed = Number(seedArg ?? 0);
setLogLevel('error');

function say(line: string): void {
  process.stdout.write(`${line}\n`);
}

async function waitForGo(): Promise<void> {
  const lines = createInterface({ input: process.stdin });
  await new Promise<void>((resolve) => lines.once('line', () => resolve()));
  lines.close();
}

async function main(): Promise<void> {
  say('ready');
  await waitForGo();
  const storage = await SqliteStorage.open(file!);
  const study = await createStudy({
    studyName,
    storage,
    sampler: new RandomSampler({ seed }),
    loadIfExists: true,
  });

  if (mode === 'optimize') {
    let done = 0;
    await study.optimize(
      (trial) => {
        const x = trial.suggestFloat('x', -10, 10);
        const k = trial.suggestCategorical('k', ['a', 'b']);
        return x * x + (k === 'a' ? 0 : 1);
      },
      {
        nTrials: count,
        stopOnError: true,
        callbacks: [
          (_s, t) => {
            if (t.state === 'complete') done++;
          },
        ],
      },
    );
    say(`done ${done}`);
  } else if (mode === 'announce') {
    await study.optimize(
      async (trial) => {
        const x = trial.suggestFloat('x', -10, 10);
        trial.setUserAttr('pid', process.pid);
        await trial.report(x, 0);
        await trial.report(x / 2, 1);
        return x * x;
      },
      {
        stopOnError: true,
        handleSigint: false,
        callbacks: [(_s, t) => say(`trial ${JSON.stringify({ number: t.number, values: t.values })}`)],
      },
    );
  } else if (mode === 'claim') {
    const claimed: number[] = [];
    while (claimed.length < count) {
      const current = (await storage.getStudySystemAttrs(study.studyId)).counter;
      const next = typeof current === 'number' ? current : 0;
      if (await storage.compareAndSetStudySystemAttr(study.studyId, 'counter', current, next + 1)) {
        claimed.push(next);
      }
    }
    say(`claimed ${JSON.stringify(claimed)}`);
  } else {
    throw new Error(`unknown mode ${mode}`);
  }
  await storage.close();
}

main().catch((e: unknown) => {
  process.stderr.write(`worker failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exit(1);
});
