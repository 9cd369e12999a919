// The plot service: options from the query, one computation per study version and options,
// importance reused for a newer version for a while, older versions dropped.
import { describe, expect, it } from 'vitest';
import { InMemoryStorage } from '../../storages/in-memory/in-memory-storage.js';
import type { PlotResult, PlotSource } from '../../visualization/types.js';
import { seedStudy } from '../test-fixtures.js';
import { PlotService, plotOptions } from './plots.js';
import { StudyCaches } from './study-cache.js';

function counting(): {
  calls: Record<string, number>;
  registry: Record<string, (s: PlotSource) => PlotResult>;
} {
  const calls: Record<string, number> = {};
  const make = (kind: 'history' | 'importance') => (s: PlotSource) => {
    calls[kind] = (calls[kind] ?? 0) + 1;
    return {
      kind,
      title: kind,
      data: { n: s.trials.length },
      spec: { series: [{ data: s.trials.map((t) => t.number) }] },
      meta: { nPoints: s.trials.length, totalTrials: s.trials.length, downsampled: false },
    };
  };
  return { calls, registry: { history: make('history'), importance: make('importance') } };
}

describe('PlotService', () => {
  it('turns a query into options: numbers, booleans, lists, text', () => {
    const q = new URLSearchParams(
      'maxPoints=100&logScale=true&params=a&params=b&targetName=42&omit=data&token=t',
    );
    expect(plotOptions(q)).toEqual({ maxPoints: 100, logScale: true, params: ['a', 'b'], targetName: '42' });
    expect(plotOptions(new URLSearchParams('params=only'))).toEqual({ params: ['only'] });
  });

  it('computes once per version and options; reuses importance for a newer version; drops old ones', async () => {
    const storage = new InMemoryStorage();
    const id = await seedStudy(storage, { name: 's', nTrials: 5 });
    const caches = new StudyCaches(storage);
    const { calls, registry } = counting();
    const plots = new PlotService(registry);
    let c = await caches.get(id, 0);
    const a = await plots.plot(c, 'history', new URLSearchParams('omit=data'));
    const b = await plots.plot(c, 'history', new URLSearchParams('omit=data'));
    expect(b).toBe(a);
    expect(JSON.parse(a.json).data).toBeNull();
    expect(JSON.parse(a.json).meta.nPoints).toBe(5);
    await plots.plot(c, 'history', new URLSearchParams('maxPoints=3&omit=data'));
    expect(calls.history).toBe(2);
    const imp = await plots.plot(c, 'importance', new URLSearchParams());
    const bytes = plots.cachedBytes;
    expect(bytes).toBeGreaterThan(0);

    await storage.createTrial(id, { state: 'running' });
    c = await caches.get(id, 0);
    const h2 = await plots.plot(c, 'history', new URLSearchParams('omit=data'));
    expect(h2.key).not.toBe(a.key);
    expect(JSON.parse(h2.json).meta.nPoints).toBe(6);
    expect(calls.history).toBe(3);
    // Importance within its reuse window: the earlier result.
    expect(await plots.plot(c, 'importance', new URLSearchParams())).toBe(imp);
    expect(calls.importance).toBe(1);
    // The older history results were dropped.
    expect(plots.cachedBytes).toBeLessThan(bytes + h2.json.length);
  });
});
