/**
 * The run's bounded reads: its overview and the pages of its collections, computed from the
 * status when asked. Queries do not touch history, so runs of any age answer them once their
 * worker knows them.
 */
import { setHandler } from '@temporalio/workflow';
import { cutoverSchedule, estateGraph, GRAPH_GROUPINGS, readReportSection, registerOfRun, RUN_COLLECTIONS, runOverview, runPage } from '../../domain';
import { cutoverScheduleQuery, estateGraphQuery, overviewQuery, pageQuery, reportSectionQuery, riskRegisterQuery } from '../messages';
import type { MigrationContext } from './context';

/** Registers the overview, page, report-section, risk-register, graph and schedule queries. */
export function registerReadHandlers(context: MigrationContext): void {
  setHandler(overviewQuery, () => runOverview(context.status));
  setHandler(pageQuery, (collection, request) => {
    if (!RUN_COLLECTIONS.includes(collection)) throw new TypeError(`No collection ${String(collection)}: one of ${RUN_COLLECTIONS.join(', ')}.`);
    return runPage(context.status, collection, request);
  });
  setHandler(reportSectionQuery, (ask) => readReportSection(context.status, ask));
  setHandler(riskRegisterQuery, () => registerOfRun(context.status));
  setHandler(estateGraphQuery, (request) => {
    if (!GRAPH_GROUPINGS.includes(request.groupBy)) throw new TypeError(`No grouping ${String(request.groupBy)}: one of ${GRAPH_GROUPINGS.join(', ')}.`);
    return estateGraph(context.status, request);
  });
  // The caller gives the instant: a query's Date.now() is the time of the run's last workflow task.
  setHandler(cutoverScheduleQuery, (nowMs) => cutoverSchedule(context.status, nowMs));
}
