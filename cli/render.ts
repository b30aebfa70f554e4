/** Plain-text rendering for people: aligned tables, progress bars and ANSI colours. */

/** One column of a table. */
export interface Column<Row> {
  header: string;
  value(row: Row): string;
  align?: 'left' | 'right';
  /** Longer cells are cut with an ellipsis. */
  maxWidth?: number;
}

/** Width of a string on a terminal, counting code points and ignoring ANSI colour codes. */
export function displayWidth(text: string): number {
  // eslint-disable-next-line no-control-regex
  return [...text.replace(/\x1b\[[0-9;]*m/g, '')].length;
}

function truncate(text: string, maxWidth: number | undefined): string {
  if (maxWidth === undefined || displayWidth(text) <= maxWidth) return text;
  return `${[...text].slice(0, Math.max(0, maxWidth - 1)).join('')}…`;
}

function pad(text: string, width: number, align: 'left' | 'right'): string {
  const fill = ' '.repeat(Math.max(0, width - displayWidth(text)));
  return align === 'right' ? fill + text : text + fill;
}

/**
 * Renders rows under upper-case headers, columns two spaces apart, trailing spaces trimmed.
 * Newlines inside a cell become spaces so that one row stays one line.
 */
export function renderTable<Row>(columns: readonly Column<Row>[], rows: readonly Row[]): string {
  const cells = rows.map((row) => columns.map((column) => truncate(column.value(row).replace(/\s*\n\s*/g, ' '), column.maxWidth)));
  const widths = columns.map((column, index) => Math.max(displayWidth(column.header), ...cells.map((line) => displayWidth(line[index] ?? ''))));
  const line = (values: readonly string[]) =>
    values
      .map((value, index) => pad(value, widths[index] ?? 0, columns[index]?.align ?? 'left'))
      .join('  ')
      .trimEnd();
  return [line(columns.map((column) => column.header.toUpperCase())), ...cells.map(line)].join('\n');
}

/** A bar of `width` cells filled to `percent` (clamped to 0–100), such as `█████░░░░░`. */
export function progressBar(percent: number, width = 20): string {
  const clamped = Number.isFinite(percent) ? Math.min(100, Math.max(0, percent)) : 0;
  const filled = Math.round((clamped / 100) * width);
  return '█'.repeat(filled) + '░'.repeat(width - filled);
}

/** ANSI styles, or identity functions when colour is off. */
export interface Style {
  bold(text: string): string;
  dim(text: string): string;
  red(text: string): string;
  green(text: string): string;
  yellow(text: string): string;
  cyan(text: string): string;
}

const ANSI = { bold: [1, 22], dim: [2, 22], red: [31, 39], green: [32, 39], yellow: [33, 39], cyan: [36, 39] } as const;

/** Styles that colour only when `enabled` (a terminal, and `NO_COLOR` unset). */
export function createStyle(enabled: boolean): Style {
  const wrap = ([open, close]: readonly [number, number]) => (text: string) => (enabled ? `\x1b[${open}m${text}\x1b[${close}m` : text);
  return { bold: wrap(ANSI.bold), dim: wrap(ANSI.dim), red: wrap(ANSI.red), green: wrap(ANSI.green), yellow: wrap(ANSI.yellow), cyan: wrap(ANSI.cyan) };
}

/** Erases the `lines` lines written last, so that a live view redraws in place. */
export function eraseLines(lines: number): string {
  return lines > 0 ? `\x1b[${lines}F\x1b[J` : '';
}
