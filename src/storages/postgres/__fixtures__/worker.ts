/**
 * A worker process for the multi-process PostgreSQL tests (`postgres-multiprocess.test.ts`) and
 * the distributed benchmark. Run with
 * `node --import tsx worker.ts <mode> <url> <studyName> [count] [seed] [poolSize]`.
 *
 * It loads everything, prints `ready`, waits for a line on stdin (so that all workers start
 * racing at once), then:
 * - `optimize`: runs `study.optimize` for `count` trials (RandomSampler, trivial objective) and
 *   prints `done <n> <seconds>`;
 * - `claim`: claims `count` indices of a shared counter with compare-and-set, printing
 *   `claimed <json array>`.
 * Warnings (such as the one line per lost connection) go to stderr.
 * @module
 */
import { createInterface } from 'node:readline';
import { setLogLevel } from '../../../core/logging.js';
import { RandomSampler } from '../../../samplers/random/random-sampler.js';
import { createStudy } from '../../../study/create-study.js';
import { PostgresStorage } from '../postgres-storage.js';

const [mode, url, studyName, countArg, seedArg, poolArg] = process.argv.slice(2);
if (mode === undefined || url === undefined || studyName === undefined) {
  throw new Error('usage: worker.ts <optimize|claim> <url> <studyName> [count] [seed] [poolSize]');
}
const count = Number(countArg ?? 0);
const seed = Number(seedArg ?? 0);
setLogLevel('warn');

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
  const storage = await PostgresStorage.open(url!, {
    poolSize: Number(poolArg ?? 2),
    initialBackoffMs: 50,
    maxBackoffMs: 1000,
    retryDeadlineMs: 30_000,
  });
  const study = await createStudy({
    studyName,
    storage,
    sampler: new RandomSampler({ seed }),
    loadIfExists: true,
  });

  if (mode === 'optimize') {
    let done = 0;
    const t0 = performance.now();
    await study.optimize(
      (trial) => {
        const x = trial.suggestFloat('x', -10, 10);
        const k = trial.suggestCategorical('k', ['a', 'b']);
        return x * x + (k === 'a' ? 0 : 1);
      },
      {
        nTrials: count,
        stopOnError: true,
        handleSigint: false,
        callbacks: [
          (_s, t) => {
            if (t.state === 'complete') done++;
          },
        ],
      },
    );
    say(`done ${done} ${((performance.now() - t0) / 1000).toFixed(3)}`);
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
