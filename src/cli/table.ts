/**
 * Plain-text tables for the CLI's human output: a header row, columns separated by two spaces, padded
 * to the widest cell, no trailing spaces (so `grep`/`awk` see clean lines).
 */

/** Renders rows under headers; every cell is single-line (newlines and tabs become spaces). */
export function renderTable(headers: readonly string[], rows: ReadonlyArray<readonly string[]>): string {
  const clean = (cell: string | undefined): string => (cell ?? '').replace(/[\r\n\t]+/g, ' ');
  const all = [headers.map(clean), ...rows.map((r) => headers.map((_, i) => clean(r[i])))];
  const widths = headers.map((_, i) => Math.max(...all.map((r) => (r[i] as string).length)));
  return all
    .map((r) =>
      r
        .map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd(widths[i] as number)))
        .join('  ')
        .trimEnd(),
    )
    .map((line) => `${line}\n`)
    .join('');
}

/** A table, or `empty` (e.g. "No APIs.") when there are no rows. */
export function tableOrEmpty(
  headers: readonly string[],
  rows: ReadonlyArray<readonly string[]>,
  empty: string,
): string {
  return rows.length === 0 ? `${empty}\n` : renderTable(headers, rows);
}

/** A cell for an optional value: `-` when absent. */
export function cell(value: unknown): string {
  if (value === undefined || value === null || value === '') return '-';
  return String(value);
}
