import { describe, expect, it } from 'vitest';
import type { ParzenDim } from './parzen-estimator.js';
import { clipToTrustRegion, TPE_TRUST_REGION_SCALE } from './warm-trust-region.js';

describe('clipToTrustRegion', () => {
  it('clips numeric coordinates to scale × side of the range around the centre, cut at the domain, and leaves categories', () => {
    const dims: ParzenDim[] = [
      { kind: 'numeric', lo: 0, hi: 10, step: 0 },
      { kind: 'categorical', nChoices: 3 },
      { kind: 'numeric', lo: -1, hi: 1, step: 0 },
    ];
    // Side 0.8: half-widths 0.25 · 0.8 · 10 / 2 = 1 and 0.25 · 0.8 · 2 / 2 = 0.2.
    expect(TPE_TRUST_REGION_SCALE).toBe(0.25);
    const cands = Float64Array.of(9, 2, -1, 5.5, 0, 0.95, 0, 1, 0.5);
    clipToTrustRegion(cands, 3, dims, [5, 1, 0.9], 0.8);
    expect(Array.from(cands)).toEqual([6, 2, 0.7, 5.5, 0, 0.95, 4, 1, 0.7]);
  });
});
