/**
 * `tunekit bench`: the quality benchmark (the same as `npm run bench:quality`; see
 * src/testing/quality-bench.ts). Runs samplers on the shared benchmark problems in memory and
 * prints the table of regrets beside Optuna's anchors; progress lines go to stderr.
 */
import { writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { setLogLevel } from '../../core/logging.js';
import { BENCH_PROBLEMS } from '../../testing/problems.js';
import {
  DEFAULT_ANCHORS,
  loadAnchors,
  QUALITY_SAMPLERS,
  qualityJson,
  runQualityBench,
} from '../../testing/quality-bench.js';

interface BenchOptions {
  problems: string;
  samplers: string;
  trials: string;
  seeds: string;
  concurrency: string;
  out?: string;
  anchors: string;
}

const list = (s: string): string[] =>
  s
    .split(',')
    .map((x) => x.trim())
    .filter((x) => x !== '');

export function registerBench(program: Command): void {
  program
    .command('bench')
    .description('run the quality benchmark: samplers on the shared problems, regrets beside Optuna')
    .option(
      '--problems <list>',
      `problems, comma-separated (${Object.keys(BENCH_PROBLEMS).join(', ')})`,
      Object.keys(BENCH_PROBLEMS).join(','),
    )
    .option(
      '--samplers <list>',
      `samplers, comma-separated (${Object.keys(QUALITY_SAMPLERS).join(', ')})`,
      'tpe',
    )
    .option('--trials <n>', 'trials per run', '100')
    .option('--seeds <n>', 'runs (seeds) per problem and sampler', '10')
    .option('--concurrency <n>', 'trials at once (async objective when > 1)', '1')
    .option('--out <file>', 'write the results as JSON (the shape of the anchors file)')
    .option('--anchors <file>', "Optuna's figures, used when the file exists", DEFAULT_ANCHORS)
    .action(async (opts: BenchOptions) => {
      setLogLevel('error');
      const result = await runQualityBench({
        problems: list(opts.problems),
        samplers: list(opts.samplers),
        trials: Number(opts.trials),
        seeds: Number(opts.seeds),
        concurrency: Number(opts.concurrency),
        anchors: loadAnchors(opts.anchors),
        onLine: (line) => console.error(line),
      });
      console.log(result.title);
      console.log(result.table.join('\n'));
      if (opts.out !== undefined) writeFileSync(opts.out, qualityJson(result));
    });
}
