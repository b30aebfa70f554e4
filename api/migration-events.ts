/**
 * Live progress of a run as Server-Sent Events (`GET /v1/migrations/{id}/events`). The API
 * stays stateless: it reads the run's overview (with live replication progress, through the
 * use case `pollMigrationOverview`) while someone listens, sends it whole once (`overview`),
 * then only what changed (`change`, domain/run-overview.ts); an event's id derives from the run alone:
 * its `updatedAt`, which the workflow moves forward on every change, then its percent complete,
 * which replications move between two changes. Any replica can therefore resume a stream from
 * `Last-Event-ID` without repeating or losing a change, and listeners of one run on one replica
 * share one reader.
 */
import type { Response } from 'express';
import { FINAL_STATUSES, type MigrationOverview, overviewChange, type StreamEndReason } from '../domain';
import { problems } from './problem';
import { createStreamLimiter, DEFAULT_MAX_STREAMS_PER_CALLER } from './rate-limits';

/** How often a run is read while someone listens, and how often an idle stream says it is alive. */
export interface MigrationEventsOptions {
  pollIntervalMs: number;
  heartbeatIntervalMs: number;
  /** Streams one caller may hold open at once on this replica (API_EVENTS_MAX_STREAMS). */
  maxStreamsPerCaller: number;
}

/** Defaults of API_EVENTS_POLL_INTERVAL, API_EVENTS_HEARTBEAT_INTERVAL and API_EVENTS_MAX_STREAMS. */
export const DEFAULT_EVENTS_OPTIONS: MigrationEventsOptions = {
  pollIntervalMs: 1000,
  heartbeatIntervalMs: 15_000,
  maxStreamsPerCaller: DEFAULT_MAX_STREAMS_PER_CALLER,
};

/** Who holds a stream: the verified token's subject, and when that token expires. */
export interface StreamCaller {
  subject: string;
  expiresAt?: number;
}

/** Below this, polling would load the workers for no visible gain. */
const MIN_POLL_INTERVAL_MS = 50;

/** What EventSource clients wait before they reconnect after a dropped stream. */
const RECONNECT_DELAY_MS = 2000;

/**
 * The event id of a status: `updatedAt` in epoch milliseconds × 1000 + percent complete. It
 * grows with every change of the run (a later `updatedAt` outweighs any percent) and with
 * replication progress in between, and stays below 2^53 for centuries.
 */
export function eventIdOf(status: Pick<MigrationOverview, 'updatedAt' | 'percentComplete'>): number {
  return Date.parse(status.updatedAt) * 1000 + Math.max(0, Math.min(999, Math.floor(status.percentComplete)));
}

/** Reads `Last-Event-ID`: a non-negative integer, or a 400 naming the header. */
export function parseLastEventId(header: string | undefined): number | undefined {
  if (header === undefined || header.trim() === '') return undefined;
  if (!/^\d{1,16}$/.test(header.trim())) {
    throw problems.badRequest('The Last-Event-ID header is not valid.', [{ path: 'Last-Event-ID', message: 'must be the id of an event of this stream' }]);
  }
  return Number(header.trim());
}

/** One listener of a run: told every status read, or the error that ended the reading. */
interface Listener {
  onStatus(status: MigrationOverview): void;
  onError(): void;
}

/**
 * Reads each watched run once per interval for all its listeners on this replica, and stops
 * reading a run when its last listener leaves.
 */
function createStatusReaders(readStatus: (runId: string) => Promise<MigrationOverview>, pollIntervalMs: number) {
  interface Watch {
    listeners: Set<Listener>;
    timer?: NodeJS.Timeout;
  }
  const watches = new Map<string, Watch>();

  function forget(runId: string, watch: Watch): void {
    // A newer watch of the same run may have replaced this one meanwhile: leave it alone.
    if (watches.get(runId) === watch) watches.delete(runId);
  }

  function schedule(runId: string, watch: Watch): void {
    if (watch.timer) return;
    watch.timer = setTimeout(() => {
      void readStatus(runId)
        .then(
          (status) => {
            for (const listener of watch.listeners) listener.onStatus(status);
          },
          () => {
            for (const listener of watch.listeners) listener.onError();
          },
        )
        .finally(() => {
          watch.timer = undefined;
          if (watch.listeners.size > 0) schedule(runId, watch);
          else forget(runId, watch);
        });
    }, pollIntervalMs);
  }

  return {
    /** Adds a listener to a run; the returned function removes it. */
    listen(runId: string, listener: Listener): () => void {
      const watch = watches.get(runId) ?? { listeners: new Set<Listener>() };
      watches.set(runId, watch);
      watch.listeners.add(listener);
      schedule(runId, watch);
      return () => {
        watch.listeners.delete(listener);
        if (watch.listeners.size > 0) return;
        // A pending timer is cancelled; a read in flight finds no listener and stops there.
        clearTimeout(watch.timer);
        forget(runId, watch);
      };
    },
    /** Runs being read right now. */
    get watchedRuns(): number {
      return watches.size;
    },
  };
}

/** The use case behind `GET /v1/migrations/{id}/events`. */
export interface MigrationEventStreams {
  /**
   * Streams a run whose overview the caller already read (after the visibility check): that
   * overview whole as an `overview` event if its id is newer than `lastEventId`, then a
   * `change` event with what changed whenever the run changes,
   * `: heartbeat` comments while nothing changes, and `end` once the run has ended or the
   * caller's token expires (its `reason` says which). Throws a 429 problem, before any byte is
   * sent, when the caller already holds as many streams as it may.
   */
  stream(first: MigrationOverview, lastEventId: number | undefined, res: Response, caller: StreamCaller): void;
  /** Runs being read right now on this replica. */
  readonly watchedRuns: number;
}

/** Creates the event streams of one API process; `readStatus` reads a run that a stream follows. */
export function createMigrationEventStreams(
  readStatus: (runId: string) => Promise<MigrationOverview>,
  options: Partial<MigrationEventsOptions> = {},
): MigrationEventStreams {
  const { pollIntervalMs, heartbeatIntervalMs, maxStreamsPerCaller } = { ...DEFAULT_EVENTS_OPTIONS, ...options };
  const readers = createStatusReaders(readStatus, Math.max(MIN_POLL_INTERVAL_MS, pollIntervalMs));
  const streamSlots = createStreamLimiter(maxStreamsPerCaller);

  return {
    get watchedRuns() {
      return readers.watchedRuns;
    },

    stream(first, lastEventId, res, caller) {
      const runId = first.workflowId;
      const releaseSlot = streamSlots.acquire(caller.subject);
      if (!releaseSlot) {
        throw problems.tooManyRequests(
          `You already follow ${maxStreamsPerCaller} event streams (API_EVENTS_MAX_STREAMS); close one, or retry after the delay in Retry-After.`,
          RECONNECT_DELAY_MS / 1000,
        );
      }
      let lastSent = lastEventId ?? -1;
      /** What the caller holds: changes are computed against it. */
      let held = first;
      const resources: { stopListening?: () => void; heartbeat?: NodeJS.Timeout; expiry?: NodeJS.Timeout } = {};

      const close = () => {
        releaseSlot();
        resources.stopListening?.();
        clearInterval(resources.heartbeat);
        clearTimeout(resources.expiry);
        if (!res.writableEnded) res.end();
      };
      const endWith = (reason: StreamEndReason, fields: Record<string, unknown>) => {
        if (!res.writableEnded) res.write(`event: end\ndata: ${JSON.stringify({ id: runId, reason, ...fields })}\n\n`);
        close();
      };
      const deliver = (status: MigrationOverview, whole: boolean) => {
        if (res.writableEnded) return;
        const id = eventIdOf(status);
        if (id > lastSent) {
          lastSent = id;
          if (whole) res.write(`id: ${id}\nevent: overview\ndata: ${JSON.stringify(status)}\n\n`);
          else {
            const change = overviewChange(held, status);
            if (change) res.write(`id: ${id}\nevent: change\ndata: ${JSON.stringify(change)}\n\n`);
          }
          held = status;
        }
        if (FINAL_STATUSES.includes(status.status)) endWith('RUN_ENDED', { status: status.status });
      };

      res.status(200);
      res.setHeader('Content-Type', 'text/event-stream; charset=utf-8');
      res.setHeader('Cache-Control', 'no-cache, no-transform');
      res.setHeader('Connection', 'keep-alive');
      // Reverse proxies (nginx) buffer responses unless told not to.
      res.setHeader('X-Accel-Buffering', 'no');
      res.flushHeaders();
      res.write(`retry: ${RECONNECT_DELAY_MS}\n\n`);
      res.once('close', close);

      // A resumed caller holds what its last event said; a new one holds nothing yet.
      deliver(first, true);
      if (res.writableEnded) return;
      if (caller.expiresAt !== undefined) {
        const endTokenExpired = () => endWith('TOKEN_EXPIRED', { detail: 'Your token has expired: get a new one and reconnect with Last-Event-ID.' });
        const remainingMs = caller.expiresAt - Date.now();
        if (remainingMs <= 0) {
          endTokenExpired();
          return;
        }
        // Timers hold at most 2^31-1 ms; the token policy keeps lifetimes far below that.
        resources.expiry = setTimeout(endTokenExpired, Math.min(remainingMs, 2 ** 31 - 1));
      }
      resources.heartbeat = setInterval(() => res.write(': heartbeat\n\n'), heartbeatIntervalMs);
      // A failed read ends the stream: the client reconnects with Last-Event-ID and meets a 503 if Temporal is down.
      resources.stopListening = readers.listen(runId, { onStatus: (status) => deliver(status, false), onError: close });
    },
  };
}
