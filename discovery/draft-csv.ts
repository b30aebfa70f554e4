/**
 * The draft as a spreadsheet, for the people who tag in one: `draftToCsv` writes one row per
 * workload (what the export knew, and the answers so far), `readDraftCsv` reads the answers
 * back as questionnaire edits, one per changed row, every refused cell named by line and
 * column. Cells that a spreadsheet would run as formulas are written with a leading quote.
 */
import { parse } from 'csv-parse/sync';
import {
  CRITICALITY_LEVELS,
  type Criticality,
  DATA_CATEGORIES,
  type DataCategory,
  type DraftEdit,
  type DraftPlan,
  type DraftWorkload,
  WORKLOAD_KINDS,
  type WorkloadKind,
} from '../domain';
import { DiscoveryImportError, type ImportProblem } from './errors';
import { DISCOVERY_LIMITS } from './limits';

/** The columns of a draft's CSV, in order; the last four are the answers read back. */
export const DRAFT_CSV_COLUMNS = ['id', 'name', 'application', 'os', 'sizeGb', 'kind', 'criticality', 'dataCategories', 'excluded'] as const;

/** One CSV file: a header, then a row per workload; categories separated by spaces. */
export function draftToCsv(draft: Pick<DraftPlan, 'workloads'>): string {
  const rows = [
    [...DRAFT_CSV_COLUMNS],
    ...draft.workloads.map((workload) => [
      workload.id,
      workload.name,
      workload.application ?? '',
      workload.facts.os ?? '',
      String(workload.sizeGb),
      workload.kind,
      workload.criticality,
      workload.dataCategories.join(' '),
      workload.excluded?.reason ?? '',
    ]),
  ];
  return `${rows.map((row) => row.map(csvCell).join(',')).join('\r\n')}\r\n`;
}

function csvCell(text: string): string {
  // A spreadsheet runs a cell starting with = + - @ (or a tab or return) as a formula.
  const safe = /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/**
 * The edits a filled-in CSV asks of a draft: one per row whose answers differ from the draft.
 * Throws `DiscoveryImportError` naming every refused cell; nothing is applied then.
 */
export function readDraftCsv(file: string, text: string, draft: Pick<DraftPlan, 'workloads'>): DraftEdit[] {
  const problems: ImportProblem[] = [];
  let records: string[][];
  try {
    records = parse(text, { bom: true, relax_column_count: true, skip_empty_lines: true, max_record_size: DISCOVERY_LIMITS.maxRecordChars, delimiter: text.split(/\r?\n/, 1)[0]?.includes(';') ? ';' : ',' });
  } catch (error) {
    throw new DiscoveryImportError([{ file, message: `is not a readable CSV file: ${error instanceof Error ? error.message.split('\n', 1)[0] : String(error)}` }]);
  }
  const [header, ...rows] = records;
  const position = new Map((header ?? []).map((name, index) => [name.trim(), index]));
  for (const column of ['id', 'kind', 'criticality', 'dataCategories', 'excluded']) {
    if (!position.has(column)) problems.push({ file, line: 1, message: `required column ${JSON.stringify(column)} is missing` });
  }
  if (problems.length > 0) throw new DiscoveryImportError(problems);
  const byId = new Map(draft.workloads.map((workload) => [workload.id, workload]));
  const seen = new Map<string, number>();
  const edits: DraftEdit[] = [];
  rows.forEach((row, index) => {
    const line = index + 2;
    const cell = (column: string) => unquote((row[position.get(column) ?? -1] ?? '').trim());
    const id = cell('id');
    const workload = byId.get(id);
    if (workload === undefined) {
      problems.push({ file, line, column: 'id', message: `unknown workload ${JSON.stringify(id)}: the draft has no such workload` });
      return;
    }
    const earlier = seen.get(id);
    if (earlier !== undefined) {
      problems.push({ file, line, column: 'id', message: `workload ${id} is already on line ${earlier}` });
      return;
    }
    seen.set(id, line);
    const change = readChange(workload, cell, (column, message) => problems.push({ file, line, column, message }));
    if (change !== undefined) edits.push({ selection: { workloadIds: [id] }, change });
  });
  if (problems.length > 0) throw new DiscoveryImportError(problems.slice(0, DISCOVERY_LIMITS.maxProblems));
  return edits;
}

function readChange(workload: DraftWorkload, cell: (column: string) => string, refuse: (column: string, message: string) => void): DraftEdit['change'] | undefined {
  const change: DraftEdit['change'] = {};
  const kind = cell('kind');
  if (!(WORKLOAD_KINDS as readonly string[]).includes(kind)) refuse('kind', `must be one of ${WORKLOAD_KINDS.join(', ')}, not ${JSON.stringify(kind)}`);
  else if (kind !== workload.kind) change.kind = kind as WorkloadKind;
  const criticality = cell('criticality');
  if (!(CRITICALITY_LEVELS as readonly string[]).includes(criticality)) refuse('criticality', `must be one of ${CRITICALITY_LEVELS.join(', ')}, not ${JSON.stringify(criticality)}`);
  else if (criticality !== workload.criticality) change.criticality = criticality as Criticality;
  const categories = cell('dataCategories').split(/[\s,;]+/).filter((category) => category !== '');
  const unknown = categories.filter((category) => !(DATA_CATEGORIES as readonly string[]).includes(category));
  if (unknown.length > 0) refuse('dataCategories', `unknown data categor${unknown.length === 1 ? 'y' : 'ies'} ${unknown.join(', ')}: use ${DATA_CATEGORIES.join(', ')}`);
  else if ([...new Set(categories)].sort().join(' ') !== [...workload.dataCategories].sort().join(' ')) change.dataCategories = [...new Set(categories)] as DataCategory[];
  const excluded = cell('excluded');
  if (excluded === '' && workload.excluded !== undefined) change.excluded = false;
  else if (excluded !== '' && excluded !== workload.excluded?.reason) change.excluded = { reason: excluded.slice(0, 2000) };
  return Object.keys(change).length > 0 ? change : undefined;
}

/** Undoes the leading quote that {@link draftToCsv} puts before formula-like text. */
function unquote(text: string): string {
  return /^'[=+\-@\t\r]/.test(text) ? text.slice(1) : text;
}
