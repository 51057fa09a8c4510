// Pads rows of cells into aligned columns for the terminal, and formats the numbers in them (the HTML
// report's too); used once per printed table.

export type Align = 'left' | 'right';

/** Rows of cells as text: the first column left-aligned, the rest right-aligned unless `align` says otherwise. */
export function textTable(rows: readonly (readonly string[])[], align: readonly Align[] = []): string {
  const columns = Math.max(0, ...rows.map((row) => row.length));
  const widths = Array.from({ length: columns }, (_, c) => Math.max(0, ...rows.map((row) => (row[c] ?? '').length)));
  return rows
    .map((row) =>
      row
        .map((cell, c) => {
          const a = align[c] ?? (c === 0 ? 'left' : 'right');
          return a === 'left' ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!);
        })
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

/** 12345.6 → "12,346" (digits 0), with grouping; "—" for null. */
export function num(value: number | null | undefined, digits = 0): string {
  if (value === null || value === undefined || Number.isNaN(value)) return '—';
  return value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

/** A time in ms for a table: three decimals, one from 100 ms up. */
export function ms(value: number): string {
  return num(value, value >= 100 ? 1 : 3);
}

/** 0.1234 → "12.3 %". */
export function percent(share: number): string {
  return `${(share * 100).toFixed(1)} %`;
}
