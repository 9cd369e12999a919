/**
 * Rendering rows as an aligned table, JSON or CSV.
 * @module
 */
import type { Format } from './options.js';

/** A row: column name → printable value. */
export type Row = Record<string, string | number | boolean | null>;

function csvCell(v: Row[string]): string {
  const s = v === null ? '' : String(v);
  return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** Renders rows in the chosen format (columns from the union of keys, in first-seen order). */
export function render(rows: readonly Row[], format: Format): string {
  if (format === 'json') return JSON.stringify(rows, null, 2);
  const columns: string[] = [];
  for (const r of rows) for (const k of Object.keys(r)) if (!columns.includes(k)) columns.push(k);
  if (format === 'csv') {
    return [
      columns.map(csvCell).join(','),
      ...rows.map((r) => columns.map((c) => csvCell(r[c] ?? null)).join(',')),
    ].join('\n');
  }
  if (rows.length === 0) return '(none)';
  const cells = rows.map((r) =>
    columns.map((c) => (r[c] === null || r[c] === undefined ? '' : String(r[c]))),
  );
  const widths = columns.map((c, i) => Math.max(c.length, ...cells.map((row) => row[i]!.length)));
  const line = (xs: string[]) =>
    xs
      .map((x, i) => x.padEnd(widths[i]!))
      .join('  ')
      .trimEnd();
  return [line(columns), line(widths.map((w) => '-'.repeat(w))), ...cells.map(line)].join('\n');
}
