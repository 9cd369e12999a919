/** `tunekit export STUDY --format csv|json`: every trial of a study, with everything stored about it. */
import { writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { InvalidArgumentError } from '../../core/errors.js';
import type { FrozenTrial, JsonValue } from '../../core/frozen-trial.js';
import { FAIL_REASON_ATTR } from '../../core/system-attrs.js';
import { loadStudy } from '../../study/create-study.js';
import { storageUrl } from '../options.js';
import { type Row, render } from '../render.js';
import { LOG_PATH_ATTR, METRIC_NAMES_ATTR } from '../runner/run-study.js';

function durationS(t: FrozenTrial): number | null {
  return t.datetimeStart && t.datetimeComplete
    ? (t.datetimeComplete.getTime() - t.datetimeStart.getTime()) / 1000
    : null;
}

/** A trial as a JSON object. */
export function trialJson(t: FrozenTrial): Record<string, unknown> {
  return {
    number: t.number,
    state: t.state,
    values: t.values,
    params: t.params,
    distributions: t.distributions,
    intermediateValues: Object.fromEntries([...t.intermediateValues].sort((a, b) => a[0] - b[0])),
    userAttrs: t.userAttrs,
    systemAttrs: t.systemAttrs,
    datetimeStart: t.datetimeStart?.toISOString() ?? null,
    datetimeComplete: t.datetimeComplete?.toISOString() ?? null,
    durationS: durationS(t),
  };
}

function cell(v: JsonValue | undefined): Row[string] {
  if (v === undefined) return null;
  if (v === null || typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return v;
  return JSON.stringify(v);
}

/** A trial as a flat CSV row. */
export function trialCsvRow(t: FrozenTrial, metricNames: readonly string[] | null, nObjectives: number): Row {
  const row: Row = { number: t.number, state: t.state };
  for (let i = 0; i < nObjectives; i++) {
    const name = metricNames?.[i] ?? (nObjectives === 1 ? 'value' : `values.${i}`);
    row[metricNames ? `values.${name}` : name] = t.values?.[i] ?? null;
  }
  for (const [k, v] of Object.entries(t.params)) row[`params.${k}`] = v;
  for (const [k, v] of Object.entries(t.userAttrs)) row[`user_attrs.${k}`] = cell(v);
  row.datetime_start = t.datetimeStart?.toISOString() ?? null;
  row.datetime_complete = t.datetimeComplete?.toISOString() ?? null;
  row.duration_s = durationS(t);
  row.fail_reason = cell(t.systemAttrs[FAIL_REASON_ATTR]);
  row.log_path = cell(t.systemAttrs[LOG_PATH_ATTR]);
  row.intermediate_values =
    t.intermediateValues.size === 0
      ? null
      : JSON.stringify(Object.fromEntries([...t.intermediateValues].sort((a, b) => a[0] - b[0])));
  return row;
}

export function registerExport(program: Command): void {
  program
    .command('export')
    .description('export every trial of a study (params, values, intermediate values, attributes)')
    .argument('<study>', 'study name')
    .option('--format <format>', 'csv or json', 'json')
    .option('-o, --output <file>', 'write to a file instead of stdout')
    .action(async (name: string, opts: { format: string; output?: string }, command: Command) => {
      if (opts.format !== 'csv' && opts.format !== 'json') {
        throw new InvalidArgumentError(`--format must be csv or json, got '${opts.format}'.`);
      }
      const study = await loadStudy({ studyName: name, storage: storageUrl(command) });
      let text: string;
      try {
        const trials = await study.getTrials();
        const systemAttrs = await study.systemAttrs();
        const names = systemAttrs[METRIC_NAMES_ATTR];
        const metricNames =
          Array.isArray(names) && names.length === study.directions.length ? names.map(String) : null;
        if (opts.format === 'json') {
          text = JSON.stringify(
            {
              study: study.studyName,
              directions: study.directions,
              metricNames,
              userAttrs: await study.userAttrs(),
              systemAttrs,
              trials: trials.map(trialJson),
            },
            null,
            2,
          );
        } else {
          text = render(
            trials.map((t) => trialCsvRow(t, metricNames, study.directions.length)),
            'csv',
          );
        }
      } finally {
        await study.storage.close();
      }
      if (opts.output !== undefined) writeFileSync(opts.output, `${text}\n`);
      else process.stdout.write(`${text}\n`);
    });
}
