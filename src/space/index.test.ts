import { describe, expect, it } from 'vitest';
import * as api from './index.js';

describe('tunekit space barrel', () => {
  it('exports the builders, sampling, JSON and enumeration', () => {
    for (const name of [
      'space',
      'float',
      'int',
      'choice',
      'when',
      'sampleSpace',
      'paramsOf',
      'flatParamsOf',
      'spaceToJson',
      'spaceFromJson',
      'enumerateSpace',
      'isSpace',
      'InvalidSpaceError',
      'InfeasibleSpaceError',
    ]) {
      expect(typeof (api as Record<string, unknown>)[name], name).toBe('function');
    }
    const s = api.space({ a: api.choice([1, 2]), b: api.when('a', 2, api.choice(['x', 'y'])) });
    expect(api.enumerateSpace(s)).toEqual([{ a: 1 }, { a: 2, b: 'x' }, { a: 2, b: 'y' }]);
    expect(api.spaceToJson(api.spaceFromJson(api.spaceToJson(s)))).toEqual(api.spaceToJson(s));
  });
});
