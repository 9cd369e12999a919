/// <reference lib="dom" />
/**
 * Charts: draws a plot's ready ECharts option (made on the server) into an element, keeps the
 * instance in `window.__tunekit.charts[kind]` (tests and scripts read them), and resizes charts
 * with their container. ECharts itself is the global script served from `/assets/`.
 * @module
 */
import type * as EChartsModule from 'echarts';

declare const echarts: typeof EChartsModule;

/** An ECharts instance. */
export type Chart = EChartsModule.ECharts;

/** What the page exposes for tests: live charts and what each last showed. */
export interface TunekitWindow {
  charts: Record<string, Chart>;
  /**
   * Per plot kind: the study version and point count of the last drawing, how many drawings, and
   * when the last one finished (`performance.now()`, ms since navigation).
   */
  plots: Record<string, { version: number; nPoints: number; draws: number; at: number; renderMs: number }>;
  /** The study version the page last applied, and the number of live events received. */
  study: { id: number | null; version: number; events: number };
}

declare global {
  interface Window {
    __tunekit: TunekitWindow;
  }
}

/** The global test hook, created on first use. */
export function hook(): TunekitWindow {
  window.__tunekit ??= { charts: {}, plots: {}, study: { id: null, version: 0, events: 0 } };
  return window.__tunekit;
}

const observers = new Map<string, ResizeObserver>();

/** Draws (or redraws) chart `kind` in `el` with `spec`. */
export function drawChart(
  el: HTMLElement,
  kind: string,
  spec: Record<string, unknown>,
  info: { version: number; nPoints: number },
): Chart {
  const t = hook();
  let chart = t.charts[kind];
  if (chart !== undefined && chart.getDom() !== el) {
    disposeChart(kind);
    chart = undefined;
  }
  if (chart === undefined) {
    chart = echarts.init(el, null, { renderer: 'canvas' });
    t.charts[kind] = chart;
    const c = chart;
    // Resize only on a real change: observing fires once at once, and a resize redraws everything.
    const ro = new ResizeObserver(() => {
      if (el.clientWidth !== c.getWidth() || el.clientHeight !== c.getHeight()) c.resize();
    });
    ro.observe(el);
    observers.set(kind, ro);
  }
  const t0 = performance.now();
  chart.setOption(spec as EChartsModule.EChartsOption, { notMerge: true, lazyUpdate: false });
  const at = performance.now();
  const prev = t.plots[kind];
  t.plots[kind] = { ...info, draws: (prev?.draws ?? 0) + 1, at, renderMs: at - t0 };
  return chart;
}

/** Disposes chart `kind`. */
export function disposeChart(kind: string): void {
  const t = hook();
  t.charts[kind]?.dispose();
  delete t.charts[kind];
  delete t.plots[kind];
  observers.get(kind)?.disconnect();
  observers.delete(kind);
}

/** Disposes every chart (leaving a page). */
export function disposeAll(): void {
  for (const kind of Object.keys(hook().charts)) disposeChart(kind);
}
