/** `tunekit report STUDY --out report.html`: a self-contained HTML report of a study (works offline). */
import type { Command } from 'commander';
import { InvalidArgumentError } from '../../core/errors.js';
import { type ReportOptions, writeReport } from '../../report/index.js';
import { loadStudy } from '../../study/create-study.js';
import { isPlotKind, PLOT_KINDS } from '../../visualization/registry.js';
import type { PlotKind } from '../../visualization/types.js';
import { storageUrl } from '../options.js';

interface ReportFlags {
  out: string;
  maxPoints: string;
  importance: string;
  plots?: string;
}

/** Parses the command's flags into report options. */
function reportOptions(flags: ReportFlags): ReportOptions {
  const maxPoints = Number(flags.maxPoints);
  if (!Number.isInteger(maxPoints) || maxPoints < 10) {
    throw new InvalidArgumentError(`--max-points must be an integer ≥ 10, got '${flags.maxPoints}'.`);
  }
  if (flags.importance !== 'fanova' && flags.importance !== 'ped-anova') {
    throw new InvalidArgumentError(`--importance must be fanova or ped-anova, got '${flags.importance}'.`);
  }
  const options: ReportOptions = { maxPoints, importanceEvaluator: flags.importance };
  if (flags.plots !== undefined) {
    const kinds = flags.plots
      .split(',')
      .map((k) => k.trim())
      .filter((k) => k !== '');
    const bad = kinds.filter((k) => !isPlotKind(k));
    if (bad.length > 0 || kinds.length === 0) {
      throw new InvalidArgumentError(
        `--plots takes a comma-separated list of ${PLOT_KINDS.join(', ')}; got '${flags.plots}'.`,
      );
    }
    options.plots = kinds as PlotKind[];
  }
  return options;
}

export function registerReport(program: Command): void {
  program
    .command('report')
    .description(
      'write a self-contained HTML report of a study: summary, best trials and every plot (works offline)',
    )
    .argument('<study>', 'study name')
    .option('-o, --out <file>', 'the HTML file to write', 'tunekit-report.html')
    .option('--max-points <n>', 'the most points per plot (larger studies are downsampled)', '2000')
    .option('--importance <evaluator>', 'importance algorithm: fanova or ped-anova', 'fanova')
    .option(
      '--plots <kinds>',
      `comma-separated plots to include (default: all that apply): ${PLOT_KINDS.join(', ')}`,
    )
    .action(async (name: string, flags: ReportFlags, command: Command) => {
      const options = reportOptions(flags);
      const study = await loadStudy({ studyName: name, storage: storageUrl(command) });
      let path: string;
      try {
        path = await writeReport(study, flags.out, options);
      } finally {
        await study.storage.close();
      }
      console.log(`report written to ${path}`);
    });
}
