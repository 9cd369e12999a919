import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { syntheticSource } from '../visualization/synthetic-study.js';
import type { PlotSource } from '../visualization/types.js';
import { renderReport } from './render-report.js';

const XSS = '<img src=x onerror=alert(1)>';
const now = new Date('2026-02-01T00:00:00Z');

function hostile(directions: ('minimize' | 'maximize')[] = ['minimize']): PlotSource {
  const s = syntheticSource({
    nTrials: 60,
    nParams: 4,
    nSteps: 3,
    directions,
    studyName: `${XSS}</script><script>alert(3)</script>`,
    paramNames: { 0: XSS },
    choices: [XSS, 'b\u2028c', '&amp;'],
  });
  const trials = s.trials.map((t) => ({ ...t, userAttrs: { [XSS]: XSS } }));
  return { ...s, trials, metricNames: directions.map(() => `${XSS}metric`) };
}

function embeddedJson(html: string): {
  plots: { id: string; kind: string; spec: { series: { data: unknown[] }[] } }[];
} {
  const m = /<script type="application\/json" id="tunekit-report-data">([\s\S]*?)<\/script>/.exec(html);
  if (m === null) throw new Error('no data script');
  return JSON.parse(m[1]!);
}

describe('renderReport', () => {
  const html = renderReport(hostile(), { now });

  it('is self-contained: no external scripts, styles or resource loads', () => {
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(html).not.toMatch(/<script[^>]*\ssrc=/i);
    expect(html).not.toMatch(/<link\b/i);
    expect(html).not.toMatch(/(src|href|action)\s*=\s*["']?\s*(https?:)?\/\//i);
    expect(html).not.toMatch(/url\(\s*["']?(https?:)?\/\//i);
    expect(html).not.toMatch(/@import/i);
    // The inlined ECharts library is there (it names XML namespaces, which load nothing).
    expect(html).toContain('echarts');
    expect(html.length).toBeGreaterThan(1_000_000);
  });

  it('allows only its own scripts, by hash, and no network access', () => {
    const csp = /http-equiv="Content-Security-Policy" content="([^"]*)"/.exec(html)![1]!;
    expect(csp).toContain("default-src 'none'");
    const scripts = [...html.matchAll(/<script>([\s\S]*?)<\/script>/g)].map((m) => m[1]!);
    expect(scripts).toHaveLength(2);
    for (const s of scripts) {
      const hash = createHash('sha256').update(s, 'utf8').digest('base64');
      expect(csp).toContain(`'sha256-${hash}'`);
    }
    expect(/script-src ([^;]*)/.exec(csp)![1]).not.toContain('unsafe');
  });

  it('escapes every user string in the page and in the JSON', () => {
    expect(html).not.toContain(XSS);
    expect(html).not.toContain('<script>alert(3)');
    expect(html).not.toContain('\u2028');
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
    // Outside the script elements, no tag but the page's own.
    const outside = html.replace(/<script[^>]*>[\s\S]*?<\/script>/g, '');
    const tags = new Set([...outside.matchAll(/<\/?([a-zA-Z0-9!]+)/g)].map((m) => m[1]!.toLowerCase()));
    expect([...tags].sort()).toEqual(
      [
        '!doctype',
        'body',
        'dd',
        'div',
        'dl',
        'dt',
        'h1',
        'h2',
        'head',
        'header',
        'html',
        'main',
        'meta',
        'p',
        'section',
        'style',
        'table',
        'tbody',
        'td',
        'th',
        'thead',
        'title',
        'tr',
      ].sort(),
    );
    const data = embeddedJson(html);
    expect(JSON.stringify(data)).toContain(XSS); // the decoded JSON holds the raw strings
  });

  it('embeds every applicable plot with its points', () => {
    const data = embeddedJson(html);
    expect(data.plots.map((p) => p.kind)).toEqual([
      'history',
      'intermediate',
      'parallel-coordinate',
      'slice',
      'contour',
      'importance',
      'edf',
      'timeline',
    ]);
    const history = data.plots[0]!.spec.series[0]!.data;
    expect(history).toHaveLength(60);
    for (const p of data.plots) expect(html).toContain(`id="${p.id}"`);
  });

  it('shows the best trial of a single-objective study', () => {
    const source = syntheticSource({ nTrials: 30, studyName: 'plain' });
    const best = source.trials.reduce((a, b) => (a.values![0]! <= b.values![0]! ? a : b));
    const page = renderReport(source, { now, plots: ['history'] });
    const table = /<h2>Best trial<\/h2><table>([\s\S]*?)<\/table>/.exec(page)![1]!;
    expect(table).toContain(`<td class="num">${best.number}</td>`);
    expect(embeddedJson(page).plots.map((p) => p.kind)).toEqual(['history']);
  });

  it('shows the Pareto front and multi-objective plots', () => {
    const page = renderReport(hostile(['minimize', 'maximize']), { now });
    expect(page).toMatch(/<h2>Pareto front \(\d+ trials\)<\/h2>/);
    const kinds = embeddedJson(page).plots.map((p) => p.kind);
    expect(kinds.slice(0, 2)).toEqual(['pareto-front', 'hypervolume-history']);
    expect(page).not.toContain(XSS);
  });

  it('reports an empty study and rejects unknown plot kinds', () => {
    const page = renderReport({ trials: [], directions: ['minimize'], studyName: 'empty' }, { now });
    expect(page).toContain('No complete trial yet.');
    expect(embeddedJson(page).plots).toEqual([]);
    expect(() =>
      renderReport({ trials: [], directions: ['minimize'] }, { plots: ['nope' as 'edf'] }),
    ).toThrow(/nope/);
  });
});
