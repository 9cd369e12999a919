/**
 * Plots on the server: each request runs one function of `tunekit/visualization` on the study's
 * cached trials, with downsampling (`maxPoints`), and keeps the result until the study changes,
 * so a 100,000-trial study is aggregated once per version, never shipped whole to the browser.
 *
 * The response is the {@link PlotResult} as JSON, serialized once per study version; `omit=data`
 * leaves out the typed data (the page draws only the spec, so it sends half the bytes).
 *
 * Query options become plot options: `maxPoints`, `maxCurves`, `objectiveIndex` and other
 * numeric options are numbers, `true`/`false` booleans, a repeated key (`params=a&params=b`) or
 * `params` a list, anything else text. Functions (`target`) cannot be passed.
 * @module
 */
import { InvalidArgumentError } from '../../core/errors.js';
import type { PlotResult, PlotSource } from '../../visualization/types.js';
import { dashboardPlotQuery } from '../plot-defaults.js';
import type { StudyCache } from './study-cache.js';

/** A plot function as the server calls it. */
export type PlotFunction = (
  source: PlotSource,
  options: Record<string, unknown>,
) => PlotResult | Promise<PlotResult>;

/** Plot functions by kind. */
export type PlotRegistry = Readonly<Record<string, PlotFunction>>;

/** Options that are lists even with one value. */
const LIST_OPTIONS = new Set(['params']);
/** Options that are text even when they look like numbers. */
const TEXT_OPTIONS = new Set(['targetName', 'method', 'evaluator']);

/** The plots of a single-objective study, in page order. */
export const SINGLE_OBJECTIVE_PLOTS = [
  'history',
  'intermediate',
  'parallel-coordinate',
  'slice',
  'contour',
  'importance',
  'edf',
  'timeline',
] as const;

/** The plots of a multi-objective study, in page order. */
export const MULTI_OBJECTIVE_PLOTS = [
  'pareto-front',
  'hypervolume-history',
  'parallel-coordinate',
  'slice',
  'contour',
  'importance',
  'edf',
  'timeline',
] as const;

/** Turns a query string into plot options (see the module documentation). */
export function plotOptions(q: URLSearchParams): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of new Set(q.keys())) {
    if (key === 'token' || key === 'v' || key === 'omit') continue;
    const all = q.getAll(key);
    if (LIST_OPTIONS.has(key)) {
      out[key] = all.length === 1 && all[0] === '' ? [] : all;
      continue;
    }
    if (all.length > 1) {
      out[key] = all;
      continue;
    }
    const raw = all[0]!;
    if (raw === 'true' || raw === 'false') out[key] = raw === 'true';
    else if (!TEXT_OPTIONS.has(key) && raw.trim() !== '' && !Number.isNaN(Number(raw)))
      out[key] = Number(raw);
    else out[key] = raw;
  }
  return out;
}

/** The most plot results kept. */
const CACHE_SIZE = 128;

/** A computed plot, ready to send. */
export interface PlotBody {
  /** The JSON text of the result (without `data` when asked). */
  readonly json: string;
  /** Identifies the result (an ETag): study, version, kind and options. */
  readonly key: string;
}

/** Runs and caches plots. */
export class PlotService {
  private readonly results = new Map<string, Promise<PlotBody>>();

  constructor(private readonly registry: PlotRegistry) {}

  /** Every kind the registry has. */
  get kinds(): string[] {
    return Object.keys(this.registry);
  }

  /** The kinds that apply to a study, in page order. */
  kindsFor(c: StudyCache): string[] {
    const order: readonly string[] = c.directions.length > 1 ? MULTI_OBJECTIVE_PLOTS : SINGLE_OBJECTIVE_PLOTS;
    return order.filter((k) => k in this.registry);
  }

  /** The plot `kind` of a study with the query's options; `key` identifies the result (ETag). */
  async plot(c: StudyCache, kind: string, q: URLSearchParams): Promise<PlotBody> {
    const fn = Object.hasOwn(this.registry, kind) ? this.registry[kind] : undefined;
    if (fn === undefined) {
      throw new InvalidArgumentError(`unknown plot '${kind}': use ${this.kinds.join(', ')}.`);
    }
    const options = plotOptions(q);
    const omitData = q.get('omit') === 'data';
    const sorted = Object.entries(options).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    const key = `${c.studyId}:${c.version}:${kind}:${omitData ? 'spec' : 'all'}:${JSON.stringify(sorted)}`;
    let p = this.results.get(key);
    if (p === undefined) {
      const source: PlotSource = {
        trials: c.trials,
        directions: c.directions,
        studyName: c.name,
        ...(c.metricNames.length === c.directions.length ? { metricNames: c.metricNames } : {}),
      };
      p = Promise.resolve()
        .then(() => fn(source, options))
        .then((result) => {
          const body = omitData ? { ...result, data: null } : result;
          return { json: JSON.stringify(body), key };
        });
      this.results.set(key, p);
      p.catch(() => this.results.delete(key));
      this.evict(c, key);
    } else {
      // Most recently used last.
      this.results.delete(key);
      this.results.set(key, p);
    }
    return p;
  }

  /**
   * Computes the plots a study page asks for first (each kind with the page's options),
   * one at a time and yielding between them, so the first visit finds them ready.
   */
  async warm(c: StudyCache): Promise<void> {
    for (const kind of this.kindsFor(c)) {
      await new Promise((r) => setImmediate(r));
      await this.plot(c, kind, new URLSearchParams(dashboardPlotQuery(kind))).catch(() => undefined);
    }
  }

  /** Drops results of older versions of the study and the least recently used beyond the limit. */
  private evict(c: StudyCache, keep: string): void {
    const prefix = `${c.studyId}:`;
    const current = `${c.studyId}:${c.version}:`;
    for (const k of this.results.keys()) {
      if (k !== keep && k.startsWith(prefix) && !k.startsWith(current)) this.results.delete(k);
    }
    while (this.results.size > CACHE_SIZE) {
      const oldest = this.results.keys().next().value;
      if (oldest === undefined) break;
      this.results.delete(oldest);
    }
  }
}
