/** The import report: what was inferred, what is missing and what was refused, each item located. */
import type { ImportLocation } from './location';

/** Codes of the report's items, each a sentence in {@link IMPORT_REPORT_CODES}. */
export const IMPORT_REPORT_CODES = {
  KIND_DATABASE: 'kind database inferred from a database port, process or name',
  KIND_APP: 'kind app inferred from a web or application port, process or name',
  KIND_VM: 'kind vm: nothing in the exports says more',
  SIZE_IN_USE: 'size is the storage in use',
  SIZE_PROVISIONED: 'size is the provisioned disks: the export has no in-use figure',
  SIZE_UNKNOWN: 'no export gives the size: 0 GB until someone states it',
  CRITICALITY_DEFAULT: 'no export states business criticality: MEDIUM until the questionnaire sets it',
  MERGED: 'the server is described by several inventories, merged',
  ID_FROM_NAME: "the workload id is made from the server's name",
  APPLICATION_GROUP: 'grouped into an application named by the export',
  NO_APPLICATION: 'the export names no application: servers are left ungrouped',
  DEPENDENCY: 'dependency inferred from observed connections',
  DEPENDENCY_BY_IP: "destination matched to a server of the inventory by its IP address",
  DEPENDENCY_CYCLE_BROKEN: 'a dependency that closes a cycle was dropped (a plan needs an acyclic graph)',
  OS_UNKNOWN: 'the operating system is unknown',
  DISK_SIZES_MISSING: 'the export declares more disks than it gives sizes for',
  CORES_OR_MEMORY_MISSING: 'cores or memory are missing',
  POWERED_OFF: 'powered off in the export: excluded until someone includes it',
  SUSPENDED: 'suspended in the export: kept in the plan, check it',
  TEMPLATE: 'a VM template, not a server: not imported',
  OUTSIDE_INVENTORY: 'a connection to an address outside the inventory: not imported',
  SELF_CONNECTION: 'a connection of a server to itself: not a dependency',
  EXCLUDED_DEPENDENCY: 'a dependency on a server that is not imported: dropped',
  UNUSED_COLUMNS: 'columns the import does not read',
  PLAN_TOO_LARGE: 'more workloads than one run accepts: exclude some or split the estate into lots',
} as const;

/** A report item's code. */
export type ImportReportCode = keyof typeof IMPORT_REPORT_CODES;

/** One item of the report. */
export interface ImportReportItem extends ImportLocation {
  code: ImportReportCode;
  /** The workload concerned, when there is one. */
  workloadId?: string;
  message: string;
}

/** The three lists the report holds. */
export type ImportReportList = 'inferred' | 'missing' | 'refused';

/** What an import made of its files. Lists are bounded; `counts` covers every item. */
export interface ImportReport {
  files: { file: string; format: string; rows: number }[];
  summary: {
    servers: number;
    workloads: number;
    excluded: number;
    dependencies: number;
    applications: number;
    untagged: number;
  };
  inferred: ImportReportItem[];
  missing: ImportReportItem[];
  refused: ImportReportItem[];
  /** Items per list and code, the ones left out of the bounded lists included. */
  counts: Record<ImportReportList, Partial<Record<ImportReportCode, number>>>;
  /** Items left out of each list by its bound. */
  omitted: Record<ImportReportList, number>;
}

/** Builds a report with bounded lists. */
export class ImportReportBuilder {
  private readonly lists: Record<ImportReportList, ImportReportItem[]> = { inferred: [], missing: [], refused: [] };
  private readonly counts: ImportReport['counts'] = { inferred: {}, missing: {}, refused: {} };
  private readonly omitted: ImportReport['omitted'] = { inferred: 0, missing: 0, refused: 0 };

  constructor(private readonly maxItemsPerList: number) {}

  add(list: ImportReportList, item: ImportReportItem): void {
    this.counts[list][item.code] = (this.counts[list][item.code] ?? 0) + 1;
    if (this.lists[list].length < this.maxItemsPerList) this.lists[list].push(item);
    else this.omitted[list] += 1;
  }

  build(files: ImportReport['files'], summary: ImportReport['summary']): ImportReport {
    return { files, summary, ...this.lists, counts: this.counts, omitted: this.omitted };
  }
}
