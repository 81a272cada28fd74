export type Cell = string | number | boolean | null | undefined;

/** Characters that make a spreadsheet read a cell as a formula: a student's name must stay text. */
const FORMULA_START = /^[=+\-@\t\r]/;

function cell(value: Cell): string {
  if (value === null || value === undefined) return '';
  if (typeof value !== 'string') return String(value);
  const text = FORMULA_START.test(value) ? `'${value}` : value;
  return /[",\r\n]|^\s|\s$/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/**
 * A table as CSV (RFC 4180: CRLF line ends, quoted fields where needed).
 * Text cells that a spreadsheet would run as a formula get a leading `'`;
 * numbers are written as they are.
 */
export function toCsv(columns: readonly string[], rows: readonly (readonly Cell[])[]): string {
  return [columns, ...rows].map((row) => row.map(cell).join(',')).join('\r\n') + '\r\n';
}

/** A named table: one CSV file in an export. */
export interface Table {
  name: string;
  columns: string[];
  rows: Cell[][];
}

export const tableCsv = (t: Table): string => toCsv(t.columns, t.rows);
