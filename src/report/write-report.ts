/**
 * `writeReport`: reads a study and writes its self-contained HTML report to a file.
 * @module
 */
import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Study } from '../study/study.js';
import { plotSourceFromStudy } from '../visualization/source.js';
import { type ReportOptions, renderReport } from './render-report.js';

/**
 * Writes the report of `study` (see {@link renderReport}) to `path`; returns the absolute path.
 * @example
 * ```ts
 * const file = await writeReport(study, 'report.html');
 * ```
 */
export async function writeReport(study: Study, path: string, options: ReportOptions = {}): Promise<string> {
  const source = await plotSourceFromStudy(study);
  const html = renderReport(source, options);
  const out = resolve(path);
  await writeFile(out, html, 'utf8');
  return out;
}
