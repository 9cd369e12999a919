/**
 * `tunekit ask` and `tunekit tell`: an ask-and-tell loop driven from a shell.
 *
 * ```sh
 * eval "$(tunekit ask demo --float x=-10:10 --format env)"
 * tunekit tell demo "$TUNEKIT_TRIAL_NUMBER" "$(python f.py --x "$TUNEKIT_PARAM_X")"
 * ```
 * @module
 */
import type { Command } from 'commander';
import type { ParamValue } from '../../core/distributions.js';
import { InvalidArgumentError, StudyNotFoundError } from '../../core/errors.js';
import type { StudyDirection } from '../../core/frozen-trial.js';
import { FAIL_REASON_ATTR } from '../../core/system-attrs.js';
import { spaceFromJson } from '../../space/from-json.js';
import { createStudy, loadStudy } from '../../study/create-study.js';
import type { Study } from '../../study/study.js';
import { storageUrl } from '../options.js';
import { formatNumber } from '../progress.js';
import { createSampler, SamplerObjectSchema, type SamplerSpec } from '../registry.js';
import { formatValue, paramEnvName, shellQuote } from '../runner/command.js';
import { suggestAll } from '../space.js';
import {
  loadStudyFile,
  type ParamSpec,
  parseSearchSpace,
  type SearchSpaceSpec,
  StudyFileError,
} from '../study-file.js';

/** The search-space flags in the order they were given (commander parses them in order). */
const spaceFlags: Array<['--float' | '--int' | '--categorical', string]> = [];

function collector(flag: '--float' | '--int' | '--categorical') {
  return (value: string, previous: string[]): string[] => {
    spaceFlags.push([flag, value]);
    return [...previous, value];
  };
}

function parseNumber(text: string, flag: string, what: string): number {
  const n = Number(text);
  if (text.trim() === '' || Number.isNaN(n)) {
    throw new InvalidArgumentError(`${flag} ${what}: '${text}' is not a number.`);
  }
  return n;
}

/** `lr=1e-5:0.1:log` or `units=16:256:step=16` → a float or int parameter. */
export function parseRangeFlag(flag: '--float' | '--int', text: string): [string, ParamSpec] {
  const eq = text.indexOf('=');
  if (eq <= 0) throw new InvalidArgumentError(`${flag} takes name=low:high[:log|:step=S], got '${text}'.`);
  const name = text.slice(0, eq);
  const parts = text.slice(eq + 1).split(':');
  if (parts.length < 2)
    throw new InvalidArgumentError(`${flag} ${name}: give low:high, got '${text.slice(eq + 1)}'.`);
  const low = parseNumber(parts[0]!, flag, name);
  const high = parseNumber(parts[1]!, flag, name);
  let log: boolean | undefined;
  let step: number | undefined;
  for (const extra of parts.slice(2)) {
    if (extra === 'log') log = true;
    else if (extra.startsWith('step=')) step = parseNumber(extra.slice(5), flag, name);
    else throw new InvalidArgumentError(`${flag} ${name}: unknown option '${extra}'; use log or step=S.`);
  }
  const type = flag === '--float' ? 'float' : 'int';
  const spec = {
    type,
    low,
    high,
    ...(log === undefined ? {} : { log }),
    ...(step === undefined ? {} : { step }),
  };
  return [name, spec as ParamSpec];
}

/** `optimizer=sgd,adam` → a categorical parameter (numbers, booleans and null as JSON). */
export function parseCategoricalFlag(text: string): [string, ParamSpec] {
  const eq = text.indexOf('=');
  if (eq <= 0) throw new InvalidArgumentError(`--categorical takes name=a,b,c, got '${text}'.`);
  const choices = text
    .slice(eq + 1)
    .split(',')
    .map((c): ParamValue => {
      try {
        const v = JSON.parse(c) as unknown;
        if (v === null || typeof v === 'number' || typeof v === 'boolean') return v;
      } catch {}
      return c;
    });
  return [text.slice(0, eq), { type: 'categorical', choices }];
}

interface AskFlags {
  studyFile?: string;
  space?: string;
  direction?: string;
  directions?: string;
  sampler?: string;
  samplerOptions?: string;
  format: string;
}

function parseDirections(flags: AskFlags): StudyDirection[] | undefined {
  const raw = flags.directions?.split(',') ?? (flags.direction === undefined ? undefined : [flags.direction]);
  if (raw === undefined) return undefined;
  for (const d of raw) {
    if (d !== 'minimize' && d !== 'maximize') {
      throw new InvalidArgumentError(`a direction is minimize or maximize, got '${d}'.`);
    }
  }
  return raw as StudyDirection[];
}

function samplerFromFlags(flags: AskFlags): SamplerSpec | undefined {
  if (flags.sampler === undefined) {
    if (flags.samplerOptions !== undefined)
      throw new InvalidArgumentError('--sampler-options needs --sampler.');
    return undefined;
  }
  let options: unknown = {};
  if (flags.samplerOptions !== undefined) {
    try {
      options = JSON.parse(flags.samplerOptions);
    } catch (e) {
      throw new InvalidArgumentError(`--sampler-options is not JSON: ${(e as Error).message}`);
    }
  }
  const parsed = SamplerObjectSchema.safeParse({ ...(options as object), name: flags.sampler });
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new InvalidArgumentError(
      `--sampler ${flags.sampler}: ${issue.path.join('.') || 'name'}: ${issue.message}. Samplers: random, grid, qmc, tpe.`,
    );
  }
  return parsed.data;
}

async function openStudy(
  name: string,
  storage: string,
  directions: StudyDirection[] | undefined,
  sampler: SamplerSpec | undefined,
): Promise<Study> {
  const s = sampler === undefined ? undefined : createSampler(sampler);
  try {
    const study = await loadStudy({ studyName: name, storage, sampler: s });
    if (directions !== undefined && directions.join() !== study.directions.join()) {
      await study.storage.close();
      throw new InvalidArgumentError(
        `study '${name}' exists with directions [${study.directions.join(', ')}], not [${directions.join(', ')}].`,
      );
    }
    return study;
  } catch (e) {
    if (!(e instanceof StudyNotFoundError)) throw e;
    return createStudy({ studyName: name, storage, directions: directions ?? ['minimize'], sampler: s });
  }
}

export function registerAsk(program: Command): void {
  program
    .command('ask')
    .description('start a trial and print its number and parameters (creates the study if needed)')
    .argument('[study]', 'study name (default: the one in --study-file)')
    .option(
      '--study-file <file>',
      'take the study, storage, directions, search space and sampler from a study file',
    )
    .option('--space <json>', 'search space as JSON: {"x": {"type": "float", "low": -10, "high": 10}}')
    .option(
      '--float <name=low:high[:log|:step=S]>',
      'a float parameter (repeatable)',
      collector('--float'),
      [],
    )
    .option(
      '--int <name=low:high[:log|:step=S]>',
      'an integer parameter (repeatable)',
      collector('--int'),
      [],
    )
    .option(
      '--categorical <name=a,b,c>',
      'a categorical parameter (repeatable)',
      collector('--categorical'),
      [],
    )
    .option('--direction <direction>', 'minimize or maximize, when the study is created')
    .option('--directions <list>', 'several objectives, such as minimize,maximize')
    .option('--sampler <name>', 'random, grid, qmc or tpe')
    .option('--sampler-options <json>', 'options of the sampler, such as {"seed": 1}')
    .option('--format <format>', 'json ({"number", "params"}) or env (lines for eval)', 'json')
    .addHelpText(
      'after',
      `
Example, a whole loop in sh:
  for i in 1 2 3 4 5; do
    eval "$(tunekit ask demo --float x=-10:10 --categorical kind=a,b --format env)"
    tunekit tell demo "$TUNEKIT_TRIAL_NUMBER" "$(python objective.py "$TUNEKIT_PARAM_X" "$TUNEKIT_PARAM_KIND")"
  done
Use the same search space on every ask: a parameter keeps its distribution within a study.`,
    )
    .action(async (studyArg: string | undefined, flags: AskFlags, command: Command) => {
      if (flags.format !== 'json' && flags.format !== 'env') {
        throw new InvalidArgumentError(`--format must be json or env, got '${flags.format}'.`);
      }
      let space: SearchSpaceSpec = {};
      let name = studyArg;
      let storage = (command.optsWithGlobals() as { storage?: string }).storage;
      let directions = parseDirections(flags);
      let sampler = samplerFromFlags(flags);
      try {
        if (flags.studyFile !== undefined) {
          const spec = loadStudyFile(flags.studyFile);
          space = { ...spec.params };
          name ??= spec.study;
          storage ??= spec.storage;
          directions ??= [...spec.directions];
          sampler ??= spec.sampler;
        }
        if (flags.space !== undefined) Object.assign(space, parseSearchSpace(flags.space, '--space'));
      } catch (e) {
        if (e instanceof StudyFileError) throw new InvalidArgumentError(e.message);
        throw e;
      }
      for (const [flag, text] of spaceFlags) {
        const [k, v] = flag === '--categorical' ? parseCategoricalFlag(text) : parseRangeFlag(flag, text);
        space[k] = v;
      }
      try {
        space = parseSearchSpace(JSON.stringify(space), 'the search space');
      } catch (e) {
        if (e instanceof StudyFileError) throw new InvalidArgumentError(e.message);
        throw e;
      }
      if (name === undefined) throw new InvalidArgumentError('ask needs a study name (or --study-file).');
      const study = await openStudy(name, storage ?? storageUrl(command), directions, sampler);
      try {
        // As tunekit run: a grid sampler enumerates the declared space (no discovery trial to wait for).
        study.sampler.declareSpace?.(spaceFromJson(space));
        const trial = await study.ask();
        let values: Record<string, ParamValue>;
        try {
          values = { ...suggestAll(trial, space).values };
          await trial.flush();
        } catch (e) {
          trial.setSystemAttr(FAIL_REASON_ATTR, `ask failed: ${(e as Error).message}`);
          await study.tell(trial, { state: 'fail' });
          throw e;
        }
        if (flags.format === 'json') console.log(JSON.stringify({ number: trial.number, params: values }));
        else {
          const lines = [`TUNEKIT_STUDY=${shellQuote(name)}`, `TUNEKIT_TRIAL_NUMBER=${trial.number}`];
          for (const [k, v] of Object.entries(values))
            lines.push(`${paramEnvName(k)}=${shellQuote(formatValue(v))}`);
          console.log(lines.join('\n'));
        }
      } finally {
        await study.storage.close();
      }
    });
}

export function registerTell(program: Command): void {
  program
    .command('tell')
    .description('finish a trial started by ask: its value(s), or --state pruned|fail')
    .argument('<study>', 'study name')
    .argument('<number>', 'trial number (printed by ask)')
    .argument('[values...]', 'objective value(s), one per direction')
    .option('--state <state>', 'complete (the default with values), pruned or fail')
    .option('--reason <text>', 'why the trial failed (stored as tunekit:fail_reason)')
    .option('--json', 'print the trial as JSON')
    .action(
      async (
        name: string,
        numberText: string,
        valueTexts: string[],
        opts: { state?: string; reason?: string; json?: boolean },
        command: Command,
      ) => {
        const number = Number(numberText);
        if (!Number.isInteger(number) || number < 0) {
          throw new InvalidArgumentError(`the trial number must be an integer ≥ 0, got '${numberText}'.`);
        }
        const state = opts.state ?? (valueTexts.length > 0 ? 'complete' : undefined);
        if (state === undefined) {
          throw new InvalidArgumentError('tell needs the value(s), or --state pruned|fail.');
        }
        if (state !== 'complete' && state !== 'pruned' && state !== 'fail') {
          throw new InvalidArgumentError(`--state must be complete, pruned or fail, got '${state}'.`);
        }
        if (state !== 'complete' && valueTexts.length > 0) {
          throw new InvalidArgumentError(`a ${state} trial takes no values; drop them or the --state.`);
        }
        const values = valueTexts.map((v) => {
          const n = Number(v);
          if (v.trim() === '' || (Number.isNaN(n) && v.trim().toLowerCase() !== 'nan')) {
            throw new InvalidArgumentError(`'${v}' is not a number.`);
          }
          return n;
        });
        const study = await loadStudy({ studyName: name, storage: storageUrl(command) });
        try {
          const frozen0 = (await study.getTrials()).find((t) => t.number === number);
          if (
            frozen0 !== undefined &&
            (opts.reason !== undefined || state === 'fail') &&
            frozen0.state === 'running'
          ) {
            await study.storage.setTrialSystemAttr(
              frozen0.trialId,
              FAIL_REASON_ATTR,
              opts.reason ?? 'told fail from the command line',
            );
          }
          const frozen = await study.tell(number, state === 'complete' ? { state, values } : { state });
          if (opts.json) {
            console.log(
              JSON.stringify({ number: frozen.number, state: frozen.state, values: frozen.values }),
            );
          } else {
            const why = frozen.systemAttrs[FAIL_REASON_ATTR];
            const detail =
              frozen.state === 'complete'
                ? ` (${frozen.values!.map(formatNumber).join(', ')})`
                : frozen.state === 'fail' && typeof why === 'string'
                  ? `: ${why}`
                  : '';
            console.log(`trial ${frozen.number} of '${name}': ${frozen.state}${detail}`);
          }
        } finally {
          await study.storage.close();
        }
      },
    );
}
