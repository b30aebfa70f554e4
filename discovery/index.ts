/**
 * Discovery imports: the customer's estate as its discovery tools export it (Azure Migrate's
 * import CSV and dependency export, RVTools) made into a draft plan and a report of what was
 * inferred, what is missing and what was refused. Parses buffers, does no other I/O.
 */
export { DISCOVERY_LIMITS, type DiscoveryLimits } from './limits';
export { DiscoveryImportError, type ImportProblem } from './errors';
export { describeLocation, type ImportLocation } from './location';
export { type DiscoveryImport, type DraftApplication, type DraftIdentity, slugifyServerName } from './build-draft';
export { type DiscoveryFile, type DiscoveryImportOptions, importDiscoveryExports } from './import-discovery';
export { IMPORT_REPORT_CODES, type ImportReport, type ImportReportCode, type ImportReportItem } from './report';
export { inferWorkloadKind, type InferredKind } from './workload-kind';
export { DRAFT_CSV_COLUMNS, draftToCsv, readDraftCsv } from './draft-csv';
