// Rules of the code base that a linter cannot express: checked over the source tree.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = import.meta.dirname;

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    if (e.isDirectory()) return e.name === '__fixtures__' ? [] : files(p);
    return p.endsWith('.ts') && !p.endsWith('.test.ts') ? [p] : [];
  });
}

const sources = files(root).map((p) => ({ path: relative(root, p), text: readFileSync(p, 'utf8') }));

describe('architecture', () => {
  it('has library sources to check', () => {
    expect(sources.length).toBeGreaterThan(20);
  });

  it('never uses Math.random in library code (samplers take a seed)', () => {
    const offenders = sources.filter((s) => /Math\.random\s*\(/.test(s.text)).map((s) => s.path);
    expect(offenders).toEqual([]);
  });

  it('keeps src/math pure: no imports from study, trial, storages or samplers', () => {
    const offenders = sources
      .filter((s) => s.path.startsWith('math/'))
      .flatMap((s) =>
        [...s.text.matchAll(/from\s+'([^']+)'/g)]
          .map((m) => m[1]!)
          .filter((spec) => /\/(study|trial|storages|samplers|pruners)\//.test(spec))
          .map((spec) => `${s.path} imports ${spec}`),
      );
    expect(offenders).toEqual([]);
  });

  it('uses kebab-case file names and named exports only', () => {
    const badNames = sources.map((s) => s.path).filter((p) => !/^[a-z0-9/.-]+$/.test(p));
    expect(badNames).toEqual([]);
    const defaults = sources.filter((s) => /^export default/m.test(s.text)).map((s) => s.path);
    expect(defaults).toEqual([]);
  });

  it('loads no native driver from the main entry point', () => {
    const index = sources.find((s) => s.path === 'index.ts')!;
    expect(index.text).not.toMatch(/better-sqlite3|'pg'/);
    const staticDriverImports = sources
      .filter((s) => /^import\s[^;]*from\s+'(better-sqlite3|pg)'/m.test(s.text))
      .filter(
        (s) => !/^import type/m.test(s.text.match(/^import[^;]*from\s+'(better-sqlite3|pg)'/m)?.[0] ?? ''),
      )
      .map((s) => s.path);
    expect(staticDriverImports).toEqual([]);
  });
});
