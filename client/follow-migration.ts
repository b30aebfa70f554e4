/**
 * Follows one run live until it ends, for `passerelle watch` and the dashboard: reads the
 * run's Server-Sent Events (`GET /v1/migrations/{id}/events`) with fetch(), so that the bearer
 * token travels in a header, holds the overview the stream opens with and applies each change
 * it sends (domain/run-overview.ts), resumes with `Last-Event-ID` after a cut, and polls the
 * overview every two seconds while the API has no event stream (it answers 404). No Node built-ins.
 */
import { isFinalStatus } from '../domain/run';
import { applyOverviewChange, type MigrationOverview, type MigrationOverviewChange } from '../domain/run-overview';
import { ApiError, type PasserelleClient, problemOf } from './api-client';
import { EventStreamParser } from './event-stream';

/** How the status reaches the follower right now. */
export type FollowMode = 'stream' | 'polling';

export interface FollowMigrationOptions {
  client: PasserelleClient;
  id: string;
  /** Called with every status seen, the same one possibly more than once. */
  onStatus(status: MigrationOverview): void;
  onMode?(mode: FollowMode): void;
  /** A failure that following survives (the API restarting, a cut stream); it tries again. */
  onTransientError?(error: unknown): void;
  signal?: AbortSignal;
  /** The status the caller already holds, so that the stream's first event does not read it again. */
  initial?: MigrationOverview;
  /** Polling period while the API has no event stream; 2 s. */
  pollIntervalMs?: number;
  /** While polling, how often to try the event stream again; 30 s. */
  streamProbeIntervalMs?: number;
}

/** Tells whether an event's payload is a whole overview rather than a change. */
export function looksLikeOverview(value: unknown): value is MigrationOverview {
  const candidate = value as Partial<MigrationOverview> | null;
  return (
    typeof candidate === 'object' &&
    candidate !== null &&
    typeof candidate.workflowId === 'string' &&
    typeof candidate.phase === 'string' &&
    typeof candidate.status === 'string' &&
    Array.isArray(candidate.phases)
  );
}

/** Tells whether an event's payload is a change of the overview. */
function looksLikeChange(value: unknown): value is MigrationOverviewChange {
  const candidate = value as Partial<MigrationOverviewChange> | null;
  return typeof candidate === 'object' && candidate !== null && typeof candidate.changed === 'object' && Array.isArray(candidate.timeline) && Array.isArray(candidate.removed);
}

/** Answers that mean "this API has no event stream", as opposed to a refusal. */
const NO_STREAM_STATUSES = new Set([404, 405, 501]);
/** Answers after which trying again cannot help. */
const FATAL_STATUSES = new Set([400, 401, 403, 404]);

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) {
      resolve();
      return;
    }
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/**
 * Follows the run until it ends and returns its final status, or `undefined` once `signal`
 * aborts. Throws the {@link ApiError} of a refusal that retrying cannot mend (401, 403, or 404
 * for a run the caller may not see).
 */
export async function followMigration(options: FollowMigrationOptions): Promise<MigrationOverview | undefined> {
  const { client, id, signal } = options;
  const pollIntervalMs = options.pollIntervalMs ?? 2_000;
  const streamProbeIntervalMs = options.streamProbeIntervalMs ?? 30_000;
  let lastEventId: string | undefined;
  let retryMs = 1_000;
  let failures = 0;
  let mode: FollowMode | undefined;

  const setMode = (next: FollowMode) => {
    if (mode !== next) options.onMode?.(next);
    mode = next;
  };

  let latest: MigrationOverview | undefined = options.initial;

  async function refresh(): Promise<MigrationOverview> {
    latest = await client.readStatus(id, signal);
    options.onStatus(latest);
    return latest;
  }

  /** Reads the stream until it closes; the final status if the run ended, `missing` without a stream. */
  async function readStream(): Promise<MigrationOverview | 'missing' | 'closed'> {
    const response = await client.openEvents(id, lastEventId, signal ?? new AbortController().signal);
    if (NO_STREAM_STATUSES.has(response.status)) {
      await response.body?.cancel().catch(() => undefined);
      return 'missing';
    }
    if (!response.ok) throw await problemOf(response);
    if (!(response.headers.get('content-type') ?? '').includes('text/event-stream') || !response.body) {
      await response.body?.cancel().catch(() => undefined);
      return 'missing';
    }
    setMode('stream');
    failures = 0;
    const parser = new EventStreamParser();
    // Typed here: Node's fetch types leave the body's chunks untyped.
    const reader = (response.body as ReadableStream<Uint8Array>).getReader();
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) return 'closed';
        for (const event of parser.push(value)) {
          lastEventId = event.lastEventId ?? lastEventId;
          const payload = parseJson(event.data);
          if (event.event === 'end') {
            return latest && isFinalStatus(latest.status) ? latest : await refresh();
          }
          if (looksLikeOverview(payload)) {
            latest = payload;
            options.onStatus(latest);
          } else if (looksLikeChange(payload) && latest !== undefined) {
            latest = applyOverviewChange(latest, payload);
            options.onStatus(latest);
          } else {
            // A change to an overview not held (or not understood): read the overview it changed.
            await refresh();
          }
        }
        if (parser.retryMs !== undefined) retryMs = parser.retryMs;
      }
    } finally {
      reader.releaseLock();
      await response.body.cancel().catch(() => undefined);
    }
  }

  async function pollUntilStreamProbe(): Promise<MigrationOverview | undefined> {
    setMode('polling');
    const probeAt = Date.now() + streamProbeIntervalMs;
    while (!signal?.aborted && Date.now() < probeAt) {
      const status = await refresh();
      if (isFinalStatus(status.status)) return status;
      await sleep(pollIntervalMs, signal);
    }
    return undefined;
  }

  while (!signal?.aborted) {
    try {
      const outcome = await readStream();
      if (outcome === 'missing') {
        const final = await pollUntilStreamProbe();
        if (final) return final;
        continue;
      }
      if (outcome !== 'closed') return outcome;
      // The stream ended without `end`: the run may have ended while the connection dropped.
      const status = await refresh();
      if (isFinalStatus(status.status)) return status;
      await sleep(retryMs, signal);
    } catch (error) {
      if (signal?.aborted) break;
      if (error instanceof ApiError && FATAL_STATUSES.has(error.status)) throw error;
      options.onTransientError?.(error);
      failures += 1;
      await sleep(Math.min(retryMs * 2 ** Math.min(failures - 1, 4), 15_000), signal);
    }
  }
  return undefined;
}
