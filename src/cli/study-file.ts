/**
 * The study file of `tunekit run`: a YAML or JSON file that declares a study, its search space
 * and the command that evaluates one trial. Validated with zod; every problem is reported with
 * its path in the file, its line and column, and a hint, before anything runs.
 *
 * ```yaml
 * study: digits-mlp
 * direction: maximize
 * metrics: [val_accuracy]
 * command: python train.py --optimizer {optimizer} --lr {lr} --momentum={momentum}
 * params:
 *   optimizer: { type: categorical, choices: [sgd, adam] }
 *   lr:        { type: float, low: 1.0e-4, high: 0.1, log: true }
 *   momentum:  { type: float, low: 0, high: 0.99, when: { optimizer: sgd } }
 *   layers:    { type: int, low: 1, high: 3 }
 * sampler: { name: tpe, seed: 1 }
 * pruner: { name: median, nWarmupSteps: 2 }
 * trials: 30
 * concurrency: 2
 * ```
 *
 * Relative paths in the file (`cwd`, `logDir`, `resultFile`, a `sqlite:///` storage) are
 * relative to the file's folder; relative paths given as flags are relative to the current
 * folder. The JSON Schema `schemas/study-file.schema.json` is generated from {@link StudyFileSchema}.
 * @module
 */
import { readFileSync } from 'node:fs';
import { basename, dirname, extname, isAbsolute, resolve } from 'node:path';
import { isMap, isScalar, isSeq, LineCounter, type Node, parseDocument } from 'yaml';
import { z } from 'zod';
import {
  type CategoricalChoice,
  categoricalDistribution,
  contains,
  type Distribution,
  floatDistribution,
  intDistribution,
  type ParamValue,
  toInternal,
} from '../core/distributions.js';
import type { StudyDirection } from '../core/frozen-trial.js';
import {
  ChoiceSchema,
  createPruner,
  createSampler,
  type PrunerSpec,
  PrunerSpecSchema,
  prunerNeedsDirection,
  type SamplerSpec,
  SamplerSpecSchema,
} from './registry.js';
import {
  BUILTIN_PLACEHOLDERS,
  paramEnvName,
  placeholders,
  splitCommand,
  TemplateError,
} from './runner/command.js';

// ---------------------------------------------------------------------------------------------
// The schema

const when = z
  .record(z.string(), z.union([ChoiceSchema, z.array(ChoiceSchema).min(1)]))
  .describe(
    'Sample this parameter only when each named (earlier) parameter has the given value, or one of the given values.',
  );

function distributionHint(message: string, fallback: string): { message: string; hint: string } {
  const text = message.replace(/^(parameter '[^']*'|the distribution): /, '');
  const m = /^(.*?\.)\s+([A-Z].*)$/.exec(text);
  return m ? { message: m[1]!, hint: m[2]! } : { message: text, hint: fallback };
}

function checkDistribution(build: () => Distribution, ctx: z.RefinementCtx, fallbackHint: string): void {
  try {
    build();
  } catch (e) {
    const { message, hint } = distributionHint((e as Error).message, fallbackHint);
    ctx.addIssue({ code: 'custom', message, params: { hint } });
  }
}

const FloatParamSchema = z
  .strictObject({
    type: z.literal('float'),
    low: z.number(),
    high: z.number(),
    log: z.boolean().describe('Sample on a log scale (low > 0).').optional(),
    step: z.number().positive().describe('Sample low, low + step, … ≤ high.').optional(),
    when: when.optional(),
  })
  .describe('A real number in [low, high].')
  .superRefine((p, ctx) =>
    checkDistribution(
      () =>
        floatDistribution(p.low, p.high, {
          log: p.log ?? false,
          ...(p.step === undefined ? {} : { step: p.step }),
        }),
      ctx,
      'fix low, high, log and step',
    ),
  );

const IntParamSchema = z
  .strictObject({
    type: z.literal('int'),
    low: z.int(),
    high: z.int(),
    log: z.boolean().describe('Sample on a log scale (low ≥ 1).').optional(),
    step: z.int().positive().optional(),
    when: when.optional(),
  })
  .describe('An integer in [low, high].')
  .superRefine((p, ctx) =>
    checkDistribution(
      () => intDistribution(p.low, p.high, { log: p.log ?? false, step: p.step ?? 1 }),
      ctx,
      'fix low, high, log and step',
    ),
  );

const CategoricalParamSchema = z
  .strictObject({
    type: z.literal('categorical'),
    choices: z.array(ChoiceSchema).min(1),
    when: when.optional(),
  })
  .describe('One of the choices (strings, numbers, booleans or null).')
  .superRefine((p, ctx) => {
    // An empty list is already reported by the shape check.
    if (p.choices.length > 0)
      checkDistribution(() => categoricalDistribution(p.choices), ctx, 'list distinct choices');
  });

/** One parameter of the search space. */
export const ParamSchema = z.discriminatedUnion('type', [
  FloatParamSchema,
  IntParamSchema,
  CategoricalParamSchema,
]);
export type ParamSpec = z.infer<typeof ParamSchema>;

/** The search space: parameter name → distribution, sampled in the order written. */
export const SearchSpaceSchema = z
  .record(z.string(), ParamSchema)
  .describe('The search space: name → {type: float|int|categorical, ...}, sampled in the order written.');
export type SearchSpaceSpec = Record<string, ParamSpec>;

const Direction = z.enum(['minimize', 'maximize']);
const positiveSeconds = z.number().positive();

/** The whole study file. */
export const StudyFileSchema = z
  .strictObject({
    $schema: z.string().describe('The JSON Schema of this file, for editors.').optional(),
    study: z
      .string()
      .min(1)
      .max(512)
      .describe("The study's name. Default: the file name without its extension.")
      .optional(),
    storage: z
      .string()
      .describe(
        'Storage URL. Default: --storage, $TUNEKIT_STORAGE, or sqlite:///tunekit.db in the current folder.',
      )
      .optional(),
    direction: Direction.describe('One objective. Default minimize.').optional(),
    directions: z.array(Direction).min(1).describe('Several objectives, one direction each.').optional(),
    metrics: z
      .array(z.string().min(1))
      .min(1)
      .describe('Names of the objectives, in order; a result may then give {"values": {name: value}}.')
      .optional(),
    params: SearchSpaceSchema,
    command: z
      .union([z.string().min(1), z.array(z.string()).min(1)])
      .describe(
        'The command that runs one trial, a string or a list of arguments, with {name} placeholders. No shell unless shell: true.',
      ),
    shell: z.boolean().describe('Run the command with /bin/sh -c. Default false.').optional(),
    cwd: z.string().describe("The command's working folder. Default: the study file's folder.").optional(),
    env: z
      .record(z.string(), z.union([z.string(), z.number(), z.boolean()]))
      .describe('Extra environment variables for the command.')
      .optional(),
    trials: z
      .int()
      .min(1)
      .describe(
        'Finished (complete or pruned) trials the study should have; a re-run starts only the missing ones.',
      )
      .optional(),
    timeout: positiveSeconds.describe('Seconds after which no new trial starts.').optional(),
    trialTimeout: positiveSeconds.describe('Seconds after which a trial is killed and fails.').optional(),
    killGrace: z
      .number()
      .min(0)
      .describe('Seconds between SIGTERM and SIGKILL when a trial is stopped. Default 10.')
      .optional(),
    concurrency: z
      .int()
      .min(1)
      .describe('Trials run at once. Default 1, or the number of GPU slots.')
      .optional(),
    gpus: z
      .union([z.string(), z.array(z.union([z.int().min(0), z.string().min(1)])).min(1)])
      .describe('GPU ids to share among trials: "0,1,2,3" or [0, 1, 2, 3].')
      .optional(),
    gpusPerTrial: z
      .int()
      .min(1)
      .describe('GPUs each trial gets (CUDA_VISIBLE_DEVICES). Default 1.')
      .optional(),
    logDir: z
      .string()
      .describe("Folder of the trials' logs (<logDir>/<study>/trial-<n>.log). Default tunekit-logs.")
      .optional(),
    resultFile: z
      .string()
      .describe(
        'Where the command may write its result as JSON, a template such as out/{trial_number}.json. Default: a file in the log folder. Its path is in $TUNEKIT_RESULT_FILE.',
      )
      .optional(),
    sampler: SamplerSpecSchema.optional(),
    pruner: PrunerSpecSchema.optional(),
    heartbeat: z
      .strictObject({
        interval: positiveSeconds.describe('Seconds between heartbeats of a running trial. Default 10.'),
        grace: positiveSeconds
          .describe('Seconds without a heartbeat after which a trial is failed. Default 3 × interval.')
          .optional(),
        retries: z
          .int()
          .min(0)
          .describe('Times a trial failed by a lost heartbeat is retried with its parameters. Default 1.')
          .optional(),
      })
      .refine((h) => h.grace === undefined || h.grace > h.interval, {
        message: 'grace must be longer than interval',
        path: ['grace'],
      })
      .describe(
        'Heartbeats of running trials, so that a worker that dies leaves no trial running for ever. Default { interval: 10, grace: 30, retries: 1 }.',
      )
      .optional(),
    enqueue: z
      .array(z.record(z.string(), ChoiceSchema))
      .describe('Parameter values to try first (once each, also across re-runs).')
      .optional(),
    warmStartFrom: z
      .union([z.string().min(1), z.array(z.string().min(1)).min(1)])
      .describe(
        'Earlier studies in the same storage ("a,b" or a list of names) whose complete trials warm-start TPE and GP, at warmStartWeight, without counting as trials of this study.',
      )
      .optional(),
    warmStartWeight: z
      .number()
      .gt(0)
      .max(1)
      .describe("Weight of a warm trial relative to one of the study's own, in (0, 1]. Default 0.5.")
      .optional(),
  })
  .describe('A tunekit study file: the study, its search space and the command that evaluates a trial.');

export type StudyFile = z.infer<typeof StudyFileSchema>;

/** The study file's keys, for flags that override them. */
export type StudyFileKey = keyof StudyFile;

// ---------------------------------------------------------------------------------------------
// The validated, resolved spec

/** A study file after validation, with defaults applied and paths resolved. */
export interface StudySpec {
  /** The study file (absolute), or null when everything came from flags. */
  readonly file: string | null;
  readonly study: string;
  /** The storage URL from the file or flags; undefined: the command's default. */
  readonly storage: string | undefined;
  readonly directions: readonly StudyDirection[];
  readonly metrics: readonly string[] | undefined;
  readonly params: SearchSpaceSpec;
  /** Arguments (no shell) or one command line (shell). */
  readonly command: readonly string[] | string;
  readonly shell: boolean;
  readonly cwd: string;
  readonly env: Readonly<Record<string, string>>;
  readonly trials: number | undefined;
  readonly timeout: number | undefined;
  readonly trialTimeout: number | undefined;
  readonly killGrace: number;
  readonly concurrency: number;
  readonly gpus: readonly string[];
  readonly gpusPerTrial: number;
  readonly logDir: string;
  /** Absolute template, or undefined for the default file in the log folder. */
  readonly resultFile: string | undefined;
  readonly sampler: SamplerSpec | undefined;
  readonly pruner: PrunerSpec | undefined;
  /** Heartbeat settings from the file; undefined: the CLI's default (10 s, grace 30 s, 1 retry). */
  readonly heartbeat:
    | { readonly interval: number; readonly grace: number; readonly retries: number }
    | undefined;
  readonly enqueue: readonly Record<string, ParamValue>[];
  /** Names of earlier studies in the same storage to warm-start from (see `createStudy`). */
  readonly warmStartFrom?: readonly string[] | undefined;
  readonly warmStartWeight?: number | undefined;
}

// ---------------------------------------------------------------------------------------------
// Problems: what was wrong, where, and what to do

/** One problem with a study file. */
export interface Problem {
  /** Path in the file, such as ['params', 'lr', 'low']. */
  readonly path: readonly (string | number)[];
  readonly message: string;
  readonly hint: string;
  /** `file:line:col`, `--flag`, or the file name alone. */
  where: string;
}

/** A study file with problems; `message` lists every one of them. */
export class StudyFileError extends Error {
  override readonly name = 'StudyFileError';
  constructor(
    readonly source: string,
    readonly problems: readonly Problem[],
  ) {
    super(formatProblems(source, problems));
  }
}

/** `params.lr.low`, `enqueue[0].lr`. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else out += out.length === 0 ? String(seg) : `.${String(seg)}`;
  }
  return out.length === 0 ? '(top level)' : out;
}

/** The report printed for a rejected study file. */
export function formatProblems(source: string, problems: readonly Problem[]): string {
  const lines = [
    `${source}: ${problems.length} problem${problems.length === 1 ? '' : 's'}; nothing was run.`,
  ];
  for (const p of problems) {
    lines.push(`  ${p.where}  ${p.path.length > 0 ? `${formatPath(p.path)}: ` : ''}${p.message}`);
    lines.push(`      hint: ${p.hint}`);
  }
  return lines.join('\n');
}

function levenshtein(a: string, b: string): number {
  const dp = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let prev = dp[0]!;
    dp[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = dp[j]!;
      dp[j] = Math.min(dp[j]! + 1, dp[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return dp[b.length]!;
}

/** The closest candidate within an edit distance of 2 (or a case-insensitive match). */
export function didYouMean(word: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestD = 3;
  for (const c of candidates) {
    const d = c.toLowerCase() === word.toLowerCase() ? 0 : levenshtein(word, c);
    if (d < bestD) {
      bestD = d;
      best = c;
    }
  }
  return best;
}

function describeValue(v: unknown): string {
  if (v === undefined) return 'nothing';
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a mapping';
  if (typeof v === 'string') return `the string ${JSON.stringify(v)}`;
  return `${typeof v} ${String(v)}`;
}

function getAt(data: unknown, path: readonly PropertyKey[]): unknown {
  let v = data;
  for (const seg of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<PropertyKey, unknown>)[seg];
  }
  return v;
}

function shapeKeys(schema: z.ZodType): string[] {
  return Object.keys((schema as unknown as { shape: Record<string, unknown> }).shape ?? {});
}

const paramKeys: Record<string, string[]> = {
  float: shapeKeys(FloatParamSchema),
  int: shapeKeys(IntParamSchema),
  categorical: shapeKeys(CategoricalParamSchema),
};

function objectOptionKeys(union: z.ZodDiscriminatedUnion, name: unknown): string[] | undefined {
  for (const option of union.options as unknown as z.ZodObject[]) {
    const literal = option.shape.name as z.ZodLiteral;
    if (literal.value === name) return Object.keys(option.shape);
  }
  return undefined;
}

/** The keys allowed in the mapping at `path`, when known. */
function allowedKeysAt(path: readonly PropertyKey[], data: unknown): string[] | undefined {
  if (path.length === 0) return shapeKeys(StudyFileSchema);
  const node = getAt(data, path) as Record<string, unknown> | undefined;
  if (path.length === 2 && path[0] === 'params') return paramKeys[String(node?.type)];
  const union = (
    path[0] === 'sampler' && path.length === 1
      ? (SamplerSpecSchema.options[1] as unknown as z.ZodDiscriminatedUnion)
      : path[0] === 'pruner'
        ? (PrunerSpecSchema.options[1] as unknown as z.ZodDiscriminatedUnion)
        : undefined
  ) as z.ZodDiscriminatedUnion | undefined;
  return union && node ? objectOptionKeys(union, node.name) : undefined;
}

interface Draft {
  path: (string | number)[];
  message: string;
  hint: string;
  /** Point at the key rather than the value (unknown keys). */
  atKey?: boolean;
}

type AnyIssue = z.core.$ZodIssue;

function issueToDrafts(issue: AnyIssue, prefix: readonly PropertyKey[], data: unknown): Draft[] {
  const path = [...prefix, ...issue.path].filter((s): s is string | number => typeof s !== 'symbol');
  const input = getAt(data, path);
  switch (issue.code) {
    case 'invalid_type': {
      const expected =
        issue.expected === 'int'
          ? 'an integer'
          : `${/^[aeiou]/.test(issue.expected) ? 'an' : 'a'} ${issue.expected}`;
      if (input === undefined) {
        return [{ path, message: `missing; ${expected} is required`, hint: `add ${String(path.at(-1))}: …` }];
      }
      let hint = `write ${expected}`;
      if (
        typeof input === 'string' &&
        issue.expected === 'number' &&
        input.trim() !== '' &&
        !Number.isNaN(Number(input))
      )
        hint = `write the number without quotes: ${input.trim()}`;
      if (issue.expected === 'int' && typeof input === 'number')
        hint = `use a whole number, such as ${Math.round(input)}`;
      if (issue.expected === 'array' && typeof input === 'string') hint = `write a list: [${input}]`;
      return [{ path, message: `expected ${expected}, got ${describeValue(input)}`, hint }];
    }
    case 'unrecognized_keys': {
      const allowed = allowedKeysAt(path, data) ?? [];
      return issue.keys.map((key) => {
        const guess = didYouMean(key, allowed);
        return {
          path: [...path, key],
          message: `unknown key '${key}'`,
          hint: guess
            ? `did you mean '${guess}'?`
            : allowed.length > 0
              ? `the keys allowed here are ${allowed.join(', ')}`
              : 'remove it',
          atKey: true,
        };
      });
    }
    case 'invalid_union': {
      const note = (issue as { note?: string }).note;
      if (note === 'No matching discriminator') {
        const discriminator = String((issue as { discriminator?: unknown }).discriminator ?? path.at(-1));
        const options = ((issue as { options?: unknown[] }).options ?? []).map(String);
        const what = path[0] === 'sampler' ? 'sampler' : path[0] === 'pruner' ? 'pruner' : 'parameter type';
        const got = input === undefined ? undefined : String(input);
        const guess = got === undefined ? undefined : didYouMean(got, options);
        return [
          {
            path,
            message:
              got === undefined ? `missing ${discriminator}` : `unknown ${what} ${JSON.stringify(got)}`,
            hint: guess ? `did you mean '${guess}'?` : `use one of: ${options.join(', ')}`,
          },
        ];
      }
      // A value of the wrong type fails every branch: use the branch whose type matched.
      const branches = issue.errors.filter(
        (errs) =>
          !errs.some((e) => e.path.length === 0 && (e.code === 'invalid_type' || e.code === 'invalid_value')),
      );
      if (branches.length === 1) return branches[0]!.flatMap((e) => issueToDrafts(e, path, data));
      const scalarBranch = issue.errors.find((errs) =>
        errs.some((e) => e.path.length === 0 && e.code === 'invalid_value'),
      );
      if (typeof input === 'string' && scalarBranch) {
        return scalarBranch.flatMap((e) => issueToDrafts(e, path, data));
      }
      const expected = issue.errors
        .flatMap((errs) => errs.filter((e) => e.path.length === 0 && e.code === 'invalid_type'))
        .map((e) => (e as { expected: string }).expected);
      return [
        {
          path,
          message: `expected ${expected.length > 0 ? expected.join(' or ') : 'another kind of value'}, got ${describeValue(input)}`,
          hint: 'see schemas/study-file.schema.json for the forms this key takes',
        },
      ];
    }
    case 'invalid_value': {
      const values = issue.values.map((v) => String(v));
      const guess = typeof input === 'string' ? didYouMean(input, values) : undefined;
      const what =
        path[0] === 'sampler' && path.length === 1
          ? 'sampler '
          : path[0] === 'pruner' && path.length === 1
            ? 'pruner '
            : '';
      return [
        {
          path,
          message: `unknown ${what || 'value '}${JSON.stringify(input) ?? 'nothing'}`,
          hint: guess ? `did you mean '${guess}'?` : `use one of: ${values.join(', ')}`,
        },
      ];
    }
    case 'too_small':
    case 'too_big': {
      const bound = String(issue.code === 'too_small' ? issue.minimum : issue.maximum);
      const inclusive = issue.inclusive ?? true;
      const rel = issue.code === 'too_small' ? (inclusive ? '≥' : '>') : inclusive ? '≤' : '<';
      if (issue.origin === 'array' || issue.origin === 'set') {
        return [
          {
            path,
            message:
              issue.code === 'too_small'
                ? `needs at least ${bound} item(s)`
                : `has more than ${bound} item(s)`,
            hint: issue.code === 'too_small' ? 'add an item, or remove the key' : 'remove some items',
          },
        ];
      }
      if (issue.origin === 'string') {
        return [
          {
            path,
            message: `must have ${rel} ${bound} characters`,
            hint: 'write a non-empty value, or remove the key',
          },
        ];
      }
      return [
        {
          path,
          message: `must be ${rel} ${bound}, got ${describeValue(input)}`,
          hint: `use a value ${rel} ${bound}`,
        },
      ];
    }
    case 'custom': {
      const params = (issue.params ?? {}) as { hint?: string };
      return [{ path, message: issue.message, hint: params.hint ?? 'see the documentation of this key' }];
    }
    default:
      return [{ path, message: issue.message, hint: 'see schemas/study-file.schema.json' }];
  }
}

// ---------------------------------------------------------------------------------------------
// Locating a path in the YAML document

interface Located {
  readonly doc: ReturnType<typeof parseDocument> | null;
  readonly lineCounter: LineCounter;
}

function positionOf(located: Located, path: readonly (string | number)[], atKey: boolean): string | null {
  if (located.doc === null) return null;
  let node: Node | null | undefined = located.doc.contents as Node | null;
  let last: Node | null | undefined = node;
  for (let i = 0; i < path.length; i++) {
    const seg = path[i]!;
    if (isMap(node)) {
      const pair: { key: unknown; value: unknown } | undefined = node.items.find(
        (p) => (isScalar(p.key) ? String(p.key.value) : String(p.key)) === String(seg),
      );
      if (!pair) break;
      if (i === path.length - 1 && atKey) {
        node = pair.key as Node;
      } else node = (pair.value as Node | null) ?? (pair.key as Node);
    } else if (isSeq(node) && typeof seg === 'number') {
      const item = node.items[seg] as Node | undefined;
      if (!item) break;
      node = item;
    } else break;
    last = node;
  }
  const range = last?.range;
  if (!range) return null;
  const { line, col } = located.lineCounter.linePos(range[0]);
  return `${line}:${col}`;
}

// ---------------------------------------------------------------------------------------------
// Semantic checks, once the shape is right

function conditionValues(v: CategoricalChoice | readonly CategoricalChoice[]): CategoricalChoice[] {
  return Array.isArray(v) ? [...v] : [v as CategoricalChoice];
}

/** Builds the library distribution of a parameter spec (it was validated). */
export function toDistribution(p: ParamSpec): Distribution {
  if (p.type === 'float')
    return floatDistribution(p.low, p.high, {
      log: p.log ?? false,
      ...(p.step === undefined ? {} : { step: p.step }),
    });
  if (p.type === 'int') return intDistribution(p.low, p.high, { log: p.log ?? false, step: p.step ?? 1 });
  return categoricalDistribution(p.choices);
}

function valueFits(p: ParamSpec, value: CategoricalChoice): boolean {
  try {
    const d = toDistribution(p);
    return contains(d, toInternal(d, value as ParamValue));
  } catch {
    return false;
  }
}

function describeParam(p: ParamSpec): string {
  if (p.type === 'categorical') return `one of ${JSON.stringify(p.choices)}`;
  return `${p.type === 'int' ? 'an integer' : 'a number'} in [${p.low}, ${p.high}]${p.step ? ` on steps of ${p.step}` : ''}`;
}

const PARAM_NAME = /^[A-Za-z_][A-Za-z0-9_.-]*$/;

/** Checks a search space on its own (names, conditions); problems are pushed to `out`. */
export function checkSearchSpace(
  params: SearchSpaceSpec,
  out: Draft[],
  prefix: (string | number)[] = ['params'],
  allNames: readonly string[] = Object.keys(params),
): void {
  const names = allNames;
  const envNames = new Map<string, string>();
  for (const name of names) {
    const path = [...prefix, name];
    if (!PARAM_NAME.test(name)) {
      out.push({
        path,
        message: `parameter name ${JSON.stringify(name)} is not allowed`,
        hint: 'use letters, digits, _, . and -, starting with a letter or _ (it becomes {name} and TUNEKIT_PARAM_NAME)',
        atKey: true,
      });
    }
    if ((BUILTIN_PLACEHOLDERS as readonly string[]).includes(name)) {
      out.push({
        path,
        message: `'${name}' is a reserved placeholder`,
        hint: 'rename the parameter',
        atKey: true,
      });
    }
    const env = paramEnvName(name);
    const clash = envNames.get(env);
    if (clash !== undefined) {
      out.push({
        path,
        message: `'${name}' and '${clash}' both become ${env}`,
        hint: 'rename one of them so that their upper-case forms differ',
        atKey: true,
      });
    }
    envNames.set(env, name);
  }
  for (const name of Object.keys(params)) {
    const index = names.indexOf(name);
    const path = [...prefix, name];
    const p = params[name]!;
    for (const [dep, allowed] of Object.entries(p.when ?? {})) {
      const depIndex = names.indexOf(dep);
      const whenPath = [...path, 'when', dep];
      if (depIndex < 0) {
        const guess = didYouMean(dep, names);
        out.push({
          path: whenPath,
          message: `condition on unknown parameter '${dep}'`,
          hint: guess ? `did you mean '${guess}'?` : `name a parameter declared above '${name}'`,
          atKey: true,
        });
        continue;
      }
      if (depIndex >= index) {
        out.push({
          path: whenPath,
          message: `'${name}' depends on '${dep}', which is declared after it`,
          hint: `move '${dep}' above '${name}': parameters are sampled in the order written`,
          atKey: true,
        });
        continue;
      }
      const depSpec = params[dep];
      if (depSpec === undefined) continue; // invalid itself, and reported
      for (const v of conditionValues(allowed)) {
        if (!valueFits(depSpec, v)) {
          out.push({
            path: whenPath,
            message: `${JSON.stringify(v)} is not a possible value of '${dep}'`,
            hint: `'${dep}' is ${describeParam(depSpec)}`,
          });
        }
      }
    }
  }
}

function checkTemplate(
  template: string | readonly string[],
  names: readonly string[],
  path: (string | number)[],
  out: Draft[],
): void {
  const parts = typeof template === 'string' ? [template] : template;
  parts.forEach((part, i) => {
    const partPath = typeof template === 'string' ? path : [...path, i];
    let used: string[];
    try {
      used = placeholders(part);
    } catch (e) {
      out.push({ path: partPath, message: (e as Error).message, hint: 'write {{ and }} for literal braces' });
      return;
    }
    for (const name of used) {
      if (names.includes(name) || (BUILTIN_PLACEHOLDERS as readonly string[]).includes(name)) continue;
      const guess = didYouMean(name, [...names, ...BUILTIN_PLACEHOLDERS]);
      out.push({
        path: partPath,
        message: `unknown placeholder {${name}}`,
        hint: guess
          ? `did you mean {${guess}}?`
          : `use a parameter of params (${names.join(', ') || 'none'}) or ${BUILTIN_PLACEHOLDERS.map((b) => `{${b}}`).join(', ')}`,
      });
    }
  });
}

/** Parses `gpus`: "0,1,2" or [0, 1, 2] → ['0', '1', '2']. */
export function parseGpus(gpus: string | readonly (string | number)[] | undefined): string[] {
  if (gpus === undefined) return [];
  const list = typeof gpus === 'string' ? gpus.split(',') : gpus.map(String);
  return list.map((g) => g.trim()).filter((g) => g.length > 0);
}

function checkSemantics(
  file: StudyFile,
  out: Draft[],
  allNames: readonly string[] = Object.keys(file.params),
): void {
  const names = allNames;
  checkSearchSpace(file.params, out, ['params'], names);
  if (file.direction !== undefined && file.directions !== undefined) {
    out.push({
      path: ['directions'],
      message: 'both direction and directions are given',
      hint: 'keep one of them',
    });
  }
  const nObjectives = file.directions?.length ?? 1;
  if (file.metrics !== undefined && file.metrics.length !== nObjectives) {
    out.push({
      path: ['metrics'],
      message: `${file.metrics.length} metric name(s) for ${nObjectives} objective(s)`,
      hint: 'give one name per direction, in the same order',
    });
  }
  if (file.metrics !== undefined && new Set(file.metrics).size !== file.metrics.length) {
    out.push({ path: ['metrics'], message: 'metric names repeat', hint: 'give each objective its own name' });
  }
  if (typeof file.command === 'string' && !file.shell) {
    try {
      if (splitCommand(file.command).length === 0) {
        out.push({
          path: ['command'],
          message: 'the command is empty',
          hint: 'write the program and its arguments',
        });
      }
    } catch (e) {
      if (!(e instanceof TemplateError)) throw e;
      out.push({
        path: ['command'],
        message: e.message,
        hint: 'close the quote, or give the command as a list of arguments',
      });
    }
  }
  checkTemplate(file.command, names, ['command'], out);
  if (file.resultFile !== undefined) {
    checkTemplate(file.resultFile, names, ['resultFile'], out);
    if ((file.concurrency ?? 1) > 1 && !file.resultFile.includes('{trial_number}')) {
      out.push({
        path: ['resultFile'],
        message: 'concurrent trials would share one result file',
        hint: 'put {trial_number} in the path, such as out/{trial_number}.json',
      });
    }
  }
  const gpus = parseGpus(file.gpus);
  if (file.gpus !== undefined && gpus.length === 0) {
    out.push({ path: ['gpus'], message: 'no GPU id given', hint: 'write ids such as "0,1", or remove gpus' });
  }
  if (new Set(gpus).size !== gpus.length) {
    out.push({ path: ['gpus'], message: `GPU ids repeat: ${gpus.join(',')}`, hint: 'list each GPU once' });
  }
  if (file.gpusPerTrial !== undefined && gpus.length === 0) {
    out.push({
      path: ['gpusPerTrial'],
      message: 'gpusPerTrial without gpus',
      hint: 'list the GPUs to share with gpus: "0,1"',
    });
  } else if (file.gpusPerTrial !== undefined && file.gpusPerTrial > gpus.length) {
    out.push({
      path: ['gpusPerTrial'],
      message: `each trial needs ${file.gpusPerTrial} GPUs but only ${gpus.length} are listed`,
      hint: `lower gpusPerTrial to at most ${gpus.length}, or list more GPUs`,
    });
  }
  (file.enqueue ?? []).forEach((point, i) => {
    for (const [name, value] of Object.entries(point)) {
      const p = file.params[name];
      if (p === undefined && names.includes(name)) continue; // the parameter is invalid itself
      if (p === undefined) {
        const guess = didYouMean(name, names);
        out.push({
          path: ['enqueue', i, name],
          message: `unknown parameter '${name}'`,
          hint: guess ? `did you mean '${guess}'?` : `use a parameter of params: ${names.join(', ')}`,
          atKey: true,
        });
      } else if (!valueFits(p, value)) {
        out.push({
          path: ['enqueue', i, name],
          message: `${JSON.stringify(value)} is not a possible value of '${name}'`,
          hint: `'${name}' is ${describeParam(p)}`,
        });
      }
    }
  });
  const sampler = normalizeSampler(file.sampler);
  if (sampler?.name === 'grid') {
    if (sampler.grid === undefined) {
      for (const [name, p] of Object.entries(file.params)) {
        if (p.type === 'float' && p.step === undefined) {
          out.push({
            path: ['params', name],
            message: `the grid sampler needs a finite space, but '${name}' is a continuous float`,
            hint: `give '${name}' a step, or list the values to try in sampler.grid`,
          });
        }
      }
    } else {
      for (const [name, values] of Object.entries(sampler.grid)) {
        const p = file.params[name];
        if (p === undefined && names.includes(name)) continue;
        if (p === undefined) {
          out.push({
            path: ['sampler', 'grid', name],
            message: `unknown parameter '${name}'`,
            hint: `use a parameter of params: ${names.join(', ')}`,
            atKey: true,
          });
          continue;
        }
        values.forEach((v, j) => {
          if (!valueFits(p, v)) {
            out.push({
              path: ['sampler', 'grid', name, j],
              message: `${JSON.stringify(v)} is not a possible value of '${name}'`,
              hint: `'${name}' is ${describeParam(p)}`,
            });
          }
        });
      }
    }
  }
  if (sampler !== undefined) {
    try {
      createSampler(sampler);
    } catch (e) {
      out.push({ path: ['sampler'], message: (e as Error).message, hint: 'fix the sampler options' });
    }
  }
  const pruner = normalizePruner(file.pruner);
  if (pruner !== undefined) {
    if (nObjectives > 1 && prunerNeedsDirection(pruner)) {
      out.push({
        path: ['pruner'],
        message: `the ${pruner.name} pruner needs a direction in a study with ${nObjectives} objectives`,
        hint: 'add direction: minimize or maximize to the pruner (the reported values improve that way)',
      });
    }
    try {
      createPruner(pruner);
    } catch (e) {
      out.push({ path: ['pruner'], message: (e as Error).message, hint: 'fix the pruner options' });
    }
  }
}

/** `sampler: tpe` → `{name: 'tpe'}`. */
export function normalizeSampler(spec: StudyFile['sampler']): SamplerSpec | undefined {
  if (spec === undefined) return undefined;
  return typeof spec === 'string' ? ({ name: spec } as SamplerSpec) : spec;
}

/** `pruner: median` → `{name: 'median'}`. */
export function normalizePruner(spec: StudyFile['pruner']): PrunerSpec | undefined {
  if (spec === undefined) return undefined;
  return typeof spec === 'string' ? ({ name: spec } as PrunerSpec) : spec;
}

// ---------------------------------------------------------------------------------------------
// Loading

/** Values given as flags, which replace the file's; `flagNames` says which flag set each key. */
export interface Overrides {
  readonly values: Partial<Record<StudyFileKey, unknown>>;
  readonly flagNames: Partial<Record<StudyFileKey, string>>;
}

/** Where the raw study came from. */
export interface RawSource {
  /** What problems are reported against: the file path as given, or a flag. */
  readonly source: string;
  readonly text: string;
  readonly format: 'yaml' | 'json';
}

/** Parses YAML or JSON text into a plain value and a document for locating paths. */
function parseText(raw: RawSource): { data: unknown; located: Located; problems: Problem[] } {
  const lineCounter = new LineCounter();
  const doc = parseDocument(raw.text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const problems: Problem[] = [];
  const seenLines = new Set<number>();
  for (const err of doc.errors) {
    const pos = lineCounter.linePos(err.pos[0]);
    if (seenLines.has(pos.line)) continue; // the rest of a line's errors follow from its first
    seenLines.add(pos.line);
    const text = err.message.split('\n')[0]!;
    let hint = 'fix the syntax at this position';
    if (err.code === 'DUPLICATE_KEY') hint = 'remove one of the duplicated keys';
    else if (/Nested mappings|Implicit keys|mapping values/i.test(text)) {
      hint =
        "a value that contains ': ' or '{' must be quoted ('…'), or write the command as a list of arguments";
    }
    problems.push({
      path: [],
      message: `${raw.format === 'json' ? 'JSON' : 'YAML'} syntax error: ${text}`,
      hint,
      where: `${raw.source}:${pos.line}:${pos.col}`,
    });
  }
  const data = problems.length > 0 ? undefined : doc.toJS({ maxAliasCount: 100 });
  return { data, located: { doc, lineCounter }, problems };
}

/**
 * A copy of the data without the parameters and optional keys that have shape problems; null
 * when a required key is wrong. `paramNames` keeps every declared name, valid or not.
 */
function withoutBrokenParts(
  data: Record<string, unknown>,
  issues: readonly AnyIssue[],
): { data: Record<string, unknown>; paramNames: string[] } | null {
  const copy: Record<string, unknown> = { ...data };
  const params = data.params;
  if (params === null || typeof params !== 'object' || Array.isArray(params)) return null;
  const paramNames = Object.keys(params);
  const keptParams: Record<string, unknown> = { ...(params as Record<string, unknown>) };
  for (const issue of issues) {
    const [top, second] = issue.path;
    if (top === undefined) {
      if (issue.code !== 'unrecognized_keys') return null;
      for (const k of issue.keys) delete copy[k];
    } else if (top === 'params' && second !== undefined) delete keptParams[String(second)];
    else if (top === 'params' || top === 'command') return null;
    else delete copy[String(top)];
  }
  copy.params = keptParams;
  return { data: copy, paramNames };
}

/** Validates raw study data; returns the file or the located problems. */
export function validateStudyData(
  data: unknown,
  raw: RawSource,
  located: Located | null,
  overrides: Overrides = { values: {}, flagNames: {} },
): { file: StudyFile } | { problems: Problem[] } {
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    return {
      problems: [
        {
          path: [],
          message: `the study file must be a mapping of keys, got ${describeValue(data)}`,
          hint: 'start from examples/cli/*.yaml: study, params, command, …',
          where: raw.source,
        },
      ],
    };
  }
  const merged: Record<string, unknown> = { ...(data as Record<string, unknown>) };
  for (const [k, v] of Object.entries(overrides.values)) if (v !== undefined) merged[k] = v;
  const drafts: Draft[] = [];
  const parsed = StudyFileSchema.safeParse(merged, { reportInput: true });
  if (!parsed.success) {
    for (const issue of parsed.error.issues) drafts.push(...issueToDrafts(issue, [], merged));
    // Check the rest too, without the parts that are wrong, so that one run reports every problem.
    const rest = withoutBrokenParts(merged, parsed.error.issues);
    if (rest !== null) {
      const again = StudyFileSchema.safeParse(rest.data);
      if (again.success) checkSemantics(again.data, drafts, rest.paramNames);
    }
  } else {
    checkSemantics(parsed.data, drafts);
  }
  if (drafts.length === 0 && parsed.success) return { file: parsed.data };
  const seen = new Set<string>();
  const problems: Problem[] = [];
  for (const d of drafts) {
    const key = `${formatPath(d.path)}|${d.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const top = d.path[0] as StudyFileKey | undefined;
    const flag = top === undefined ? undefined : overrides.flagNames[top];
    const pos = flag === undefined && located ? positionOf(located, d.path, d.atKey ?? false) : null;
    problems.push({
      path: d.path,
      message: d.message,
      hint: d.hint,
      where: flag !== undefined ? `(${flag})` : pos ? `${raw.source}:${pos}` : raw.source,
    });
  }
  return { problems: sortByPosition(problems) };
}

function sortByPosition(problems: Problem[]): Problem[] {
  const key = (p: Problem): [number, number] => {
    const m = /:(\d+):(\d+)$/.exec(p.where);
    return m ? [Number(m[1]), Number(m[2])] : [Number.MAX_SAFE_INTEGER, 0];
  };
  return problems
    .map((p, i) => ({ p, i, k: key(p) }))
    .sort((a, b) => a.k[0] - b.k[0] || a.k[1] - b.k[1] || a.i - b.i)
    .map((x) => x.p);
}

function resolvePath(p: string, base: string): string {
  return isAbsolute(p) ? p : resolve(base, p);
}

/** Resolves a relative `sqlite:///` URL against `base`; other URLs are returned as they are. */
export function resolveStorageUrl(url: string, base: string): string {
  if (url.startsWith('sqlite:///') && !url.startsWith('sqlite:////') && url !== 'sqlite:///:memory:') {
    return `sqlite:///${resolve(base, url.slice('sqlite:///'.length))}`;
  }
  return url;
}

/** Turns a validated file into the spec the runner uses. */
export function resolveSpec(file: StudyFile, filePath: string | null, overrides: Overrides): StudySpec {
  const fileDir = filePath === null ? process.cwd() : dirname(filePath);
  const baseFor = (key: StudyFileKey) => (overrides.flagNames[key] !== undefined ? process.cwd() : fileDir);
  const gpus = parseGpus(file.gpus);
  const gpusPerTrial = file.gpusPerTrial ?? 1;
  const slots = gpus.length > 0 ? Math.floor(gpus.length / gpusPerTrial) : Number.POSITIVE_INFINITY;
  const concurrency = file.concurrency ?? (gpus.length > 0 ? slots : 1);
  const study = file.study ?? (filePath === null ? 'study' : basename(filePath, extname(filePath)));
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(file.env ?? {})) env[k] = String(v);
  return {
    file: filePath,
    study,
    storage: file.storage === undefined ? undefined : resolveStorageUrl(file.storage, baseFor('storage')),
    directions: file.directions ?? [file.direction ?? 'minimize'],
    metrics: file.metrics,
    params: file.params,
    command: file.command,
    shell: file.shell ?? false,
    cwd: resolvePath(file.cwd ?? '.', baseFor('cwd')),
    env,
    trials: file.trials,
    timeout: file.timeout,
    trialTimeout: file.trialTimeout,
    killGrace: file.killGrace ?? 10,
    concurrency,
    gpus,
    gpusPerTrial,
    logDir: resolvePath(
      file.logDir ?? 'tunekit-logs',
      file.logDir === undefined ? process.cwd() : baseFor('logDir'),
    ),
    resultFile:
      file.resultFile === undefined ? undefined : resolvePath(file.resultFile, baseFor('resultFile')),
    sampler: normalizeSampler(file.sampler),
    pruner: normalizePruner(file.pruner),
    heartbeat:
      file.heartbeat === undefined
        ? undefined
        : {
            interval: file.heartbeat.interval,
            grace: file.heartbeat.grace ?? 3 * file.heartbeat.interval,
            retries: file.heartbeat.retries ?? 1,
          },
    enqueue: (file.enqueue ?? []) as Record<string, ParamValue>[],
    warmStartFrom: warmStartNames(file.warmStartFrom),
    warmStartWeight: file.warmStartWeight,
  };
}

/** The study names of `warmStartFrom` ("a,b" or a list), or undefined when absent. */
function warmStartNames(from: string | readonly string[] | undefined): string[] | undefined {
  if (from === undefined) return undefined;
  const names = (typeof from === 'string' ? from.split(',') : [...from])
    .map((s) => s.trim())
    .filter((s) => s !== '');
  return names.length === 0 ? undefined : names;
}

/** Reads, validates and resolves a study file. Throws `StudyFileError` listing every problem. */
export function loadStudyFile(path: string, overrides: Overrides = { values: {}, flagNames: {} }): StudySpec {
  const absolute = resolve(path);
  let text: string;
  try {
    text = readFileSync(absolute, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new StudyFileError(path, [
      {
        path: [],
        message: code === 'ENOENT' ? 'no such file' : `cannot read it: ${(e as Error).message}`,
        hint:
          code === 'ENOENT'
            ? `check the path (the current folder is ${process.cwd()})`
            : 'check its permissions',
        where: path,
      },
    ]);
  }
  const raw: RawSource = {
    source: path,
    text,
    format: extname(path).toLowerCase() === '.json' ? 'json' : 'yaml',
  };
  const { data, located, problems } = parseText(raw);
  if (problems.length > 0) throw new StudyFileError(path, problems);
  const result = validateStudyData(data, raw, located, overrides);
  if ('problems' in result) throw new StudyFileError(path, result.problems);
  return resolveSpec(result.file, absolute, overrides);
}

/** Parses and validates a search space given as JSON or YAML text (`tunekit ask --space`). */
export function parseSearchSpace(text: string, source: string): SearchSpaceSpec {
  const raw: RawSource = { source, text, format: 'json' };
  const { data, located, problems } = parseText(raw);
  if (problems.length > 0) throw new StudyFileError(source, problems);
  const parsed = SearchSpaceSchema.safeParse(data, { reportInput: true });
  const drafts: Draft[] = [];
  if (!parsed.success)
    for (const issue of parsed.error.issues) drafts.push(...issueToDrafts(issue, [], data));
  else checkSearchSpace(parsed.data, drafts, []);
  if (drafts.length === 0 && parsed.success) return parsed.data;
  throw new StudyFileError(
    source,
    drafts.map((d) => {
      const pos = positionOf(located, d.path, d.atKey ?? false);
      return { path: d.path, message: d.message, hint: d.hint, where: pos ? `${source}:${pos}` : source };
    }),
  );
}

/** The JSON Schema of study files (draft 2020-12), as `schemas/study-file.schema.json` holds it. */
export function studyFileJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(StudyFileSchema, { io: 'input', target: 'draft-2020-12' }) as Record<
    string,
    unknown
  >;
  const { $schema, ...rest } = schema;
  return {
    $schema,
    title: 'tunekit study file',
    ...rest,
  };
}
