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
import { MULTI_OBJECTIVE_PLOT_KINDS, SINGLE_OBJECTIVE_PLOT_KINDS } from '../../visualization/registry.js';
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

/** The most plot results kept, and the most bytes of JSON they may hold together. */
const CACHE_ENTRIES = 128;
const CACHE_BYTES = 64 * 2 ** 20;

/**
 * Plots too costly to recompute on every change of a live study (importance fits a random
 * forest): a result at most this old (ms) is served for a newer version of the study.
 */
export const SLOW_PLOTS: ReadonlySet<string> = new Set(['importance']);
export const SLOW_PLOT_REUSE_MS = 15_000;

/** A computed plot, ready to send. */
export interface PlotBody {
  /** The JSON text of the result (without `data` when asked). */
  readonly json: string;
  /** Identifies the result (an ETag): study, version, kind and options. */
  readonly key: string;
}

interface Entry {
  readonly promise: Promise<PlotBody>;
  /** Study, kind and options, without the version. */
  readonly base: string;
  readonly studyId: number;
  readonly version: number;
  readonly at: number;
  bytes: number;
}

/** Runs and caches plots. */
export class PlotService {
  /** Least recently used first. */
  private readonly entries = new Map<string, Entry>();
  private bytes = 0;

  constructor(private readonly registry: PlotRegistry) {}

  /** Every kind the registry has. */
  get kinds(): string[] {
    return Object.keys(this.registry);
  }

  /** The kinds that apply to a study, in page order. */
  kindsFor(c: StudyCache): string[] {
    const order: readonly string[] =
      c.directions.length > 1 ? MULTI_OBJECTIVE_PLOT_KINDS : SINGLE_OBJECTIVE_PLOT_KINDS;
    const nParams = Object.keys(c.distributions).length;
    return order.filter((k) => k in this.registry && (k !== 'contour' || nParams >= 2));
  }

  /** Bytes of JSON held by the cache (for tests and monitoring). */
  get cachedBytes(): number {
    return this.bytes;
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
    const base = `${c.studyId}:${kind}:${omitData ? 'spec' : 'all'}:${JSON.stringify(sorted)}`;
    const key = `${c.version}:${base}`;
    let entry = this.entries.get(key);
    if (entry === undefined && SLOW_PLOTS.has(kind))
      entry = this.recent(base, Date.now() - SLOW_PLOT_REUSE_MS);
    if (entry !== undefined) {
      this.touch(entry);
      return entry.promise;
    }
    const source: PlotSource = {
      trials: c.trials,
      directions: c.directions,
      studyName: c.name,
      ...(c.metricNames.length === c.directions.length ? { metricNames: c.metricNames } : {}),
    };
    const promise = Promise.resolve()
      .then(() => fn(source, options))
      .then(
        (result): PlotBody => ({ json: JSON.stringify(omitData ? { ...result, data: null } : result), key }),
      );
    const created: Entry = {
      promise,
      base,
      studyId: c.studyId,
      version: c.version,
      at: Date.now(),
      bytes: 0,
    };
    this.entries.set(key, created);
    promise.then(
      (body) => {
        if (this.entries.get(key) !== created) return;
        created.bytes = body.json.length;
        this.bytes += created.bytes;
        this.evict(c);
      },
      () => this.drop(key),
    );
    return promise;
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

  /** The newest entry for `base` made after `since`, if any. */
  private recent(base: string, since: number): Entry | undefined {
    let best: Entry | undefined;
    for (const e of this.entries.values()) {
      if (e.base === base && e.at >= since && (best === undefined || e.version > best.version)) best = e;
    }
    return best;
  }

  private touch(e: Entry): void {
    const key = `${e.version}:${e.base}`;
    this.entries.delete(key);
    this.entries.set(key, e);
  }

  private drop(key: string): void {
    const e = this.entries.get(key);
    if (e === undefined) return;
    this.bytes -= e.bytes;
    this.entries.delete(key);
  }

  /**
   * Drops results of older versions of the study (but the newest of each slow plot), then the
   * least recently used beyond the count and byte limits.
   */
  private evict(c: StudyCache): void {
    const newestSlow = new Map<string, Entry>();
    for (const e of this.entries.values()) {
      if (e.studyId !== c.studyId || !SLOW_PLOTS.has(e.base.split(':')[1] ?? '')) continue;
      const prev = newestSlow.get(e.base);
      if (prev === undefined || e.version > prev.version) newestSlow.set(e.base, e);
    }
    for (const [key, e] of this.entries) {
      if (e.studyId === c.studyId && e.version < c.version && newestSlow.get(e.base) !== e) this.drop(key);
    }
    for (const [key] of this.entries) {
      if (this.entries.size <= CACHE_ENTRIES && this.bytes <= CACHE_BYTES) break;
      this.drop(key);
    }
  }
}
