/// <reference lib="dom" />
/**
 * A study's page: its summary (counts by state, best value), every plot that applies (drawn from
 * the server's ready chart options), the trial table and a trial's detail. Live events refresh
 * the counts and the table at once and the plots at most every {@link PLOT_REFRESH_MS}.
 * @module
 */
import { dashboardPlotQuery } from '../plot-defaults.js';
import { ApiError, getJson, query, sendJson } from './api.js';
import { disposeAll, drawChart, hook } from './charts.js';
import { fmtDate, fmtNumber, h, replace } from './dom.js';
import { subscribeStudy } from './live.js';
import type { Page } from './study-list.js';
import { showTrialDetail } from './trial-detail.js';
import { trialTable } from './trial-table.js';
import type { Counts, Info, PlotResultJson, StudyDetail, StudyEvent } from './types.js';

/** The least time between two refreshes of the plots after live changes. */
export const PLOT_REFRESH_MS = 1500;

const STATES = ['complete', 'pruned', 'fail', 'running', 'waiting'] as const;

const PLOT_TITLES: Record<string, string> = {
  history: 'Optimization history',
  intermediate: 'Intermediate values',
  'parallel-coordinate': 'Parallel coordinates',
  slice: 'Slice',
  contour: 'Contour',
  importance: 'Hyperparameter importance',
  edf: 'Empirical distribution',
  timeline: 'Timeline',
  'pareto-front': 'Pareto front',
  'hypervolume-history': 'Hypervolume history',
};

/** Mounts the page of study `id`; `trial` opens that trial's detail. */
export function studyPage(
  id: number,
  info: Info,
  onError: (e: unknown) => void,
): Page & { openTrial(n: number | null): void } {
  const t = hook();
  t.study = { id, version: 0, events: 0 };
  const title = h('h1', {}, '…');
  const summary = h('div', { class: 'summary' });
  const liveBadge = h('span', { class: 'live off' }, 'offline');
  const plotsEl = h('section', { class: 'plots' });
  const tableSlot = h('div');
  const detailEl = h('section', { class: 'detail' });
  const root = h(
    'div',
    { class: 'study-page' },
    h('nav', { class: 'crumbs' }, h('a', { href: '#/' }, 'Studies'), ' / ', title, ' ', liveBadge),
    summary,
    plotsEl,
    tableSlot,
    detailEl,
  );
  let study: StudyDetail | null = null;
  let table: ReturnType<typeof trialTable> | null = null;
  let openNumber: number | null = null;
  /** The contour's pair once the user picked one (null: the server's default, the first two). */
  let contourPair: [string, string] | null = null;
  let evaluator: string | null = null;
  let left = false;
  const cards = new Map<string, HTMLElement>();
  const errors = new Map<string, HTMLElement>();
  const notes = new Map<string, HTMLElement>();

  function renderSummary(s: {
    counts: Counts;
    nTrials: number;
    bestValue: number | null;
    version: number;
  }): void {
    if (study === null) return;
    replace(
      summary,
      h('span', { class: 'directions' }, study.directions.join(', ')),
      h('span', { class: 'n-trials' }, `${s.nTrials} trials`),
      ...STATES.map((st) =>
        h('span', { class: `count state-${st}`, dataset: { state: st } }, `${st}: ${s.counts[st]}`),
      ),
      study.directions.length === 1 ? h('span', { class: 'best' }, `best: ${fmtNumber(s.bestValue)}`) : null,
      h('span', { class: 'muted' }, `last activity: ${fmtDate(study.lastActivity)}`),
      info.allowWrites
        ? h(
            'button',
            {
              type: 'button',
              class: 'delete-study danger',
              onclick: () => void deleteStudy(),
            },
            'Delete study',
          )
        : null,
    );
    summary.dataset.version = String(s.version);
  }

  async function deleteStudy(): Promise<void> {
    if (study === null || !window.confirm(`Delete study "${study.name}" and all its trials?`)) return;
    try {
      await sendJson('DELETE', `/api/studies/${study.id}`);
      window.location.hash = '#/';
    } catch (e) {
      onError(e);
    }
  }

  function plotQuery(kind: string): string {
    const pairs = dashboardPlotQuery(kind);
    if (kind === 'contour' && contourPair !== null) {
      pairs.push(['params', contourPair[0]], ['params', contourPair[1]]);
    }
    if (kind === 'importance' && evaluator !== null) pairs.push(['evaluator', evaluator]);
    return query(pairs);
  }

  function importanceChooser(): HTMLElement {
    return h(
      'div',
      { class: 'pair' },
      'method ',
      h(
        'select',
        {
          class: 'importance-evaluator',
          onchange: (e) => {
            evaluator = (e.target as HTMLSelectElement).value;
            void loadPlot('importance');
          },
        },
        h(
          'option',
          { value: 'fanova', selected: evaluator === null || evaluator === 'fanova' },
          'fANOVA (random forest)',
        ),
        h('option', { value: 'ped-anova', selected: evaluator === 'ped-anova' }, 'PED-ANOVA (fast)'),
      ),
    );
  }

  function contourChooser(): HTMLElement | null {
    if (study === null) return null;
    const names = study.params.map((p) => p.name);
    if (names.length < 2) return null;
    const shown: [string, string] = contourPair ?? [names[0]!, names[1]!];
    const pick = (i: 0 | 1) =>
      h(
        'select',
        {
          class: `contour-${i === 0 ? 'x' : 'y'}`,
          onchange: (e) => {
            const next: [string, string] = [...(contourPair ?? shown)];
            next[i] = (e.target as HTMLSelectElement).value;
            contourPair = next;
            if (next[0] !== next[1]) void loadPlot('contour');
          },
        },
        ...names.map((n) => h('option', { value: n, selected: shown[i] === n }, n)),
      );
    return h('div', { class: 'pair' }, 'x ', pick(0), ' y ', pick(1));
  }

  function buildCards(): void {
    if (study === null) return;
    replace(plotsEl);
    cards.clear();
    for (const kind of study.plots) {
      const chartEl = h('div', { class: 'chart', dataset: { kind } });
      if (kind === 'slice') {
        // About 280 px per row of three panels (the spec lays them out so).
        chartEl.style.height = `${Math.max(340, Math.ceil(study.params.length / 3) * 260)}px`;
      }
      const err = h('p', { class: 'error' });
      const note = h('p', { class: 'muted note' });
      cards.set(kind, chartEl);
      errors.set(kind, err);
      notes.set(kind, note);
      plotsEl.append(
        h(
          'article',
          { class: `card plot-${kind}` },
          h('h3', {}, PLOT_TITLES[kind] ?? kind),
          kind === 'contour' ? contourChooser() : null,
          kind === 'importance' ? importanceChooser() : null,
          chartEl,
          note,
          err,
        ),
      );
    }
  }

  async function loadPlot(kind: string): Promise<void> {
    const el = cards.get(kind);
    if (el === undefined || study === null) return;
    const version = t.study.version;
    try {
      const r = await getJson<PlotResultJson>(`/api/studies/${id}/plots/${kind}${plotQuery(kind)}`);
      if (left) return;
      drawChart(el, kind, r.spec, { version, nPoints: r.meta.nPoints });
      errors.get(kind)!.textContent = '';
      notes.get(kind)!.textContent = r.meta.downsampled
        ? `${r.meta.nPoints} points shown of ${r.meta.totalTrials} trials (downsampled)`
        : '';
    } catch (e) {
      if (left) return;
      errors.get(kind)!.textContent = e instanceof ApiError ? e.message : String(e);
      const prev = t.plots[kind];
      t.plots[kind] = {
        version,
        nPoints: 0,
        draws: (prev?.draws ?? 0) + 1,
        at: performance.now(),
        renderMs: 0,
      };
    }
  }

  async function loadPlots(): Promise<void> {
    if (study === null) return;
    await Promise.all(study.plots.map((k) => loadPlot(k)));
  }

  async function loadStudy(): Promise<StudyDetail> {
    const s = await getJson<StudyDetail>(`/api/studies/${id}`);
    study = s;
    title.textContent = s.name;
    document.title = `${s.name} — tunekit`;
    return s;
  }

  async function openTrial(n: number | null): Promise<void> {
    openNumber = n;
    if (n === null || study === null) {
      replace(detailEl);
      return;
    }
    try {
      await showTrialDetail(detailEl, study, n, info.allowWrites, () => void refresh([n], false));
    } catch (e) {
      replace(detailEl, h('p', { class: 'error' }, e instanceof ApiError ? e.message : String(e)));
    }
  }

  let lastPlotRefresh = 0;
  let plotTimer: ReturnType<typeof setTimeout> | null = null;
  function schedulePlots(): void {
    if (plotTimer !== null) return;
    const wait = Math.max(0, lastPlotRefresh + PLOT_REFRESH_MS - Date.now());
    plotTimer = setTimeout(() => {
      plotTimer = null;
      lastPlotRefresh = Date.now();
      void loadPlots();
    }, wait);
  }

  async function refresh(changed: readonly number[], reset: boolean): Promise<void> {
    try {
      if (study === null) return;
      const before = study?.params.length ?? 0;
      const s = await loadStudy();
      t.study.version = s.version;
      renderSummary(s);
      table?.setStudy(s);
      if (s.params.length !== before || s.plots.length !== cards.size) {
        buildCards();
        void loadPlots();
      } else schedulePlots();
      await table?.reload();
      if (openNumber !== null && (reset || changed.includes(openNumber))) await openTrial(openNumber);
    } catch (e) {
      onError(e);
    }
  }

  const sub = subscribeStudy(
    id,
    () => t.study.version,
    (e: StudyEvent) => {
      // The page loads the study itself first; events only bring what is newer.
      if (study === null || e.version <= t.study.version) return;
      t.study.events++;
      renderSummary({ ...e });
      void refresh(e.changed, e.reset);
    },
    (connected) => {
      liveBadge.className = connected ? 'live on' : 'live off';
      liveBadge.textContent = connected ? 'live' : 'offline';
    },
  );

  void (async () => {
    try {
      const s = await loadStudy();
      t.study.version = s.version;
      renderSummary(s);
      buildCards();
      table = trialTable(
        s,
        (n) => {
          window.location.hash = `#/studies/${id}/trials/${n}`;
        },
        onError,
      );
      replace(tableSlot, table.root);
      await Promise.all([loadPlots(), table.reload(), openNumber === null ? null : openTrial(openNumber)]);
    } catch (e) {
      onError(e);
    }
  })();

  return {
    root,
    leave: () => {
      left = true;
      sub.close();
      if (plotTimer !== null) clearTimeout(plotTimer);
      disposeAll();
    },
    openTrial: (n) => {
      if (study === null) openNumber = n;
      else void openTrial(n);
    },
  };
}
