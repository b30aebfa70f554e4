/**
 * Pages of a run's collections (steps, workloads, waves, timeline, audit): what a caller asks
 * and the opaque cursor that carries a page's position to the next request.
 */
import type { Phase, RunCollection, RunPageRequest } from '../domain';
import { refusals } from './application-error';

/** What a caller asks for: a page size, the cursor of the previous page, and filters. */
export interface RunPageAsk {
  limit: number;
  cursor?: string;
  state?: string;
  wave?: string;
  zone?: string;
  workload?: string;
  phase?: Phase;
}

const CURSOR_PATTERN = /^([a-z]+)\.(\d{1,15})$/;

/** The cursor of the page after `position` in `collection`: opaque to callers, tied to its collection. */
export function encodePageCursor(collection: RunCollection, position: number): string {
  return Buffer.from(`${collection}.${position}`, 'utf8').toString('base64url');
}

/** The position a cursor carries; an invalid cursor, or one of another collection, is refused naming `cursor`. */
export function decodePageCursor(collection: RunCollection, cursor: string): number {
  const match = CURSOR_PATTERN.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  if (!match || match[1] !== collection) {
    throw refusals.invalid('The cursor is not valid.', [{ path: 'cursor', message: `is not the nextCursor of a page of this run's ${collection}` }]);
  }
  return Number(match[2]);
}

/** The workflow's page request for what a caller asked. */
export function pageRequestOf(collection: RunCollection, ask: RunPageAsk): RunPageRequest {
  const { cursor, ...filters } = ask;
  const defined = Object.fromEntries(Object.entries(filters).filter(([, value]) => value !== undefined)) as Omit<RunPageAsk, 'cursor'>;
  return { ...defined, ...(cursor !== undefined ? { after: decodePageCursor(collection, cursor) } : {}) };
}
