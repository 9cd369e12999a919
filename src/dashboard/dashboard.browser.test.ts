// The dashboard in a real browser (Debian's Chromium via playwright-core): the study list, every
// plot of a study with the right number of points, the trial table's filters, a trial's detail,
// live updates without reload, a multi-objective study's Pareto front, and XSS payloads in every
// user string rendered as text. Screenshots go to test-artifacts/.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { floatDistribution } from '../core/distributions.js';
import type { Storage } from '../storages/base.js';
import { getStorage } from '../storages/get-storage.js';
import { artifactsDir, launchBrowser, SKIP_BROWSER } from './browser-harness.js';
import { type Dashboard, startDashboard } from './server/index.js';
import { seededState, seedStudy } from './test-fixtures.js';

const N = 40;
const STEPS = 6;
const XSS = '<img src=x onerror="window.__xss=1">';

/** Number of points each chart draws, from its live ECharts option. */
async function chartPoints(page: Page): Promise<Record<string, number>> {
  return page.evaluate(() => {
    const out: Record<string, number> = {};
    for (const [kind, chart] of Object.entries(window.__tunekit.charts)) {
      const series = (chart.getOption() as { series?: Array<{ data?: unknown[] }> }).series ?? [];
      out[kind] = series.reduce((n, s) => n + (s.data?.length ?? 0), 0);
    }
    return out;
  });
}

async function waitForPlots(page: Page, kinds: readonly string[], version: number): Promise<void> {
  await page.waitForFunction(
    ({ kinds, version }) =>
      kinds.every(
        (k) => (window.__tunekit?.plots?.[k]?.version ?? -1) >= version && window.__tunekit.charts[k],
      ),
    { kinds, version },
    { timeout: 20_000 },
  );
}

describe.runIf(!SKIP_BROWSER)('dashboard in Chromium', () => {
  let dir: string;
  let storage: Storage;
  let dashboard: Dashboard;
  let browser: Browser;
  let studyId: number;
  let mooId: number;
  let xssId: number;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'tunekit-dash-'));
    const url = `sqlite:///${join(dir, 'dash.db')}`;
    storage = await getStorage(url);
    studyId = await seedStudy(storage, { name: 'mlp-tuning', nTrials: N, steps: STEPS });
    mooId = await seedStudy(storage, {
      name: 'two-objectives',
      nTrials: 24,
      directions: ['minimize', 'maximize'],
    });
    xssId = await seedStudy(storage, {
      name: `xss ${XSS}`,
      nTrials: 8,
      paramNames: [`lr${XSS}`, 'layers', `opt${XSS}`],
      choices: [XSS, '<script>window.__xss=2</script>'],
      userAttrs: { [`note${XSS}`]: XSS },
    });
    const logPath = join(dir, 'xss.log');
    writeFileSync(logPath, `step 1\n${XSS}\n`);
    await storage.createTrial(xssId, {
      state: 'fail',
      userAttrs: { [XSS]: [XSS, { nested: XSS }] },
      systemAttrs: { 'tunekit:log_path': logPath, 'tunekit:fail_reason': XSS },
    });
    dashboard = await startDashboard({ storage, port: 0, pollMs: 200, maxAgeMs: 0 });
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await dashboard?.close();
    await storage?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('lists studies, opens one, draws every plot with the right number of points, filters and opens trials', async () => {
    const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    page.on('console', (m) => {
      if (/Content Security Policy|Refused to/.test(m.text())) errors.push(m.text());
    });
    await page.goto(dashboard.url);
    await page.waitForSelector('a.study-link');
    expect(await page.locator('a.study-link').allTextContents()).toContain('mlp-tuning');
    await page.selectOption('select.sort', 'name');
    const names = await page.locator('a.study-link').allTextContents();
    expect(names).toEqual([...names].sort((a, b) => a.localeCompare(b)));
    await page.fill('input.search', 'mlp');
    expect(await page.locator('a.study-link').allTextContents()).toEqual(['mlp-tuning']);
    await page.click('a.study-link');

    const kinds = [
      'history',
      'intermediate',
      'parallel-coordinate',
      'slice',
      'contour',
      'importance',
      'edf',
      'timeline',
    ];
    await waitForPlots(page, kinds, 1);
    const states = Array.from({ length: N }, (_, i) => seededState(i));
    const nComplete = states.filter((s) => s === 'complete').length;
    const nPruned = states.filter((s) => s === 'pruned').length;
    const points = await chartPoints(page);
    const meta = await page.evaluate(() => window.__tunekit.plots);
    for (const k of kinds) expect(points[k], k).toBe(meta[k]!.nPoints);
    expect(points['parallel-coordinate']).toBe(nComplete);
    expect(points.slice).toBe(3 * nComplete);
    expect(points.edf).toBe(nComplete);
    expect(points.timeline).toBe(N);
    expect(points.intermediate).toBe(nComplete * STEPS + nPruned * (STEPS / 2));
    expect(points.history).toBeGreaterThanOrEqual(nComplete);
    expect(points.importance).toBe(3);
    expect(await page.locator('.summary [data-state=pruned]').textContent()).toBe(`pruned: ${nPruned}`);

    // The contour's pair chooser redraws it for the chosen pair.
    const contourDraws = await page.evaluate(() => window.__tunekit.plots.contour!.draws);
    await page.selectOption('select.contour-x', 'x');
    await page.selectOption('select.contour-y', 'n');
    await page.waitForFunction((n) => window.__tunekit.plots.contour!.draws >= n + 2, contourDraws);
    const axes = await page.evaluate(() => {
      const o = window.__tunekit.charts.contour!.getOption() as { series: Array<{ dimensions: string[] }> };
      return o.series[0]!.dimensions.slice(0, 2);
    });
    expect(axes).toEqual(['x', 'n']);

    // The table: filter by state, then by a parameter range, then page.
    await page.waitForSelector('tr.trial-row');
    expect(await page.locator('section.trials').getAttribute('data-total')).toBe(String(N));
    await page.check('input[name=state][value=pruned]');
    await page.waitForFunction(
      (n) => document.querySelector('section.trials')?.getAttribute('data-total') === String(n),
      nPruned,
    );
    const prunedRows = await page.locator('tr.trial-row td:nth-child(2)').allTextContents();
    expect(new Set(prunedRows)).toEqual(new Set(['pruned']));
    await page.uncheck('input[name=state][value=pruned]');
    await page.selectOption('select.filter-target', 'param.x');
    await page.fill('input.filter-min', '0');
    await page.click('button.add-filter');
    await page.waitForFunction(
      (n) => document.querySelector('section.trials')?.getAttribute('data-total') !== String(n),
      N,
    );
    const total = Number(await page.locator('section.trials').getAttribute('data-total'));
    expect(total).toBeGreaterThan(0);
    expect(total).toBeLessThan(N);
    const xs = await page.locator('tr.trial-row td:nth-child(5)').allTextContents();
    for (const x of xs) expect(Number(x)).toBeGreaterThanOrEqual(0);
    await page.click('button.remove-filter');
    await page.waitForFunction(
      (n) => document.querySelector('section.trials')?.getAttribute('data-total') === String(n),
      N,
    );
    // Sort by value, descending: the first row has the largest value.
    await page.click('th[data-sort="value.0"]');
    await page.click('th[data-sort="value.0"]');
    await page.waitForFunction(() =>
      document.querySelector('th[data-sort="value.0"]')?.textContent?.includes('▼'),
    );
    await page.waitForFunction(() =>
      document.querySelector('.pager .range')?.textContent?.startsWith('1–25'),
    );

    // A trial's detail.
    await page.click('tr.trial-row[data-number="3"]');
    await page.waitForSelector('.detail h2');
    expect(await page.locator('.detail h2').textContent()).toContain('Trial 3');
    await page.waitForFunction(() => window.__tunekit.charts['trial-intermediate'] !== undefined);
    expect((await chartPoints(page))['trial-intermediate']).toBe(STEPS);
    await page.screenshot({ path: join(artifactsDir(), 'dashboard-study.png'), fullPage: true });
    expect(errors).toEqual([]);
    await page.close();
  });

  it('updates counts, table and plots live when a trial is added, without reloading', async () => {
    const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    await page.goto(`${dashboard.url}#/studies/${studyId}`);
    await waitForPlots(page, ['timeline', 'parallel-coordinate'], 1);
    await page.evaluate(() => {
      (window as unknown as { __marker: number }).__marker = 42;
    });
    const before = await chartPoints(page);
    const v0 = await page.evaluate(() => window.__tunekit.study.version);
    const x = floatDistribution(-5, 5);
    await storage.createTrial(studyId, {
      state: 'complete',
      params: { x: 1.5 },
      distributions: { x },
      values: [0.001],
      intermediateValues: new Map([[0, 1]]),
    });
    await page.waitForFunction((v) => window.__tunekit.study.version > v, v0, { timeout: 10_000 });
    await page.waitForFunction(() =>
      document.querySelector('.summary [data-state=complete]')?.textContent?.startsWith('complete:'),
    );
    const v1 = await page.evaluate(() => window.__tunekit.study.version);
    await waitForPlots(page, ['timeline', 'parallel-coordinate', 'history'], v1);
    const after = await chartPoints(page);
    expect(after.timeline).toBe(before.timeline! + 1);
    expect(await page.locator('.summary .n-trials').textContent()).toBe(`${N + 1} trials`);
    expect(await page.locator('.summary .best').textContent()).toBe('best: 0.001');
    await page.waitForFunction(
      (n) => document.querySelector('section.trials')?.getAttribute('data-total') === String(n),
      N + 1,
    );
    // Same page: no reload happened.
    expect(await page.evaluate(() => (window as unknown as { __marker?: number }).__marker)).toBe(42);
    expect(await page.evaluate(() => window.__tunekit.study.events)).toBeGreaterThan(0);
    await page.screenshot({ path: join(artifactsDir(), 'dashboard-live.png'), fullPage: true });
    await page.close();
  });

  it('draws the Pareto front of a multi-objective study', async () => {
    const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    await page.goto(`${dashboard.url}#/studies/${mooId}`);
    await page.waitForSelector('.plots .card');
    const study = (await (await fetch(new URL(`/api/studies/${mooId}`, dashboard.url))).json()) as {
      plots: string[];
    };
    expect(study.plots).toContain('pareto-front');
    await waitForPlots(page, study.plots, 1);
    const points = await chartPoints(page);
    const nComplete = Array.from({ length: 24 }, (_, i) => seededState(i)).filter(
      (s) => s === 'complete',
    ).length;
    expect(points['pareto-front']).toBe(nComplete);
    // The hypervolume grows by steps: at least one step, never more than one per complete trial.
    expect(points['hypervolume-history']).toBeGreaterThan(0);
    expect(points['hypervolume-history']).toBeLessThanOrEqual(nComplete + 1);
    await page.screenshot({ path: join(artifactsDir(), 'dashboard-pareto.png'), fullPage: true });
    await page.close();
  });

  it('with allowWrites, marks a running trial failed from its detail', async () => {
    const writable = await startDashboard({ storage, port: 0, allowWrites: true, pollMs: 200, maxAgeMs: 0 });
    try {
      const running = await storage.createTrial(mooId, { state: 'running' });
      const page = await browser.newPage();
      await page.goto(`${writable.url}#/studies/${mooId}/trials/${running.number}`);
      await page.waitForSelector('button.tell-fail');
      expect(await page.locator('header .mode').textContent()).toMatch(/read-write/);
      await page.click('button.tell-fail');
      await page.waitForFunction(() => document.querySelector('.detail .badge')?.textContent === 'fail');
      expect((await storage.getTrial(running.trialId)).state).toBe('fail');
      expect(await page.locator('button.tell-fail').count()).toBe(0);
      await page.close();
    } finally {
      await writable.close();
    }
  });

  it('with a token: the printed URL sets the cookie and works; without it the page says what to do', async () => {
    const token = 'browser-token-42';
    const guarded = await startDashboard({ storage, port: 0, token });
    try {
      const context = await browser.newContext();
      const page = await context.newPage();
      await page.goto(guarded.url);
      await page.waitForSelector('a.study-link');
      expect(page.url()).not.toContain('token=');
      const cookies = await context.cookies();
      expect(cookies.find((c) => c.name === 'tunekit_dashboard_token')?.httpOnly).toBe(true);
      await context.close();

      const stranger = await browser.newPage();
      await stranger.goto(`http://127.0.0.1:${guarded.port}/`);
      await stranger.waitForSelector('.banner .error');
      expect(await stranger.locator('.banner .error').textContent()).toMatch(/needs its token/);
      expect(await stranger.locator('a.study-link').count()).toBe(0);
      await stranger.close();
    } finally {
      await guarded.close();
    }
  });

  it('shows XSS payloads in names, choices and attributes as text, never running them', async () => {
    const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    const violations: string[] = [];
    page.on('console', (m) => {
      if (/Content Security Policy|Refused to/.test(m.text())) violations.push(m.text());
    });
    await page.goto(dashboard.url);
    await page.waitForSelector('a.study-link');
    expect(await page.locator('a.study-link').allTextContents()).toContain(`xss ${XSS}`);
    await page.goto(`${dashboard.url}#/studies/${xssId}/trials/0`);
    await page.waitForSelector('.detail table.params');
    await waitForPlots(page, ['parallel-coordinate', 'slice', 'contour'], 1);
    expect(await page.locator('.crumbs h1').textContent()).toBe(`xss ${XSS}`);
    const paramText = await page.locator('.detail table.params').textContent();
    expect(paramText).toContain(`lr${XSS}`);
    expect(paramText).toContain(XSS);
    expect(await page.locator('.detail table.user-attrs').textContent()).toContain(`note${XSS}`);
    expect(await page.locator('th[data-sort^="param.opt"]').textContent()).toBe(`opt${XSS}`);
    // No element was created from the payloads.
    expect(await page.locator('img').count()).toBe(0);
    expect(await page.locator('main script').count()).toBe(0);
    // The failed trial: attributes, fail reason and its log, all as text.
    await page.goto(`${dashboard.url}#/studies/${xssId}/trials/8`);
    await page.waitForSelector('.detail pre.log-text');
    expect(await page.locator('.detail pre.log-text').textContent()).toBe(`step 1\n${XSS}\n`);
    expect(await page.locator('.detail table.system-attrs').textContent()).toContain(XSS);
    expect(await page.locator('.detail table.user-attrs').textContent()).toContain(
      `{"nested":"${XSS.replaceAll('"', '\\"')}"}`,
    );
    await page.goto(`${dashboard.url}#/studies/${xssId}`);
    await waitForPlots(page, ['parallel-coordinate', 'slice', 'contour'], 1);
    // Hover the charts so that tooltips render the names too.
    for (const kind of ['parallel-coordinate', 'slice', 'contour']) {
      const box = await page.locator(`.chart[data-kind="${kind}"]`).boundingBox();
      if (box) await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    }
    await page.waitForTimeout(300);
    expect(await page.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined();
    // The strict policy (no inline scripts or styles) holds with charts and tooltips drawn.
    expect(violations).toEqual([]);
    await page.screenshot({ path: join(artifactsDir(), 'dashboard-xss.png'), fullPage: true });
    await page.close();
  });
});
