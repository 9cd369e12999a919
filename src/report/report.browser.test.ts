import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { artifactsDir, launchBrowser, SKIP_BROWSER } from '../dashboard/browser-harness.js';
import { syntheticSource } from '../visualization/synthetic-study.js';
import type { PlotSource } from '../visualization/types.js';
import { renderReport } from './render-report.js';

const XSS = '<img src=x onerror=alert(1)>';

function hostile(directions: ('minimize' | 'maximize')[]): PlotSource {
  const s = syntheticSource({
    nTrials: 150,
    nParams: 4,
    nSteps: 5,
    nWorkers: 3,
    prunedFraction: 0.2,
    directions,
    studyName: `${XSS}</script><script>alert(3)</script>`,
    paramNames: { 0: XSS },
    choices: [XSS, 'sgd', 'adam'],
  });
  return { ...s, metricNames: directions.map((_, i) => `${XSS}${i}`) };
}

describe.runIf(!SKIP_BROWSER)('the report in Chromium', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });

  for (const directions of [['minimize'], ['minimize', 'maximize']] as const) {
    it(`renders every chart offline with no script injection (${directions.length} objective(s))`, async () => {
      const html = renderReport(hostile([...directions]), { now: new Date('2026-02-01T00:00:00Z') });
      const dir = artifactsDir();
      const file = join(dir, `report-${directions.length}.html`);
      writeFileSync(file, html);
      const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, offline: true });
      const page = await context.newPage();
      const dialogs: string[] = [];
      const errors: string[] = [];
      const requests: string[] = [];
      page.on('dialog', (d) => {
        dialogs.push(d.message());
        void d.dismiss();
      });
      page.on('pageerror', (e) => errors.push(e.message));
      page.on('console', (m) => {
        if (m.type() === 'error') errors.push(m.text());
      });
      page.on('request', (r) => {
        if (!r.url().startsWith('file:')) requests.push(r.url());
      });
      await page.goto(pathToFileURL(file).href);
      await page.waitForFunction(
        () => (window as unknown as { tunekitCharts?: unknown[] }).tunekitCharts !== undefined,
      );
      const embedded = JSON.parse((await page.textContent('#tunekit-report-data')) ?? '{}') as {
        plots: { id: string; kind: string; spec: { series: { data: unknown[] }[] } }[];
      };
      const rendered = await page.evaluate(() => {
        const charts = (
          window as unknown as {
            tunekitCharts: { getOption(): { series: { data: unknown[] }[] }; getDom(): HTMLElement }[];
          }
        ).tunekitCharts;
        return charts.map((c) => ({
          id: c.getDom().id,
          points: c.getOption().series.reduce((s, x) => s + x.data.length, 0),
          canvas: c.getDom().querySelector('canvas') !== null,
        }));
      });
      expect(rendered.map((r) => r.id)).toEqual(embedded.plots.map((p) => p.id));
      for (const [k, p] of embedded.plots.entries()) {
        const expected = p.spec.series.reduce((s, x) => s + x.data.length, 0);
        expect(rendered[k]!.points, p.kind).toBe(expected);
        expect(rendered[k]!.canvas, p.kind).toBe(true);
        if (p.kind !== 'importance' || directions.length === 1) expect(expected, p.kind).toBeGreaterThan(0);
      }
      // Hover across every chart so tooltips show user strings.
      for (const p of embedded.plots) {
        const box = await page.locator(`#${p.id}`).boundingBox();
        if (box === null) continue;
        await page.locator(`#${p.id}`).scrollIntoViewIfNeeded();
        const b = (await page.locator(`#${p.id}`).boundingBox())!;
        for (let fx = 0.1; fx < 0.95; fx += 0.1) {
          for (let fy = 0.2; fy < 0.95; fy += 0.15)
            await page.mouse.move(b.x + b.width * fx, b.y + b.height * fy);
        }
      }
      await page.waitForTimeout(200);
      expect(dialogs).toEqual([]);
      expect(errors).toEqual([]);
      expect(requests).toEqual([]);
      expect(await page.locator('img').count()).toBe(0);
      expect(await page.locator('script').count()).toBe(3);
      expect(await page.title()).toContain(XSS); // shown as text
      await page.screenshot({ path: join(dir, `report-${directions.length}.png`), fullPage: true });
      await context.close();
    });
  }
});
