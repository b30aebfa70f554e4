/**
 * The run's bounded reads: its overview and the pages of its collections, computed from the
 * status when asked. Queries do not touch history, so runs of any age answer them once their
 * worker knows them.
 */
import { setHandler } from '@temporalio/workflow';
import { registerOfRun, RUN_COLLECTIONS, runOverview, runPage } from '../../domain';
import { overviewQuery, pageQuery, riskRegisterQuery } from '../messages';
import type { MigrationContext } from './context';

/** Registers the overview, page and risk-register queries. */
export function registerReadHandlers(context: MigrationContext): void {
  setHandler(overviewQuery, () => runOverview(context.status));
  setHandler(pageQuery, (collection, request) => {
    if (!RUN_COLLECTIONS.includes(collection)) throw new TypeError(`No collection ${String(collection)}: one of ${RUN_COLLECTIONS.join(', ')}.`);
    return runPage(context.status, collection, request);
  });
  setHandler(riskRegisterQuery, () => registerOfRun(context.status));
}
