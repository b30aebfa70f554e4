/**
 * The run's assessment and classification as a report reads them: each section without its
 * long lists (a workload each), then those lists page by page, so that no read of a report
 * grows with the estate (use-cases/migration-report.ts streams them).
 */
import type { MigrationStatus } from './run-status';
import { PAGE_LIMIT_MAX } from './run-overview';

/** The sections a report reads by part, and the lists of each that it pages. */
export const REPORT_SECTION_LISTS = { assessment: ['workloads'], classification: ['workloads', 'warnings'] } as const;
/** A section of {@link REPORT_SECTION_LISTS}. */
export type ReportSection = keyof typeof REPORT_SECTION_LISTS;

/** What a report asks of a section: its head (no `list`), or a page of one of its lists. */
export interface ReportSectionAsk {
  section: ReportSection;
  list?: string;
  /** Position after which the page starts (the previous page's `next`). */
  after?: number;
  limit: number;
}

/** A section's head (null when the run has none yet), or a page of one of its lists. */
export type ReportSectionRead = { head: Record<string, unknown> | null } | { items: unknown[]; next: number | null };

/** The head of a section, or a page of one of its lists, from the run's status. */
export function readReportSection(status: Pick<MigrationStatus, 'assessment' | 'report'>, ask: ReportSectionAsk): ReportSectionRead {
  const lists: readonly string[] | undefined = REPORT_SECTION_LISTS[ask.section];
  if (!lists) throw new TypeError(`No report section ${String(ask.section)}: one of ${Object.keys(REPORT_SECTION_LISTS).join(', ')}.`);
  if (ask.list !== undefined && !lists.includes(ask.list)) throw new TypeError(`The ${ask.section} section has no list ${ask.list}: one of ${lists.join(', ')}.`);
  const value = (ask.section === 'assessment' ? status.assessment : status.report) as Record<string, unknown> | undefined;
  if (ask.list === undefined) {
    if (!value) return { head: null };
    return { head: Object.fromEntries(Object.entries(value).filter(([key]) => !lists.includes(key))) };
  }
  const all = (value?.[ask.list] as unknown[] | undefined) ?? [];
  const start = Math.max(0, ask.after ?? 0);
  const end = start + Math.min(Math.max(1, ask.limit), PAGE_LIMIT_MAX);
  return { items: all.slice(start, end), next: end < all.length ? end : null };
}
