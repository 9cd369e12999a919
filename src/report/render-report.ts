/**
 * `renderReport`: one self-contained HTML page about a study — a summary, the best trial(s) and
 * every plot that applies — that works offline: the ECharts library is inlined, the chart specs
 * are embedded as JSON, and a Content-Security-Policy allows only the page's own two scripts (by
 * hash) and no network access at all.
 *
 * Every user string (study, parameter, metric and attribute names, categorical values) is
 * HTML-escaped in the page and `\u`-escaped in the embedded JSON; the charts draw text on a
 * canvas and their tooltips are rich text (see src/visualization/common.ts), so no user string
 * is ever parsed as HTML.
 * @module
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { bestOf, paretoFront } from '../core/best-trial.js';
import { hasConstraints } from '../core/constraints.js';
import { InvalidArgumentError } from '../core/errors.js';
import { type FrozenTrial, type JsonValue, TRIAL_STATES } from '../core/frozen-trial.js';
import { checkSource, metricName } from '../visualization/common.js';
import { isPlotKind, PLOTS } from '../visualization/registry.js';
import type { PlotKind, PlotResult, PlotSource } from '../visualization/types.js';
import { assertInlineScript, escapeHtml, jsonForScript } from './html.js';

/** Options of {@link renderReport}. */
export interface ReportOptions {
  /** The page title (default: `tunekit report — <study name>`). */
  title?: string;
  /** The plots to include (default: every one that applies to the study). */
  plots?: readonly PlotKind[];
  /** The most points per plot (default 2000: a 100,000-trial study gives a page of a few MB). */
  maxPoints?: number;
  /** The importance algorithm (default `'fanova'`). */
  importanceEvaluator?: 'fanova' | 'ped-anova';
  /** The most rows of the best-trials table (default 50). */
  maxBestRows?: number;
  /** The time printed as the report's date, and the end of running trials (default: now). */
  now?: Date;
  /**
   * The ECharts library source to inline (default: node_modules' `echarts/dist/echarts.min.js`,
   * read when the report is rendered).
   */
  echartsSource?: string;
}

let cachedEcharts: string | null = null;

/** The minified ECharts bundle, read once from the installed package. */
function echartsSource(): string {
  if (cachedEcharts === null) {
    const require = createRequire(import.meta.url);
    const path = require.resolve('echarts/dist/echarts.min.js');
    cachedEcharts = assertInlineScript(readFileSync(path, 'utf8'), path);
  }
  return cachedEcharts;
}

/** The script that draws the charts from the embedded JSON (no user data in it). */
const BOOT_SCRIPT = `(function () {
  var data = JSON.parse(document.getElementById('tunekit-report-data').textContent);
  var charts = [];
  data.plots.forEach(function (p) {
    var el = document.getElementById(p.id);
    if (!el) return;
    var chart = echarts.init(el, null, { renderer: 'canvas' });
    chart.setOption(p.spec);
    charts.push(chart);
  });
  window.tunekitCharts = charts;
  window.addEventListener('resize', function () { charts.forEach(function (c) { c.resize(); }); });
})();`;

const STYLE = `
body { font-family: system-ui, -apple-system, 'Segoe UI', sans-serif; margin: 0; color: #222; background: #f6f7f9; }
header { background: #1f2d3d; color: #fff; padding: 16px 24px; }
header h1 { margin: 0; font-size: 20px; font-weight: 600; }
header p { margin: 4px 0 0; color: #c8d0da; font-size: 13px; }
main { max-width: 1200px; margin: 0 auto; padding: 16px 24px 48px; }
section { background: #fff; border: 1px solid #e2e5ea; border-radius: 6px; margin: 16px 0; padding: 12px 16px; }
section h2 { font-size: 16px; margin: 4px 0 12px; }
table { border-collapse: collapse; font-size: 13px; width: 100%; }
th, td { border-bottom: 1px solid #eceef1; padding: 4px 8px; text-align: left; vertical-align: top; }
th { background: #f3f4f6; font-weight: 600; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
dl.summary { display: grid; grid-template-columns: max-content 1fr; gap: 4px 16px; font-size: 14px; margin: 0; }
dl.summary dt { color: #666; }
dl.summary dd { margin: 0; }
.chart { width: 100%; height: 420px; }
.note { color: #777; font-size: 12px; margin: 6px 0 0; }
`;

/** A value for a table cell. */
function cell(v: JsonValue | undefined): string {
  if (v === undefined) return '';
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : String(Number(v.toPrecision(8)));
  if (typeof v === 'string') return v;
  return JSON.stringify(v);
}

/** The plots that apply to a source (in report order). */
function applicablePlots(source: PlotSource): PlotKind[] {
  const complete = source.trials.filter((t) => t.state === 'complete' && t.values !== null);
  const params = new Set<string>();
  for (const t of complete) for (const p in t.params) params.add(p);
  const multi = source.directions.length > 1;
  const kinds: PlotKind[] = [];
  if (multi) kinds.push('pareto-front', 'hypervolume-history');
  if (complete.length > 0) kinds.push('history');
  if (source.trials.some((t) => t.intermediateValues.size > 0)) kinds.push('intermediate');
  if (complete.length > 0 && params.size > 0) kinds.push('parallel-coordinate', 'slice');
  if (complete.length > 0 && params.size >= 2) kinds.push('contour');
  if (complete.length >= 2 && params.size > 0) kinds.push('importance');
  if (complete.length > 0) kinds.push('edf');
  if (source.trials.some((t) => t.datetimeStart !== null)) kinds.push('timeline');
  return kinds;
}

/** Runs one plot with the report's settings. */
function runPlot(
  kind: PlotKind,
  source: PlotSource,
  options: ReportOptions,
  importantPair: [string, string] | null,
): PlotResult {
  const maxPoints = options.maxPoints ?? 2000;
  switch (kind) {
    case 'importance':
      return PLOTS.importance(source, { evaluator: options.importanceEvaluator ?? 'fanova' });
    case 'contour':
      return PLOTS.contour(
        source,
        importantPair === null ? { maxPoints } : { maxPoints, params: importantPair },
      );
    case 'intermediate':
      return PLOTS.intermediate(source, { maxCurves: Math.min(300, maxPoints), maxPoints: maxPoints * 5 });
    case 'timeline':
      return PLOTS.timeline(
        source,
        options.now === undefined ? { maxPoints } : { maxPoints, now: options.now },
      );
    default:
      return (PLOTS[kind] as (s: PlotSource, o: { maxPoints: number }) => PlotResult)(source, { maxPoints });
  }
}

/** The summary list. */
function summaryHtml(source: PlotSource, now: Date): string {
  const counts = new Map<string, number>();
  for (const t of source.trials) counts.set(t.state, (counts.get(t.state) ?? 0) + 1);
  const states = TRIAL_STATES.filter((s) => counts.has(s))
    .map((s) => `${s} ${counts.get(s)}`)
    .join(', ');
  let first = Number.POSITIVE_INFINITY;
  let last = Number.NEGATIVE_INFINITY;
  const params = new Set<string>();
  for (const t of source.trials) {
    if (t.datetimeStart !== null) first = Math.min(first, t.datetimeStart.getTime());
    const end = t.datetimeComplete ?? t.datetimeStart;
    if (end !== null) last = Math.max(last, end.getTime());
    for (const p in t.params) params.add(p);
  }
  const objectives = source.directions.map((d, i) => `${metricName(source, i)} (${d})`).join(', ');
  const rows: [string, string][] = [
    ['Study', source.studyName ?? '(unnamed)'],
    ['Objectives', objectives],
    ['Trials', `${source.trials.length}${states === '' ? '' : ` — ${states}`}`],
    ['Parameters', [...params].sort().join(', ') || '(none)'],
  ];
  if (Number.isFinite(first)) {
    rows.push(['Ran', `${new Date(first).toISOString()} → ${new Date(last).toISOString()}`]);
  }
  rows.push(['Report made', now.toISOString()]);
  return `<dl class="summary">${rows.map(([k, v]) => `<dt>${escapeHtml(k)}</dt><dd>${escapeHtml(v)}</dd>`).join('')}</dl>`;
}

/** The best trial (single objective) or the Pareto front (several), as a table. */
function bestHtml(source: PlotSource, maxRows: number): { html: string; heading: string } {
  const feasibleOnly = hasConstraints(source.trials);
  const multi = source.directions.length > 1;
  let best: FrozenTrial[];
  if (multi) best = paretoFront(source.trials, source.directions, { feasibleOnly });
  else {
    const b = bestOf(source.trials, source.directions, { feasibleOnly });
    best = b === null ? [] : [b];
  }
  const heading = multi ? `Pareto front (${best.length} trials)` : 'Best trial';
  if (best.length === 0) return { heading, html: '<p class="note">No complete trial yet.</p>' };
  best.sort((a, b) => a.number - b.number);
  const shown = best.slice(0, maxRows);
  const params = new Set<string>();
  const attrs = new Set<string>();
  for (const t of shown) {
    for (const p in t.params) params.add(p);
    for (const a in t.userAttrs) attrs.add(a);
  }
  const paramList = [...params].sort();
  const attrList = [...attrs].sort();
  const head = [
    'Trial',
    ...source.directions.map((_, i) => metricName(source, i)),
    ...paramList,
    ...attrList.map((a) => `user: ${a}`),
  ];
  const body = shown.map((t) => {
    const cells = [
      `<td class="num">${t.number}</td>`,
      ...source.directions.map((_, i) => `<td class="num">${escapeHtml(cell(t.values?.[i]))}</td>`),
      ...paramList.map((p) => `<td>${escapeHtml(cell(t.params[p] as JsonValue | undefined))}</td>`),
      ...attrList.map((a) => `<td>${escapeHtml(cell(t.userAttrs[a]))}</td>`),
    ];
    return `<tr>${cells.join('')}</tr>`;
  });
  const more =
    best.length > shown.length ? `<p class="note">${best.length - shown.length} more not shown.</p>` : '';
  return {
    heading,
    html: `<table><thead><tr>${head.map((h) => `<th>${escapeHtml(h)}</th>`).join('')}</tr></thead><tbody>${body.join('')}</tbody></table>${more}`,
  };
}

/** The CSP source of an inline script: its SHA-256 hash. */
function scriptHash(source: string): string {
  return `'sha256-${createHash('sha256').update(source, 'utf8').digest('base64')}'`;
}

/**
 * The report of a study as one HTML page (see the module doc). Plots that fail on this study
 * (for example a contour with one parameter) are left out with a note.
 */
export function renderReport(source: PlotSource, options: ReportOptions = {}): string {
  checkSource(source, 'renderReport');
  if (options.plots !== undefined) {
    for (const k of options.plots) {
      if (!isPlotKind(k))
        throw new InvalidArgumentError(`renderReport: unknown plot kind ${JSON.stringify(k)}.`);
    }
  }
  const now = options.now ?? new Date();
  const kinds = options.plots ?? applicablePlots(source);
  const sections: string[] = [];
  const plots: { id: string; kind: PlotKind; spec: unknown }[] = [];
  const skipped: string[] = [];
  let importantPair: [string, string] | null = null;
  // Importances first, so the contour can show the two most important parameters.
  const order = [...kinds].sort((a, b) => Number(b === 'importance') - Number(a === 'importance'));
  const results = new Map<PlotKind, PlotResult>();
  for (const kind of order) {
    try {
      const r = runPlot(kind, source, options, importantPair);
      results.set(kind, r);
      if (kind === 'importance') {
        const p = (r.data as { params: string[] }).params;
        if (p.length >= 2) importantPair = [p[0]!, p[1]!];
      }
    } catch (e) {
      skipped.push(`${kind}: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  for (const kind of kinds) {
    const r = results.get(kind);
    if (r === undefined) continue;
    const id = `chart-${plots.length}`;
    plots.push({ id, kind, spec: r.spec });
    let height = 420;
    if (kind === 'slice') height = 300 * Math.max(1, (r.data as { rows: number }).rows) + 40;
    if (kind === 'importance')
      height = Math.max(240, 60 + 28 * (r.data as { params: string[] }).params.length);
    const note = r.meta.downsampled
      ? `<p class="note">Showing ${r.meta.nPoints} points of a study of ${r.meta.totalTrials} trials (downsampled: best and extreme trials kept).</p>`
      : '';
    sections.push(
      `<section data-kind="${escapeHtml(kind)}"><h2>${escapeHtml(r.title)}</h2><div class="chart" id="${id}" style="height:${height}px"></div>${note}</section>`,
    );
  }
  if (skipped.length > 0) {
    sections.push(
      `<section><h2>Plots left out</h2><ul>${skipped.map((s) => `<li>${escapeHtml(s)}</li>`).join('')}</ul></section>`,
    );
  }
  const best = bestHtml(source, options.maxBestRows ?? 50);
  const lib =
    options.echartsSource === undefined
      ? echartsSource()
      : assertInlineScript(options.echartsSource, 'echartsSource');
  const title = options.title ?? `tunekit report — ${source.studyName ?? 'study'}`;
  const csp = [
    "default-src 'none'",
    `script-src ${scriptHash(lib)} ${scriptHash(BOOT_SCRIPT)}`,
    "style-src 'unsafe-inline'",
    'img-src data:',
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="tunekit">
<title>${escapeHtml(title)}</title>
<style>${STYLE}</style>
</head>
<body>
<header><h1>${escapeHtml(title)}</h1><p>${escapeHtml(`${source.trials.length} trials · ${now.toISOString()}`)}</p></header>
<main>
<section><h2>Summary</h2>${summaryHtml(source, now)}</section>
<section><h2>${escapeHtml(best.heading)}</h2>${best.html}</section>
${sections.join('\n')}
</main>
<script type="application/json" id="tunekit-report-data">${jsonForScript({ plots })}</script>
<script>${lib}</script>
<script>${BOOT_SCRIPT}</script>
</body>
</html>
`;
}
