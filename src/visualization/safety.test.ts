import * as echarts from 'echarts';
import { describe, expect, it } from 'vitest';
import { PLOT_KINDS, PLOTS } from './registry.js';
import { syntheticSource } from './synthetic-study.js';
import type { ChartSpec, PlotResult, PlotSource } from './types.js';

const XSS = '<img src=x onerror=alert(1)>';
const XSS2 = '"><script>alert(2)</script>';

/** A study whose every user string is a payload. */
function hostile(directions: ('minimize' | 'maximize')[]): PlotSource {
  const s = syntheticSource({
    nTrials: 80,
    nParams: 4,
    nSteps: 3,
    nWorkers: 2,
    directions,
    studyName: XSS,
    paramNames: { 0: XSS, 3: XSS2 },
    choices: [XSS, XSS2, 'plain'],
  });
  const trials = s.trials.map((t) => ({
    ...t,
    systemAttrs: { ...t.systemAttrs, 'tunekit:runner': { host: XSS, pid: 1 } },
  }));
  return { ...s, trials, metricNames: directions.map((_, i) => `${XSS}${i}`) };
}

function plotAll(): PlotResult[] {
  const so = hostile(['minimize']);
  const mo = hostile(['minimize', 'maximize']);
  return PLOT_KINDS.map((kind) => {
    const source = kind === 'pareto-front' || kind === 'hypervolume-history' ? mo : so;
    const options = kind === 'contour' ? { params: [XSS, XSS2] } : {};
    return (PLOTS[kind] as (s: PlotSource, o: unknown) => PlotResult)(source, options);
  });
}

/** Every object in a JSON tree with the key path leading to it. */
function walk(value: unknown, path: string, visit: (v: unknown, path: string) => void): void {
  visit(value, path);
  if (Array.isArray(value)) {
    for (const [i, v] of value.entries()) walk(v, `${path}[${i}]`, visit);
  } else if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) walk(v, `${path}.${k}`, visit);
  }
}

describe('user strings in chart specs', () => {
  const results = plotAll();

  it('reach the specs (so the checks below are not vacuous)', () => {
    for (const r of results) {
      if (r.kind === 'hypervolume-history') continue; // no user string but the title
      expect(JSON.stringify(r.spec), r.kind).toContain(XSS);
    }
  });

  it('never reach a place where ECharts interprets HTML', () => {
    for (const r of results) {
      const spec: ChartSpec = r.spec;
      // The one tooltip is rendered as canvas rich text, not as HTML.
      expect((spec.tooltip as { renderMode?: string }).renderMode, r.kind).toBe('richText');
      walk(spec, 'spec', (v, path) => {
        if (v === null || typeof v !== 'object' || Array.isArray(v)) return;
        const o = v as Record<string, unknown>;
        // No other tooltip settings (a series or legend tooltip could switch to HTML) and no
        // formatter templates, HTML data views or title links.
        if (path !== 'spec') expect('tooltip' in o, `${r.kind} ${path}.tooltip`).toBe(false);
        expect('formatter' in o, `${r.kind} ${path}.formatter`).toBe(false);
        expect('toolbox' in o, `${r.kind} ${path}.toolbox`).toBe(false);
        expect('link' in o || 'sublink' in o, `${r.kind} ${path}.link`).toBe(false);
        expect(o.renderMode === undefined || o.renderMode === 'richText', `${r.kind} ${path}`).toBe(true);
      });
    }
  });

  it('are drawn as escaped text by ECharts (server-side SVG rendering)', () => {
    for (const r of results) {
      const chart = echarts.init(null, undefined, { renderer: 'svg', ssr: true, width: 900, height: 700 });
      try {
        chart.setOption(r.spec as echarts.EChartsOption);
        const svg = chart.renderToSVGString();
        expect(svg, r.kind).not.toContain('<img');
        expect(svg, r.kind).not.toContain('<script');
        if (r.kind !== 'hypervolume-history')
          expect(svg, r.kind).toContain('&lt;img src=x onerror=alert(1)&gt;');
        const option = chart.getOption() as { series: { data: unknown[] }[] };
        const n = option.series.reduce((s, x) => s + x.data.length, 0);
        expect(n, r.kind).toBe(r.meta.nPoints);
      } finally {
        chart.dispose();
      }
    }
  });
});
